package io.kccr.core.search.aggs;

import io.kccr.core.error.InvalidRequestException;

/**
 * A {@code buckets_path} (or terms {@code order} key) resolved against one bucket: {@code _count}, {@code _key},
 * a metric sub-aggregation {@code name}, one of its values {@code name.avg} / {@code name[99.0]}, or through
 * single-bucket aggregations {@code filter>name.max}.
 */
public final class BucketPath {
    private BucketPath() {
    }

    /** The value the path names in {@code bucket}; NaN when the bucket lacks it (a gap). */
    public static double resolve(Bucket bucket, String path) {
        if (path.equals("_count")) {
            return bucket.docCount();
        }
        if (path.equals("_key")) {
            return bucket.numericKey();
        }
        int gt = path.indexOf('>');
        if (gt > 0) {
            InternalAgg single = bucket.subs().get(path.substring(0, gt));
            if (single instanceof InternalSingleBucket sb) {
                return resolve(new Bucket(null, null, sb.docCount(), 0, sb.subs(), null), path.substring(gt + 1));
            }
            throw invalid(path);
        }
        String name = path;
        String property = null;
        int bracket = path.indexOf('[');
        if (bracket > 0 && path.endsWith("]")) {
            name = path.substring(0, bracket);
            property = path.substring(bracket + 1, path.length() - 1);
        } else {
            int dot = path.lastIndexOf('.');
            if (dot > 0 && bucket.subs().get(path) == null) {
                name = path.substring(0, dot);
                property = path.substring(dot + 1);
            }
        }
        InternalAgg agg = bucket.subs().get(name);
        if (agg == null) {
            throw invalid(path);
        }
        if (agg instanceof InternalSingleBucket sb && property == null) {
            return sb.docCount();
        }
        return agg.value(property);
    }

    static InvalidRequestException invalid(String path) {
        return InvalidRequestException.illegalArgument("No aggregation found for path [" + path + "]; a buckets_path"
                + " or order names _count, _key, or a metric sub-aggregation (name, name.stat or name[percent])");
    }
}
