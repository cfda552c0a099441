package io.kccr.core.search.fetch;

import io.kccr.core.search.query.FieldResolver;
import io.kccr.core.search.query.QueryDsl;
import io.kccr.core.search.fetch.SearchHit;
import io.kccr.core.mapping.DateFormat;
import io.kccr.core.mapping.FieldMapping;
import io.kccr.core.mapping.FieldType;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.mapping.MetaFields;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.NumericUtils;

/**
 * The fetch phase: turns the top documents of a search (or of a {@code top_hits} bucket) into hits, with what
 * {@link FetchOptions} asks for. Stored fields are read once per hit; doc values per hit and field. Stateless.
 */
public final class HitFetcher {
    /**
     * Reads {@code _source} with exact decimals, so a value comes back as it was written ({@code 4.0} stays
     * {@code 4.0}). Its buffers come from a pool all threads share, not one per thread: a search may run on a
     * virtual thread of its own.
     */
    static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final Set<String> STORED = Set.of(MetaFields.ID, MetaFields.SOURCE);

    private HitFetcher() {
    }

    /**
     * The hits of {@code docs[from..]} ({@code searcher}'s doc ids).
     *
     * @param scored whether the scores mean anything (else {@code _score} is null)
     * @param sorted whether the docs are {@link FieldDoc}s whose sort values each hit shows
     * @param query  the query to highlight (null when not highlighting)
     */
    public static List<SearchHit> fetch(IndexSearcher searcher, String indexName, Mappings mappings,
                                                 ScoreDoc[] docs, int from, boolean scored, boolean sorted,
                                                 FetchOptions options, Query query) throws IOException {
        int n = Math.max(0, docs.length - from);
        List<SearchHit> hits = new ArrayList<>(n);
        if (n == 0) {
            return hits;
        }
        StoredFields storedFields = searcher.storedFields();
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        // the whole source, unfiltered, is copied into the response as stored: only filtering, fields and highlighting
        // need it parsed
        boolean needTree = options.source().fetch() && options.source().isFiltering() || !options.fields().isEmpty()
                || options.highlight() != null;
        boolean storedOnly = !needTree && options.source().fetch() && !options.noStoredFields();
        List<JsonNode> fullSources = new ArrayList<>(n);
        int[] docIds = new int[n];
        for (int i = from; i < docs.length; i++) {
            ScoreDoc sd = docs[i];
            docIds[i - from] = sd.doc;
            Document doc = storedFields.document(sd.doc, STORED);
            JsonNode full = null;
            BytesRef stored = null;
            if (needTree) {
                BytesRef bytes = doc.getBinaryValue(MetaFields.SOURCE);
                if (bytes != null) {
                    full = JSON.readTree(bytes.bytes, bytes.offset, bytes.length);
                }
            } else if (storedOnly) {
                stored = doc.getBinaryValue(MetaFields.SOURCE);
            }
            fullSources.add(full);
            List<Object> sortValues = null;
            if (sorted) {
                sortValues = new ArrayList<>();
                for (Object v : ((FieldDoc) sd).fields) {
                    sortValues.add(v instanceof BytesRef b ? b.utf8ToString() : v);
                }
            }
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
            int leafDoc = sd.doc - leaf.docBase;
            Long seqNo = null;
            Long primaryTerm = null;
            Long version = null;
            if (options.seqNoPrimaryTerm()) {
                seqNo = numeric(leaf, MetaFields.SEQ_NO, leafDoc, -2L);
                primaryTerm = numeric(leaf, MetaFields.PRIMARY_TERM, leafDoc, 0L);
            }
            if (options.version()) {
                version = numeric(leaf, MetaFields.VERSION, leafDoc, -1L);
            }
            ObjectNode fields = null;
            if (!options.docValueFields().isEmpty()) {
                fields = docValueFields(mappings, options.docValueFields(), leaf, leafDoc);
            }
            if (!options.fields().isEmpty() && full != null) {
                ObjectNode fromSource = sourceFields(mappings, options.fields(), full);
                if (fields == null) {
                    fields = fromSource;
                } else {
                    fields.setAll(fromSource);
                }
            }
            if (fields != null && fields.isEmpty()) {
                fields = null;
            }
            JsonNode source = options.source().fetch() && !options.noStoredFields() ? options.source().apply(full) : null;
            String id = options.noStoredFields() ? null : doc.get(MetaFields.ID);
            hits.add(new SearchHit(indexName, id, scored ? sd.score : null, source, sortValues, seqNo,
                    primaryTerm, version, fields, null, stored));
        }
        if (options.highlight() != null && query != null) {
            Query hq = options.highlight().highlightQuery() == null ? query
                    : new QueryDsl(mappings).toQuery(options.highlight().highlightQuery());
            ObjectNode[] highlights = SourceHighlighter.highlight(searcher, mappings, hq, options.highlight(), docIds,
                    fullSources);
            for (int i = 0; i < hits.size(); i++) {
                if (highlights[i] != null) {
                    hits.set(i, hits.get(i).withHighlight(highlights[i]));
                }
            }
        }
        return hits;
    }

    private static Long numeric(LeafReaderContext leaf, String field, int doc, long missing) throws IOException {
        NumericDocValues dv = leaf.reader().getNumericDocValues(field);
        if (dv != null && dv.advanceExact(doc)) {
            return dv.longValue();
        }
        return missing;
    }

    /** Concrete mapped fields a name or wildcard pattern names (multi-fields included). */
    static List<String> matchingFields(Mappings mappings, String pattern) {
        List<String> out = new ArrayList<>();
        if (!pattern.contains("*")) {
            if (mappings.field(pattern) != null) {
                out.add(pattern);
            }
            return out;
        }
        Pattern regex = FieldResolver.wildcardRegex(pattern);
        for (Map.Entry<String, FieldMapping> e : mappings.fields().entrySet()) {
            if (e.getValue().type() == FieldType.OBJECT) {
                continue;
            }
            if (regex.matcher(e.getKey()).matches()) {
                out.add(e.getKey());
            }
            for (String sub : e.getValue().fields().keySet()) {
                String path = e.getKey() + "." + sub;
                if (regex.matcher(path).matches()) {
                    out.add(path);
                }
            }
        }
        return out;
    }

    private static ObjectNode docValueFields(Mappings mappings, List<FetchOptions.FieldAndFormat> specs,
                                             LeafReaderContext leaf, int doc) throws IOException {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (FetchOptions.FieldAndFormat spec : specs) {
            for (String field : matchingFields(mappings, spec.field())) {
                FieldMapping m = mappings.field(field);
                ArrayNode values = JsonNodeFactory.instance.arrayNode();
                switch (m.type()) {
                    case KEYWORD -> {
                        SortedSetDocValues dv = DocValues.getSortedSet(leaf.reader(), field);
                        if (dv.advanceExact(doc)) {
                            for (int i = 0; i < dv.docValueCount(); i++) {
                                values.add(dv.lookupOrd(dv.nextOrd()).utf8ToString());
                            }
                        }
                    }
                    case TEXT, GEO_POINT, OBJECT -> {
                        continue; // no doc values: Elasticsearch refuses these; leave them out
                    }
                    default -> {
                        SortedNumericDocValues dv = DocValues.getSortedNumeric(leaf.reader(), field);
                        if (dv.advanceExact(doc)) {
                            for (int i = 0; i < dv.docValueCount(); i++) {
                                addNumeric(values, m, dv.nextValue(), spec.format());
                            }
                        }
                    }
                }
                if (!values.isEmpty()) {
                    out.set(field, values);
                }
            }
        }
        return out;
    }

    private static void addNumeric(ArrayNode values, FieldMapping m, long raw, String format) {
        switch (m.type()) {
            case DOUBLE -> values.add(NumericUtils.sortableLongToDouble(raw));
            case FLOAT, HALF_FLOAT, SCALED_FLOAT -> values.add(NumericUtils.sortableIntToFloat((int) raw));
            case BOOLEAN -> values.add(raw != 0);
            case DATE -> values.add(DateFormat.of(format != null ? format : m.format()).print(raw));
            default -> values.add(raw);
        }
    }

    private static ObjectNode sourceFields(Mappings mappings, List<FetchOptions.FieldAndFormat> specs, JsonNode source) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (FetchOptions.FieldAndFormat spec : specs) {
            for (String field : matchingFields(mappings, spec.field())) {
                FieldMapping m = mappings.field(field);
                int dot = field.lastIndexOf('.');
                boolean multiField = mappings.fields().get(field) == null && dot > 0;
                String path = multiField ? field.substring(0, dot) : field;
                ArrayNode values = JsonNodeFactory.instance.arrayNode();
                for (String v : SourceHighlighter.values(source, path)) {
                    addSourceValue(values, m, v, spec.format());
                }
                if (!values.isEmpty()) {
                    out.set(field, values);
                }
            }
        }
        return out;
    }

    private static void addSourceValue(ArrayNode values, FieldMapping m, String v, String format) {
        try {
            switch (m.type()) {
                case LONG, INTEGER, SHORT, BYTE -> values.add(new java.math.BigDecimal(v).longValue());
                case DOUBLE, FLOAT, HALF_FLOAT, SCALED_FLOAT -> values.add(Double.parseDouble(v));
                case BOOLEAN -> values.add(Boolean.parseBoolean(v));
                case DATE -> {
                    long millis = DateFormat.of(m.format()).parseMillis(v);
                    values.add(DateFormat.of(format != null ? format : m.format()).print(millis));
                }
                default -> {
                    if (m.type() != FieldType.KEYWORD || m.ignoreAbove() == null || v.length() <= m.ignoreAbove()) {
                        values.add(v);
                    }
                }
            }
        } catch (RuntimeException e) {
            // a value the mapping did not index (ignore_malformed-like leftovers): not returned
        }
    }
}
