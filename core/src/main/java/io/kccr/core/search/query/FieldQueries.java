package io.kccr.core.search.query;

import static io.kccr.core.search.query.FieldValues.booleanValue;
import static io.kccr.core.search.query.FieldValues.dateString;
import static io.kccr.core.search.query.FieldValues.doubleValue;
import static io.kccr.core.search.query.FieldValues.exactLong;
import static io.kccr.core.search.query.FieldValues.floatValue;
import static io.kccr.core.search.query.FieldValues.longBounds;
import static io.kccr.core.search.query.FieldValues.stringValue;

import io.kccr.core.mapping.FieldType;
import io.kccr.core.mapping.MetaFields;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.FloatPoint;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.RegExp;

/**
 * The Lucene query for a value on one field, following how the document mapper indexes each type:
 * {@code text}/{@code keyword} as terms, numbers and dates as points ({@link LongPoint},
 * {@link IntPoint}, {@link DoublePoint}, {@link FloatPoint}), booleans as {@code T}/{@code F} terms,
 * {@code _primary_term}/{@code _version} as numeric doc values. Shared by the query DSL builders and
 * {@link QueryStringParser}; no analysis happens here. A value the type cannot take is an
 * {@link IllegalArgumentException} (or {@link java.time.DateTimeException}), which the caller turns
 * into a {@code query_shard_exception} or, when lenient, into match-nothing. Immutable and thread-safe.
 */
final class FieldQueries {

    private final FieldResolver fields;

    FieldQueries(FieldResolver fields) {
        this.fields = fields;
    }

    /** An exact-value query: no analysis; numbers, dates and booleans parsed for the field's type. */
    Query termQuery(FieldTarget t, Object value) {
        if (t.kind() == FieldTarget.Kind.DOC_VALUES_LONG) {
            Long v = exactLong(value, FieldType.LONG);
            return v == null ? new MatchNoDocsQuery() : NumericDocValuesField.newSlowExactQuery(t.name(), v);
        }
        String f = t.name();
        return switch (t.type()) {
            case TEXT, KEYWORD -> new TermQuery(new Term(f, stringValue(value)));
            case LONG -> {
                Long v = exactLong(value, t.type());
                yield v == null ? new MatchNoDocsQuery() : LongPoint.newExactQuery(f, v);
            }
            case INTEGER, SHORT, BYTE -> {
                Long v = exactLong(value, t.type());
                yield v == null ? new MatchNoDocsQuery() : IntPoint.newExactQuery(f, (int) (long) v);
            }
            case DOUBLE -> DoublePoint.newExactQuery(f, doubleValue(value));
            case FLOAT, HALF_FLOAT, SCALED_FLOAT -> FloatPoint.newExactQuery(f, floatValue(value));
            case BOOLEAN -> new TermQuery(new Term(f, booleanValue(value) ? "T" : "F"));
            case DATE -> rangeQuery(t, value, value, true, true, null, null);
            case GEO_POINT -> throw new IllegalArgumentException("Geometry fields do not support exact searching, use dedicated geometry queries instead: [" + f + "]");
            case OBJECT -> new MatchNoDocsQuery();
        };
    }

    /** The exact term {@code value} ignoring ASCII case; for {@code text} and {@code keyword} fields. */
    Query caseInsensitiveTermQuery(FieldTarget t, Object value) {
        return new RegexpQuery(new Term(t.name(), regexEscape(stringValue(value))), RegExp.NONE,
                RegExp.ASCII_CASE_INSENSITIVE, Operations.DEFAULT_DETERMINIZE_WORK_LIMIT);
    }

    /** A constant-scoring query matching any of {@code values}. */
    Query termsQuery(FieldTarget t, List<Object> values) {
        if (values.isEmpty()) {
            return new MatchNoDocsQuery();
        }
        String f = t.name();
        if (t.kind() == FieldTarget.Kind.DOC_VALUES_LONG || t.type() == FieldType.DATE) {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            for (Object v : new LinkedHashSet<>(values)) {
                b.add(termQuery(t, v), Occur.SHOULD);
            }
            return new ConstantScoreQuery(b.build());
        }
        Query q = switch (t.type()) {
            case TEXT, KEYWORD -> {
                List<BytesRef> terms = new ArrayList<>();
                values.forEach(v -> terms.add(new BytesRef(stringValue(v))));
                yield new TermInSetQuery(f, terms);
            }
            case BOOLEAN -> {
                List<BytesRef> terms = new ArrayList<>();
                values.forEach(v -> terms.add(new BytesRef(booleanValue(v) ? "T" : "F")));
                yield new TermInSetQuery(f, terms);
            }
            case LONG, INTEGER, SHORT, BYTE -> {
                List<Long> longs = new ArrayList<>();
                for (Object v : values) {
                    Long l = exactLong(v, t.type());
                    if (l != null) {
                        longs.add(l);
                    }
                }
                if (longs.isEmpty()) {
                    yield new MatchNoDocsQuery();
                }
                if (t.type() == FieldType.LONG) {
                    yield LongPoint.newSetQuery(f, longs);
                }
                yield IntPoint.newSetQuery(f, longs.stream().mapToInt(Long::intValue).toArray());
            }
            case DOUBLE -> DoublePoint.newSetQuery(f, values.stream().mapToDouble(FieldValues::doubleValue).toArray());
            case FLOAT, HALF_FLOAT, SCALED_FLOAT -> {
                float[] fs = new float[values.size()];
                for (int i = 0; i < fs.length; i++) {
                    fs[i] = floatValue(values.get(i));
                }
                yield FloatPoint.newSetQuery(f, fs);
            }
            case GEO_POINT -> throw new IllegalArgumentException("Geometry fields do not support exact searching, use dedicated geometry queries instead: [" + f + "]");
            default -> new MatchNoDocsQuery();
        };
        return new ConstantScoreQuery(q);
    }

    /** A range; null bounds are open. Dates honour {@code format} (else the mapping's) and {@code zone}. */
    Query rangeQuery(FieldTarget t, Object from, Object to, boolean includeLower, boolean includeUpper, String format,
            ZoneId zone) {
        String f = t.name();
        if (t.kind() == FieldTarget.Kind.DOC_VALUES_LONG) {
            long[] b = longBounds(from, to, includeLower, includeUpper, FieldType.LONG);
            return b == null ? new MatchNoDocsQuery() : NumericDocValuesField.newSlowRangeQuery(f, b[0], b[1]);
        }
        switch (t.type()) {
            case TEXT, KEYWORD:
                return TermRangeQuery.newStringRange(f, from == null ? null : stringValue(from),
                        to == null ? null : stringValue(to), includeLower, includeUpper);
            case BOOLEAN:
                return TermRangeQuery.newStringRange(f, from == null ? null : booleanValue(from) ? "T" : "F",
                        to == null ? null : booleanValue(to) ? "T" : "F", includeLower, includeUpper);
            case LONG, INTEGER, SHORT, BYTE: {
                long[] b = longBounds(from, to, includeLower, includeUpper, t.type());
                if (b == null) {
                    return new MatchNoDocsQuery();
                }
                return t.type() == FieldType.LONG ? LongPoint.newRangeQuery(f, b[0], b[1])
                        : IntPoint.newRangeQuery(f, (int) b[0], (int) b[1]);
            }
            case DOUBLE: {
                double lo = from == null ? Double.NEGATIVE_INFINITY : doubleValue(from);
                double hi = to == null ? Double.POSITIVE_INFINITY : doubleValue(to);
                if (from != null && !includeLower) {
                    lo = DoublePoint.nextUp(lo);
                }
                if (to != null && !includeUpper) {
                    hi = DoublePoint.nextDown(hi);
                }
                return lo > hi ? new MatchNoDocsQuery() : DoublePoint.newRangeQuery(f, lo, hi);
            }
            case FLOAT, HALF_FLOAT, SCALED_FLOAT: {
                float lo = from == null ? Float.NEGATIVE_INFINITY : floatValue(from);
                float hi = to == null ? Float.POSITIVE_INFINITY : floatValue(to);
                if (from != null && !includeLower) {
                    lo = FloatPoint.nextUp(lo);
                }
                if (to != null && !includeUpper) {
                    hi = FloatPoint.nextDown(hi);
                }
                return lo > hi ? new MatchNoDocsQuery() : FloatPoint.newRangeQuery(f, lo, hi);
            }
            case DATE:
                return dateRange(f, from, to, includeLower, includeUpper, format != null ? format : t.format(), zone);
            case GEO_POINT:
                throw new IllegalArgumentException("Field [" + f + "] of type [geo_point] does not support range queries");
            default:
                return new MatchNoDocsQuery();
        }
    }

    /** Date bounds in epoch millis: an exclusive lower bound rounds up, an inclusive upper bound too. */
    private static Query dateRange(String f, Object from, Object to, boolean includeLower, boolean includeUpper,
            String format, ZoneId zone) {
        long lo = Long.MIN_VALUE;
        long hi = Long.MAX_VALUE;
        if (from != null) {
            lo = DateParser.parse(dateString(from), format, !includeLower, zone);
            if (!includeLower) {
                if (lo == Long.MAX_VALUE) {
                    return new MatchNoDocsQuery();
                }
                lo++;
            }
        }
        if (to != null) {
            hi = DateParser.parse(dateString(to), format, includeUpper, zone);
            if (!includeUpper) {
                if (hi == Long.MIN_VALUE) {
                    return new MatchNoDocsQuery();
                }
                hi--;
            }
        }
        return lo > hi ? new MatchNoDocsQuery() : LongPoint.newRangeQuery(f, lo, hi);
    }

    /** Documents with a value for {@code field}; an object means any field below it; patterns may use {@code *}. */
    Query existsQuery(String field) {
        if (field.equals(MetaFields.ID) || field.equals(MetaFields.SOURCE)) {
            return new MatchAllDocsQuery();
        }
        FieldTarget t = fields.resolve(field);
        if (t != null) {
            return new ConstantScoreQuery(new FieldExistsQuery(t.name()));
        }
        List<String> leaves = field.indexOf('*') >= 0 ? fields.expandPattern(field) : fields.leavesUnder(field);
        if (leaves.isEmpty()) {
            return new MatchNoDocsQuery();
        }
        if (leaves.size() == 1) {
            return new ConstantScoreQuery(new FieldExistsQuery(leaves.get(0)));
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        leaves.forEach(l -> b.add(new FieldExistsQuery(l), Occur.SHOULD));
        return new ConstantScoreQuery(b.build());
    }

    Query prefixQuery(FieldTarget t, String prefix, boolean caseInsensitive) {
        requireStringLike(t, "prefix");
        if (caseInsensitive) {
            return new RegexpQuery(new Term(t.name(), regexEscape(prefix) + ".*"), RegExp.NONE,
                    RegExp.ASCII_CASE_INSENSITIVE, Operations.DEFAULT_DETERMINIZE_WORK_LIMIT);
        }
        return new PrefixQuery(new Term(t.name(), prefix));
    }

    /** {@code *} any characters, {@code ?} one, {@code \} escapes. */
    Query wildcardQuery(FieldTarget t, String pattern, boolean caseInsensitive) {
        requireStringLike(t, "wildcard");
        if (caseInsensitive) {
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '*') {
                    re.append(".*");
                } else if (c == '?') {
                    re.append('.');
                } else if (c == '\\' && i + 1 < pattern.length()) {
                    re.append(regexEscape(String.valueOf(pattern.charAt(++i))));
                } else {
                    re.append(regexEscape(String.valueOf(c)));
                }
            }
            return new RegexpQuery(new Term(t.name(), re.toString()), RegExp.NONE, RegExp.ASCII_CASE_INSENSITIVE,
                    Operations.DEFAULT_DETERMINIZE_WORK_LIMIT);
        }
        return new WildcardQuery(new Term(t.name(), pattern));
    }

    private static void requireStringLike(FieldTarget t, String what) {
        if (!t.isStringLike()) {
            throw new IllegalArgumentException("Can only use " + what + " queries on keyword and text fields - not on ["
                    + t.name() + "] which is of type [" + t.type().jsonName() + "]");
        }
    }

    private static String regexEscape(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp)) {
                sb.appendCodePoint(cp);
            } else {
                sb.append('\\').appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
