package io.kccr.core.mapping;

/** Names of the meta fields every Lucene document carries, leader and follower alike. */
public final class MetaFields {
    /** The document id: indexed as a term and stored. */
    public static final String ID = "_id";
    /** The source JSON bytes, exactly as indexed: stored. */
    public static final String SOURCE = "_source";
    /** The shard's sequence number of the op that wrote the document: point and doc values. */
    public static final String SEQ_NO = "_seq_no";
    /** The primary term of that op: doc values. */
    public static final String PRIMARY_TERM = "_primary_term";
    /** The document's version: doc values. */
    public static final String VERSION = "_version";

    private MetaFields() {
    }

    /** True for the names above, which a source document may not use as field names. */
    public static boolean isMetaField(String name) {
        return name.equals(ID) || name.equals(SOURCE) || name.equals(SEQ_NO) || name.equals(PRIMARY_TERM)
                || name.equals(VERSION);
    }
}
