package io.kccr.core.search.query;

import io.kccr.core.mapping.FieldType;

/**
 * What a field name in a query addresses: a mapped leaf field (or multi-field) or one of the meta
 * fields, with the type that decides how values are parsed and which Lucene query matches them.
 * Made by {@link FieldResolver#resolve(String)}; immutable.
 *
 * @param name   the indexed field name
 * @param type   the field's type ({@code keyword} for {@code _id}, {@code long} for the numeric meta fields)
 * @param format the mapping's date format, or null
 * @param kind   how the field is indexed
 */
record FieldTarget(String name, FieldType type, String format, Kind kind) {

    /** How a field is indexed, which decides the Lucene query shape. */
    enum Kind {
        /** A field of the mappings, indexed as the document mapper indexes its type. */
        MAPPED,
        /** {@code _id}: a keyword term. */
        ID,
        /** {@code _seq_no}: a long point. */
        SEQ_NO,
        /** {@code _primary_term}, {@code _version}: numeric doc values only. */
        DOC_VALUES_LONG
    }

    /** True for a mapped {@code text} field, whose values are analyzed. */
    boolean isText() {
        return kind == Kind.MAPPED && type == FieldType.TEXT;
    }

    /** True for {@code text} and {@code keyword} fields, the only ones prefix, wildcard and regexp queries take. */
    boolean isStringLike() {
        return type == FieldType.TEXT || type == FieldType.KEYWORD;
    }
}
