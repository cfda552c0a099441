package io.kccr.core.mapping;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexableField;

/**
 * A source document turned into Lucene fields by {@link DocumentMapper#parse}.
 *
 * @param id                    the document id
 * @param source                the {@code _source} bytes exactly as given (not copied; do not modify)
 * @param fields                the mapped fields, meta fields not included; immutable Lucene field
 *                              objects that may be added to any number of documents
 * @param dynamicMappingUpdates fields the mappings did not know and dynamic mapping added, by dotted
 *                              path, in the order met; empty when none. The {@code fields} already
 *                              index them with these types: merge them into the index mappings
 *                              before (or atomically with) indexing the document
 */
public record ParsedDocument(String id, byte[] source, List<IndexableField> fields,
                             Map<String, FieldMapping> dynamicMappingUpdates) {

    public ParsedDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        fields = List.copyOf(fields);
        dynamicMappingUpdates = dynamicMappingUpdates == null || dynamicMappingUpdates.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(dynamicMappingUpdates));
    }

    /**
     * The full Lucene document: the meta fields ({@link MetaFieldsIndexing#addMetaFields}) followed
     * by the mapped fields. May be called any number of times, from any thread: each call returns a
     * new {@link Document}; the mapped field objects are shared between them, which Lucene allows
     * because nothing changes them.
     */
    public Document toLuceneDocument(long seqNo, long primaryTerm, long version) {
        Document doc = new Document();
        MetaFieldsIndexing.addMetaFields(doc, id, source, seqNo, primaryTerm, version);
        for (int i = 0, n = fields.size(); i < n; i++) {
            doc.add(fields.get(i));
        }
        return doc;
    }
}
