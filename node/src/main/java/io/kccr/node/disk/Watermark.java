package io.kccr.node.disk;

import io.kccr.core.settings.ByteSizeValue;

/**
 * One of Elasticsearch's disk watermarks: a share of the disk used ({@code 95%}, or a ratio {@code 0.95}), or an
 * amount of space left free ({@code 1gb}).
 *
 * @param usedRatio    the share of the disk used at which it is reached (NaN when given as free bytes)
 * @param minFreeBytes the free space under which it is reached (-1 when given as a share)
 */
public record Watermark(double usedRatio, long minFreeBytes) {

    /** The watermarks a node acts on. */
    public record Thresholds(Watermark high, Watermark floodStage) {
    }

    /** Parses {@code 95%}, {@code 0.95} or a byte size; {@code key} names the setting in errors. */
    public static Watermark parse(String value, String key) {
        String v = value.trim();
        try {
            if (v.endsWith("%")) {
                double percent = Double.parseDouble(v.substring(0, v.length() - 1));
                if (percent < 0 || percent > 100) {
                    throw new IllegalArgumentException("a percentage must be from 0 to 100");
                }
                return new Watermark(percent / 100, -1);
            }
            if (v.matches("[0-9]*\\.[0-9]+|[01]")) {
                double ratio = Double.parseDouble(v);
                if (ratio < 0 || ratio > 1) {
                    throw new IllegalArgumentException("a ratio must be from 0 to 1");
                }
                return new Watermark(ratio, -1);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failed to parse [" + value + "] for [" + key + "]", e);
        }
        return new Watermark(Double.NaN, ByteSizeValue.parse(v, key).bytes());
    }

    /** Whether a disk of {@code total} bytes with {@code free} bytes left has reached this watermark. */
    public boolean reached(long total, long free) {
        if (minFreeBytes >= 0) {
            return free < minFreeBytes;
        }
        return total > 0 && (double) (total - free) / total >= usedRatio;
    }
}
