package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The result of {@code min}, {@code max}, {@code sum}, {@code avg}, {@code value_count}, {@code stats} or
 * {@code extended_stats}: count, compensated sum, extremes and sum of squares, rendered per kind as
 * Elasticsearch renders it (absent values as null, e.g. the {@code avg} of no documents).
 */
public record InternalStats(String name, StatsAggregation.Kind kind, long count, double sum, double min, double max,
                            double sumOfSquares, double sigma, ValueFormat format, JsonNode meta) implements InternalAgg {

    @Override
    public String type() {
        return kind.type;
    }

    @Override
    public InternalAgg reduce(List<InternalAgg> shards, ReduceContext context) {
        long c = 0;
        double s = 0;
        double comp = 0;
        double sq = 0;
        double sqComp = 0;
        double mn = Double.POSITIVE_INFINITY;
        double mx = Double.NEGATIVE_INFINITY;
        for (InternalAgg a : shards) {
            InternalStats x = (InternalStats) a;
            c += x.count;
            double corrected = x.sum - comp;
            double next = s + corrected;
            comp = (next - s) - corrected;
            s = next;
            double correctedSq = x.sumOfSquares - sqComp;
            double nextSq = sq + correctedSq;
            sqComp = (nextSq - sq) - correctedSq;
            sq = nextSq;
            mn = Math.min(mn, x.min);
            mx = Math.max(mx, x.max);
        }
        return new InternalStats(name, kind, c, s, mn, mx, sq, sigma, format, meta);
    }

    public double avg() {
        return count == 0 ? Double.NaN : sum / count;
    }

    public double variancePopulation() {
        if (count == 0) {
            return Double.NaN;
        }
        double v = (sumOfSquares - (sum * sum) / count) / count;
        return Math.max(0, v);
    }

    public double varianceSampling() {
        if (count <= 1) {
            return Double.NaN;
        }
        double v = (sumOfSquares - (sum * sum) / count) / (count - 1);
        return Math.max(0, v);
    }

    @Override
    public double value(String property) {
        String p = property == null ? "value" : property;
        return switch (p) {
            case "value" -> switch (kind) {
                case MIN -> count == 0 ? Double.NaN : min;
                case MAX -> count == 0 ? Double.NaN : max;
                case SUM -> sum;
                case AVG -> avg();
                case VALUE_COUNT -> count;
                default -> Double.NaN;
            };
            case "count" -> count;
            case "sum" -> sum;
            case "min" -> count == 0 ? Double.NaN : min;
            case "max" -> count == 0 ? Double.NaN : max;
            case "avg" -> avg();
            case "sum_of_squares" -> sumOfSquares;
            case "variance", "variance_population" -> variancePopulation();
            case "variance_sampling" -> varianceSampling();
            case "std_deviation", "std_deviation_population" -> Math.sqrt(variancePopulation());
            case "std_deviation_sampling" -> Math.sqrt(varianceSampling());
            default -> Double.NaN;
        };
    }

    @Override
    public ObjectNode body(boolean typedKeys) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        switch (kind) {
            case MIN, MAX, SUM, AVG -> putValue(n, "value", value("value"), kind != StatsAggregation.Kind.SUM);
            case VALUE_COUNT -> n.put("value", count);
            case STATS, EXTENDED_STATS -> {
                n.put("count", count);
                putValue(n, "min", value("min"), true);
                putValue(n, "max", value("max"), true);
                putValue(n, "avg", avg(), true);
                putValue(n, "sum", sum, false);
                if (kind == StatsAggregation.Kind.EXTENDED_STATS) {
                    boolean any = count > 0;
                    putValue(n, "sum_of_squares", any ? sumOfSquares : Double.NaN, true);
                    putValue(n, "variance", variancePopulation(), true);
                    putValue(n, "variance_population", variancePopulation(), true);
                    putValue(n, "variance_sampling", varianceSampling(), true);
                    double sd = Math.sqrt(variancePopulation());
                    double sdSampling = Math.sqrt(varianceSampling());
                    putValue(n, "std_deviation", sd, true);
                    putValue(n, "std_deviation_population", sd, true);
                    putValue(n, "std_deviation_sampling", sdSampling, true);
                    ObjectNode bounds = n.putObject("std_deviation_bounds");
                    double avg = avg();
                    putNumber(bounds, "upper", avg + sigma * sd);
                    putNumber(bounds, "lower", avg - sigma * sd);
                    putNumber(bounds, "upper_population", avg + sigma * sd);
                    putNumber(bounds, "lower_population", avg - sigma * sd);
                    putNumber(bounds, "upper_sampling", avg + sigma * sdSampling);
                    putNumber(bounds, "lower_sampling", avg - sigma * sdSampling);
                }
            }
        }
        return n;
    }

    private void putValue(ObjectNode n, String key, double v, boolean nullWhenEmpty) {
        if ((nullWhenEmpty && count == 0) || Double.isNaN(v) || Double.isInfinite(v)) {
            n.putNull(key);
            return;
        }
        n.put(key, v);
        String s = format.format(v);
        if (s != null) {
            n.put(key + "_as_string", s);
        }
    }

    private static void putNumber(ObjectNode n, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }
}
