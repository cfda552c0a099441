package io.kccr.core.search.fetch;

import io.kccr.core.search.query.FieldResolver;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.FieldMapping;
import io.kccr.core.mapping.FieldType;
import io.kccr.core.mapping.Mappings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.uhighlight.LengthGoalBreakIterator;
import org.apache.lucene.search.uhighlight.Passage;
import org.apache.lucene.search.uhighlight.PassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.search.uhighlight.WholeBreakIterator;

/**
 * Highlights hits with Lucene's {@link UnifiedHighlighter} as Elasticsearch's {@code unified} highlighter: the
 * text of each {@code text} field is taken from {@code _source} (fields are not stored separately) and
 * re-analyzed with the index analyzer to find the query's terms; each fragment (a sentence grown to about
 * {@code fragment_size} characters) comes back with the matches between {@code pre_tags} and {@code post_tags}.
 * Stateless.
 */
final class SourceHighlighter {
    private SourceHighlighter() {
    }

    /**
     * The {@code highlight} object of each hit ({@code docIds[i]} with source {@code sources.get(i)}), null for
     * a hit with nothing highlighted.
     */
    static ObjectNode[] highlight(IndexSearcher searcher, Mappings mappings, Query query, HighlightRequest request,
                                  int[] docIds, List<JsonNode> sources) throws IOException {
        ObjectNode[] out = new ObjectNode[docIds.length];
        Map<Integer, JsonNode> sourceByDoc = new HashMap<>();
        for (int i = 0; i < docIds.length; i++) {
            sourceByDoc.put(docIds[i], sources.get(i));
        }
        for (Map.Entry<String, HighlightRequest.Options> e : request.fields().entrySet()) {
            HighlightRequest.Options o = e.getValue();
            for (String field : textFields(mappings, e.getKey())) {
                UnifiedHighlighter uh = highlighter(searcher, o, sourceByDoc);
                int passages = o.numberOfFragments() == 0 ? 1 : o.numberOfFragments();
                Map<String, Object[]> result = highlightFields(uh, field, query, docIds, passages);
                Object[] perDoc = result.get(field);
                for (int i = 0; i < docIds.length; i++) {
                    String[] fragments = perDoc == null ? null : (String[]) perDoc[i];
                    List<String> values = fragments == null ? List.of() : List.of(fragments);
                    if (values.isEmpty() && o.noMatchSize() > 0) {
                        String text = firstValue(sources.get(i), field);
                        if (text != null) {
                            values = List.of(text.substring(0, Math.min(text.length(), o.noMatchSize())));
                        }
                    }
                    if (!values.isEmpty()) {
                        if (out[i] == null) {
                            out[i] = JsonNodeFactory.instance.objectNode();
                        }
                        ArrayNode arr = out[i].putArray(field);
                        values.forEach(arr::add);
                    }
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object[]> highlightFields(UnifiedHighlighter uh, String field, Query query,
                                                         int[] docIds, int passages) throws IOException {
        return ((Exposed) uh).objects(new String[] {field}, query, docIds, new int[] {passages});
    }

    /** The text fields a field name or pattern names. */
    private static List<String> textFields(Mappings mappings, String pattern) {
        List<String> out = new ArrayList<>();
        if (!pattern.contains("*")) {
            FieldMapping m = mappings.field(pattern);
            if (m != null && m.type() == FieldType.TEXT) {
                out.add(pattern);
            }
            return out;
        }
        Pattern regex = FieldResolver.wildcardRegex(pattern);
        for (Map.Entry<String, FieldMapping> e : mappings.fields().entrySet()) {
            if (e.getValue().type() == FieldType.TEXT && regex.matcher(e.getKey()).matches()) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private static UnifiedHighlighter highlighter(IndexSearcher searcher, HighlightRequest.Options o,
                                                  Map<Integer, JsonNode> sources) {
        UnifiedHighlighter.Builder b = UnifiedHighlighter.builder(searcher, DocumentMapper.analyzer())
                .withFormatter(new FragmentFormatter(o))
                .withMaxNoHighlightPassages(0)
                .withBreakIterator(() -> o.numberOfFragments() == 0 ? new WholeBreakIterator()
                        : LengthGoalBreakIterator.createMinLength(BreakIterator.getSentenceInstance(Locale.ROOT),
                        o.fragmentSize(), 0f));
        if (!o.requireFieldMatch()) {
            b.withFieldMatcher(f -> true);
        }
        if (o.scoreOrder()) {
            b.withPassageSortComparator(Comparator.comparingDouble(Passage::getScore).reversed());
        }
        return new Exposed(b, sources);
    }

    /** The unified highlighter reading field values from {@code _source} and returning fragments as arrays. */
    private static final class Exposed extends UnifiedHighlighter {
        private final Map<Integer, JsonNode> sources;

        Exposed(Builder builder, Map<Integer, JsonNode> sources) {
            super(builder);
            this.sources = sources;
        }

        Map<String, Object[]> objects(String[] fields, Query query, int[] docIds, int[] passages) throws IOException {
            return highlightFieldsAsObjects(fields, query, docIds, passages);
        }

        @Override
        protected List<CharSequence[]> loadFieldValues(String[] fields, DocIdSetIterator docIter,
                                                       int cacheCharsThreshold) throws IOException {
            List<CharSequence[]> out = new ArrayList<>();
            for (int doc = docIter.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docIter.nextDoc()) {
                CharSequence[] values = new CharSequence[fields.length];
                for (int i = 0; i < fields.length; i++) {
                    List<String> texts = values(sources.get(doc), fields[i]);
                    values[i] = String.join(String.valueOf(MULTIVAL_SEP_CHAR), texts);
                }
                out.add(values);
            }
            return out;
        }
    }

    private static String firstValue(JsonNode source, String path) {
        List<String> v = values(source, path);
        return v.isEmpty() ? null : v.getFirst();
    }

    /** The string values at a dotted path of a source (objects and arrays walked). */
    static List<String> values(JsonNode source, String path) {
        List<String> out = new ArrayList<>();
        collect(source, path.split("\\."), 0, out);
        return out;
    }

    private static void collect(JsonNode node, String[] parts, int i, List<String> out) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isArray()) {
            node.forEach(n -> collect(n, parts, i, out));
            return;
        }
        if (i == parts.length) {
            if (node.isValueNode()) {
                out.add(node.asText());
            }
            return;
        }
        if (node.isObject()) {
            // a dotted key in the source ("a.b": 1) stands for the same path as nested objects
            for (int j = parts.length; j > i; j--) {
                String key = String.join(".", java.util.Arrays.copyOfRange(parts, i, j));
                if (node.has(key)) {
                    collect(node.get(key), parts, j, out);
                }
            }
        }
    }

    /** Each passage as its own fragment, the matches wrapped in the tags (cycled per match as Elasticsearch does). */
    private static final class FragmentFormatter extends PassageFormatter {
        private final HighlightRequest.Options o;

        FragmentFormatter(HighlightRequest.Options o) {
            this.o = o;
        }

        @Override
        public Object format(Passage[] passages, String content) {
            List<String> out = new ArrayList<>(passages.length);
            for (Passage p : passages) {
                StringBuilder sb = new StringBuilder();
                int pos = p.getStartOffset();
                for (int i = 0; i < p.getNumMatches(); i++) {
                    int start = p.getMatchStarts()[i];
                    int end = p.getMatchEnds()[i];
                    if (start < pos) {
                        continue; // overlaps the previous match
                    }
                    append(sb, content, pos, start);
                    int tag = i % o.preTags().size();
                    sb.append(o.preTags().get(tag));
                    append(sb, content, start, end);
                    sb.append(o.postTags().get(Math.min(tag, o.postTags().size() - 1)));
                    pos = end;
                }
                append(sb, content, pos, p.getEndOffset());
                String fragment = sb.toString().replace(MULTIVAL, ' ').trim();
                if (!fragment.isEmpty()) {
                    out.add(fragment);
                }
            }
            return out.toArray(String[]::new);
        }

        private void append(StringBuilder sb, String content, int from, int to) {
            String s = content.substring(from, Math.min(to, content.length()));
            if (o.htmlEncoder()) {
                s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                        .replace("'", "&#x27;").replace("/", "&#x2F;");
            }
            sb.append(s);
        }
    }

    private static final char MULTIVAL = '\u2029';
}
