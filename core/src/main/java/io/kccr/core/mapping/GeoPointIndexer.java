package io.kccr.core.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.LatLonDocValuesField;
import org.apache.lucene.document.LatLonPoint;

/**
 * Indexes geo_point values as {@link LatLonPoint} + {@link LatLonDocValuesField}: a point given as an object, a
 * string or a {@code [lon, lat]} array (parsed by {@link GeoPoints}), or an array of points of any of those forms.
 * A value that is no point, or whose latitude or longitude is out of range, is a {@code mapper_parsing_exception}
 * naming the field. Stateless.
 */
final class GeoPointIndexer {

    private GeoPointIndexer() {
    }

    /**
     * An array in a geo_point field, from its START_ARRAY to its END_ARRAY: one point {@code [lon, lat]} or several
     * points of any form (string points with the field's multi-fields, as a scalar would be).
     */
    static void parseArray(ParseContext ctx, CompiledField f) throws IOException {
        JsonParser p = ctx.p;
        JsonToken token = p.nextToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            List<Object> coordinates = new ArrayList<>(3);
            for (; token != JsonToken.END_ARRAY; token = p.nextToken()) {
                if (token == null) {
                    throw new IOException("unexpected end of input inside an array");
                }
                coordinates.add(SourceWalker.readValue(p, token));
            }
            index(ctx, f, coordinates);
            return;
        }
        for (; token != JsonToken.END_ARRAY; token = p.nextToken()) {
            if (token == null) {
                throw new IOException("unexpected end of input inside an array");
            }
            if (token == JsonToken.VALUE_STRING) {
                FieldIndexer.indexField(ctx, f, token); // a string point, with the multi-fields
            } else if (token != JsonToken.VALUE_NULL) {
                index(ctx, f, SourceWalker.readValue(p, token));
            }
        }
    }

    /** Indexes one point given as a map, a list or a string (multi-fields are not indexed from here). */
    static void index(ParseContext ctx, CompiledField f, Object value) {
        double lat;
        double lon;
        try {
            double[] latLon = GeoPoints.parse(value);
            lat = latLon[0];
            lon = latLon[1];
        } catch (IllegalArgumentException e) {
            throw ctx.fieldError(f, String.valueOf(value), e);
        }
        if (!(lat >= -90 && lat <= 90)) {
            throw ctx.fieldError(f, String.valueOf(value),
                    new IllegalArgumentException("illegal latitude value [" + lat + "] for " + f.name));
        }
        if (!(lon >= -180 && lon <= 180)) {
            throw ctx.fieldError(f, String.valueOf(value),
                    new IllegalArgumentException("illegal longitude value [" + lon + "] for " + f.name));
        }
        ctx.fields.add(new LatLonPoint(f.name, lat, lon));
        ctx.fields.add(new LatLonDocValuesField(f.name, lat, lon));
    }
}
