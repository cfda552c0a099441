package io.kccr.core.mapping;

import java.util.Objects;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;

/**
 * How the meta fields ({@link MetaFields}) are indexed. Every Lucene document of an index, a
 * tombstone included, must add them through here: Lucene requires a field name to have the same
 * schema (index options, doc values type, point dimensions) in every document of an index.
 *
 * <ul>
 *   <li>{@code _id}: {@link StringField} (stored, so {@code StoredFields} reads it back as a string)
 *       plus {@link SortedDocValuesField} (sorting, verification);</li>
 *   <li>{@code _source}: {@link StoredField} with the bytes exactly as given (not copied);</li>
 *   <li>{@code _seq_no}: {@link LongPoint} plus {@link NumericDocValuesField};</li>
 *   <li>{@code _primary_term}, {@code _version}: {@link NumericDocValuesField}.</li>
 * </ul>
 */
public final class MetaFieldsIndexing {

    private MetaFieldsIndexing() {
    }

    /**
     * Adds the meta fields to {@code doc}.
     *
     * @param source the {@code _source} bytes, stored as they are; null stores no {@code _source}
     *               (e.g. for a delete tombstone)
     */
    public static void addMetaFields(Document doc, String id, byte[] source, long seqNo, long primaryTerm,
                                     long version) {
        Objects.requireNonNull(id, "id");
        doc.add(new StringField(MetaFields.ID, id, Field.Store.YES));
        doc.add(new SortedDocValuesField(MetaFields.ID, new BytesRef(id)));
        if (source != null) {
            doc.add(new StoredField(MetaFields.SOURCE, source));
        }
        doc.add(new LongPoint(MetaFields.SEQ_NO, seqNo));
        doc.add(new NumericDocValuesField(MetaFields.SEQ_NO, seqNo));
        doc.add(new NumericDocValuesField(MetaFields.PRIMARY_TERM, primaryTerm));
        doc.add(new NumericDocValuesField(MetaFields.VERSION, version));
    }

    /** The term that finds a document by id ({@code IndexWriter.updateDocument}, {@code TermQuery}). */
    public static Term idTerm(String id) {
        return new Term(MetaFields.ID, id);
    }
}
