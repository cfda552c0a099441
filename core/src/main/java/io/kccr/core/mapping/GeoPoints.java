package io.kccr.core.mapping;

import java.util.List;
import java.util.Map;

/**
 * Elasticsearch's geo_point value forms, for the mapper and for queries that take a point:
 * {@code {"lat": 41.1, "lon": -71.3}} (numbers or numeric strings), GeoJSON
 * {@code {"type": "Point", "coordinates": [lon, lat]}}, {@code {"geohash": "drm3btev3e86"}},
 * {@code "lat,lon"}, {@code "POINT (lon lat)"}, a geohash string and {@code [lon, lat]} (a third
 * value, z, is ignored as Elasticsearch's {@code ignore_z_value} does). Range checking is the
 * caller's.
 */
public final class GeoPoints {

    private static final String BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";

    private GeoPoints() {
    }

    /**
     * {@code {lat, lon}} of a point given as a Map, a List or a String (as parsed from JSON).
     *
     * @throws IllegalArgumentException when it is not a point
     */
    public static double[] parse(Object value) {
        if (value instanceof String s) {
            return parseString(s);
        }
        if (value instanceof List<?> list) {
            return parseCoordinates(list);
        }
        if (value instanceof Map<?, ?> map) {
            return parseMap(map);
        }
        throw new IllegalArgumentException("geo_point expected");
    }

    private static double[] parseMap(Map<?, ?> map) {
        Object lat = null;
        Object lon = null;
        Object type = null;
        Object coordinates = null;
        Object geohash = null;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            switch (String.valueOf(e.getKey())) {
                case "lat" -> lat = e.getValue();
                case "lon" -> lon = e.getValue();
                case "z" -> {
                    // ignored
                }
                case "type" -> type = e.getValue();
                case "coordinates" -> coordinates = e.getValue();
                case "geohash" -> geohash = e.getValue();
                default -> throw new IllegalArgumentException("field [" + e.getKey()
                        + "] not supported - must be one of: lon, lat, z, type, coordinates, geohash");
            }
        }
        if (geohash != null) {
            if (lat != null || lon != null || coordinates != null) {
                throw new IllegalArgumentException("field must be either lat/lon, geohash or type/coordinates");
            }
            return decodeGeohash(String.valueOf(geohash));
        }
        if (type != null || coordinates != null) {
            if (lat != null || lon != null) {
                throw new IllegalArgumentException("field must be either lat/lon, geohash or type/coordinates");
            }
            if (type == null || !"point".equalsIgnoreCase(String.valueOf(type))) {
                throw new IllegalArgumentException("[type] for geo_point can only be 'Point'");
            }
            if (!(coordinates instanceof List<?> list)) {
                throw new IllegalArgumentException("[coordinates] must be an array");
            }
            return parseCoordinates(list);
        }
        if (lat == null) {
            throw new IllegalArgumentException("field [lat] missing");
        }
        if (lon == null) {
            throw new IllegalArgumentException("field [lon] missing");
        }
        return new double[] {coordinate(lat, "lat"), coordinate(lon, "lon")};
    }

    private static double[] parseCoordinates(List<?> list) {
        if (list.size() < 2) {
            throw new IllegalArgumentException("geo_point expected: [lon, lat] needs two values");
        }
        if (list.size() > 3) {
            throw new IllegalArgumentException("geo_point expected: [lon, lat] takes at most three values");
        }
        for (Object o : list) {
            if (!(o instanceof Number)) {
                throw new IllegalArgumentException("numeric value expected");
            }
        }
        return new double[] {((Number) list.get(1)).doubleValue(), ((Number) list.get(0)).doubleValue()};
    }

    private static double coordinate(Object value, String name) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("[" + name + "] must be a valid double value");
            }
        }
        throw new IllegalArgumentException("[" + name + "] must be a number");
    }

    private static double[] parseString(String s) {
        int comma = s.indexOf(',');
        if (comma >= 0) {
            int second = s.indexOf(',', comma + 1);
            if (second >= 0 && s.indexOf(',', second + 1) >= 0) {
                throw new IllegalArgumentException("expected 2 or 3 coordinates but found: [" + s + "]");
            }
            String lat = s.substring(0, comma);
            String lon = second < 0 ? s.substring(comma + 1) : s.substring(comma + 1, second);
            if (second >= 0) {
                coordinate(s.substring(second + 1), "z");
            }
            return new double[] {coordinate(lat, "lat"), coordinate(lon, "lon")};
        }
        String trimmed = s.trim();
        if (trimmed.regionMatches(true, 0, "POINT", 0, 5)) {
            return parseWkt(trimmed);
        }
        return decodeGeohash(trimmed);
    }

    /** {@code POINT (lon lat)} or {@code POINT (lon lat z)}. */
    private static double[] parseWkt(String s) {
        int open = s.indexOf('(');
        int close = s.lastIndexOf(')');
        if (open < 0 || close < open || !s.substring(5, open).isBlank() || !s.substring(close + 1).isBlank()) {
            throw new IllegalArgumentException("invalid WKT point [" + s + "]");
        }
        String[] parts = s.substring(open + 1, close).trim().split("\\s+");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("invalid WKT point [" + s + "]");
        }
        return new double[] {coordinate(parts[1], "lat"), coordinate(parts[0], "lon")};
    }

    /** The centre of a geohash cell. */
    static double[] decodeGeohash(String geohash) {
        if (geohash.isEmpty() || geohash.length() > 12) {
            throw new IllegalArgumentException("unsupported geohash [" + geohash + "]: length must be 1 to 12");
        }
        double latMin = -90;
        double latMax = 90;
        double lonMin = -180;
        double lonMax = 180;
        boolean even = true;
        for (int i = 0; i < geohash.length(); i++) {
            char c = geohash.charAt(i);
            int bits = BASE32.indexOf(Character.toLowerCase(c));
            if (bits < 0) {
                throw new IllegalArgumentException("unsupported symbol [" + c + "] in geohash [" + geohash + "]");
            }
            for (int mask = 16; mask > 0; mask >>= 1) {
                boolean set = (bits & mask) != 0;
                if (even) {
                    double mid = (lonMin + lonMax) / 2;
                    if (set) {
                        lonMin = mid;
                    } else {
                        lonMax = mid;
                    }
                } else {
                    double mid = (latMin + latMax) / 2;
                    if (set) {
                        latMin = mid;
                    } else {
                        latMax = mid;
                    }
                }
                even = !even;
            }
        }
        return new double[] {(latMin + latMax) / 2, (lonMin + lonMax) / 2};
    }
}
