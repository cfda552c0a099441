package io.kccr.core.mapping;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.KccrException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.FloatPoint;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LatLonPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.NumericUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DocumentMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DocumentMapper mapper = new DocumentMapper();
    private final ByteBuffersDirectory dir = new ByteBuffersDirectory();
    private IndexWriter writer;
    private DirectoryReader reader;

    @AfterEach
    void close() throws IOException {
        if (reader != null) {
            reader.close();
        }
        if (writer != null) {
            writer.close();
        }
        dir.close();
    }

    // ------------------------------------------------------------------------------ helpers

    private static Mappings mappings(String json) {
        try {
            return Mappings.fromJson(JSON.readTree(json));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private ParsedDocument parse(String id, String source, Mappings mappings) {
        return mapper.parse(id, bytes(source), mappings);
    }

    private static KccrException error(Runnable r) {
        try {
            r.run();
        } catch (KccrException e) {
            return e;
        }
        throw new AssertionError("expected an KccrException");
    }

    /** Indexes each doc (seq_no = position) and opens a searcher over them. */
    private IndexSearcher index(ParsedDocument... docs) throws IOException {
        writer = new IndexWriter(dir, new IndexWriterConfig(DocumentMapper.analyzer()));
        long seqNo = 0;
        for (ParsedDocument doc : docs) {
            writer.addDocument(doc.toLuceneDocument(seqNo++, 1, 1));
        }
        writer.commit();
        reader = DirectoryReader.open(writer);
        return new IndexSearcher(reader);
    }

    private static List<String> ids(IndexSearcher searcher, Query query) throws IOException {
        List<String> ids = new ArrayList<>();
        for (ScoreDoc hit : searcher.search(query, 100).scoreDocs) {
            ids.add(searcher.storedFields().document(hit.doc).get(MetaFields.ID));
        }
        ids.sort(null);
        return ids;
    }

    private static List<String> names(ParsedDocument doc) {
        return doc.fields().stream().map(IndexableField::name).distinct().sorted().toList();
    }

    // ------------------------------------------------------------------------------ explicit mappings

    private static final String ALL_TYPES = """
            {"properties": {
              "title": {"type": "text"},
              "tag": {"type": "keyword"},
              "population": {"type": "long"},
              "rank": {"type": "integer"},
              "small": {"type": "short"},
              "tiny": {"type": "byte"},
              "score": {"type": "double"},
              "ratio": {"type": "float"},
              "half": {"type": "half_float"},
              "active": {"type": "boolean"},
              "created": {"type": "date"},
              "location": {"type": "geo_point"},
              "address": {"properties": {"city": {"type": "keyword"}, "zip": {"type": "integer"}}}
            }}""";

    @Test
    void explicitMappingsIndexEachTypeSoQueriesFindIt() throws IOException {
        Mappings m = mappings(ALL_TYPES);
        ParsedDocument a = parse("a", """
                {"title": "The Quick Brown Fox", "tag": "red", "population": 1200000, "rank": 3, "small": 7, "tiny": -2,
                 "score": 2.5, "ratio": 0.5, "half": 1.5, "active": true, "created": "2024-01-02T03:04:05.123+01:00",
                 "location": {"lat": 42.5, "lon": 1.5}, "address": {"city": "Paris", "zip": 75001}}""", m);
        ParsedDocument b = parse("b", """
                {"title": "lazy dog", "tag": ["blue", "green"], "population": 10, "rank": 30, "score": -1, "ratio": 3,
                 "active": false, "created": "2020-06-01", "location": "-33.9,151.2", "address": {"city": "Sydney"}}""", m);
        assertThat(a.dynamicMappingUpdates()).isEmpty();
        assertThat(b.dynamicMappingUpdates()).isEmpty();
        IndexSearcher s = index(a, b);

        assertThat(ids(s, new TermQuery(new Term("title", "quick")))).containsExactly("a");
        assertThat(ids(s, new TermQuery(new Term("title", "the")))).containsExactly("a"); // no stop words
        assertThat(ids(s, new TermQuery(new Term("tag", "red")))).containsExactly("a");
        assertThat(ids(s, new TermQuery(new Term("tag", "green")))).containsExactly("b");
        assertThat(ids(s, LongPoint.newRangeQuery("population", 1000, Long.MAX_VALUE))).containsExactly("a");
        assertThat(ids(s, IntPoint.newRangeQuery("rank", 10, 100))).containsExactly("b");
        assertThat(ids(s, IntPoint.newExactQuery("small", 7))).containsExactly("a");
        assertThat(ids(s, IntPoint.newExactQuery("tiny", -2))).containsExactly("a");
        assertThat(ids(s, DoublePoint.newRangeQuery("score", 0, 10))).containsExactly("a");
        assertThat(ids(s, FloatPoint.newRangeQuery("ratio", 1f, 5f))).containsExactly("b");
        assertThat(ids(s, FloatPoint.newExactQuery("half", 1.5f))).containsExactly("a");
        assertThat(ids(s, new TermQuery(new Term("active", "T")))).containsExactly("a");
        assertThat(ids(s, new TermQuery(new Term("active", "F")))).containsExactly("b");
        long created = Instant.parse("2024-01-02T02:04:05.123Z").toEpochMilli();
        assertThat(ids(s, LongPoint.newExactQuery("created", created))).containsExactly("a");
        assertThat(ids(s, LongPoint.newRangeQuery("created", Instant.parse("2020-01-01T00:00:00Z").toEpochMilli(),
                Instant.parse("2021-01-01T00:00:00Z").toEpochMilli()))).containsExactly("b");
        assertThat(ids(s, LatLonPoint.newBoxQuery("location", 42, 43, 1, 2))).containsExactly("a");
        assertThat(ids(s, LatLonPoint.newBoxQuery("location", -34, -33, 151, 152))).containsExactly("b");
        assertThat(ids(s, new TermQuery(new Term("address.city", "Sydney")))).containsExactly("b");
        assertThat(ids(s, IntPoint.newExactQuery("address.zip", 75001))).containsExactly("a");

        // doc values
        LeafReader leaf = reader.leaves().get(0).reader();
        SortedNumericDocValues score = leaf.getSortedNumericDocValues("score");
        assertThat(score.advanceExact(0)).isTrue();
        assertThat(NumericUtils.sortableLongToDouble(score.nextValue())).isEqualTo(2.5);
        SortedNumericDocValues ratio = leaf.getSortedNumericDocValues("ratio");
        assertThat(ratio.advanceExact(1)).isTrue();
        assertThat(NumericUtils.sortableIntToFloat((int) ratio.nextValue())).isEqualTo(3f);
        SortedNumericDocValues active = leaf.getSortedNumericDocValues("active");
        assertThat(active.advanceExact(0)).isTrue();
        assertThat(active.nextValue()).isEqualTo(1);
        assertThat(leaf.getSortedSetDocValues("tag")).isNotNull();
        assertThat(leaf.getSortedNumericDocValues("created")).isNotNull();
    }

    @Test
    void metaFieldsAreIndexedStoredAndReadable() throws IOException {
        String source = "{\"title\":  \"x\"}";
        ParsedDocument doc = parse("doc-1", source, Mappings.empty());
        IndexSearcher s = index(doc, parse("doc-2", "{}", Mappings.empty()));
        assertThat(ids(s, new TermQuery(new Term(MetaFields.ID, "doc-1")))).containsExactly("doc-1");
        assertThat(ids(s, new TermQuery(MetaFieldsIndexing.idTerm("doc-2")))).containsExactly("doc-2");
        assertThat(ids(s, LongPoint.newRangeQuery(MetaFields.SEQ_NO, 1, 1))).containsExactly("doc-2");
        Document stored = s.storedFields().document(0);
        assertThat(stored.getBinaryValue(MetaFields.SOURCE)).isEqualTo(new BytesRef(bytes(source)));
        LeafReader leaf = reader.leaves().get(0).reader();
        NumericDocValues seqNo = leaf.getNumericDocValues(MetaFields.SEQ_NO);
        assertThat(seqNo.advanceExact(1)).isTrue();
        assertThat(seqNo.longValue()).isEqualTo(1);
        assertThat(leaf.getNumericDocValues(MetaFields.PRIMARY_TERM).advanceExact(0)).isTrue();
        NumericDocValues version = leaf.getNumericDocValues(MetaFields.VERSION);
        assertThat(version.advanceExact(0)).isTrue();
        assertThat(version.longValue()).isEqualTo(1);
        assertThat(leaf.getSortedDocValues(MetaFields.ID).advanceExact(0)).isTrue();
    }

    @Test
    void toLuceneDocumentCanBeCalledMoreThanOnce() throws IOException {
        ParsedDocument doc = parse("1", "{\"name\": \"Vila Nova\", \"n\": 5}", Mappings.empty());
        writer = new IndexWriter(dir, new IndexWriterConfig(DocumentMapper.analyzer()));
        writer.addDocument(doc.toLuceneDocument(0, 1, 1));
        writer.updateDocument(MetaFieldsIndexing.idTerm("1"), doc.toLuceneDocument(1, 1, 2));
        writer.addDocument(doc.toLuceneDocument(2, 1, 3));
        reader = DirectoryReader.open(writer);
        IndexSearcher s = new IndexSearcher(reader);
        assertThat(s.count(new TermQuery(new Term("name", "vila")))).isEqualTo(2);
        assertThat(s.count(new TermQuery(new Term("name.keyword", "Vila Nova")))).isEqualTo(2);
    }

    @Test
    void multiFieldIndexesTheRawValueUnderTheDottedName() throws IOException {
        Mappings m = mappings("""
                {"properties": {"name": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 10},
                                                                    "raw": {"type": "keyword"}}}}}""");
        ParsedDocument a = parse("a", "{\"name\": \"New York\"}", m);
        ParsedDocument b = parse("b", "{\"name\": \"A very long name indeed\"}", m);
        assertThat(names(a)).containsExactly("name", "name.keyword", "name.raw");
        assertThat(names(b)).containsExactly("name", "name.raw"); // ignore_above
        IndexSearcher s = index(a, b);
        assertThat(ids(s, new TermQuery(new Term("name.keyword", "New York")))).containsExactly("a");
        assertThat(ids(s, new TermQuery(new Term("name", "york")))).containsExactly("a");
        assertThat(ids(s, new TermQuery(new Term("name.raw", "A very long name indeed")))).containsExactly("b");
    }

    @Test
    void arraysIndexEveryElementAndNullsAreSkipped() throws IOException {
        Mappings m = mappings("{\"properties\": {\"n\": {\"type\": \"long\"}, \"k\": {\"type\": \"keyword\"}}}");
        ParsedDocument doc = parse("1", "{\"n\": [1, null, [2, 3]], \"k\": null}", m);
        IndexSearcher s = index(doc);
        assertThat(s.count(LongPoint.newExactQuery("n", 3))).isEqualTo(1);
        SortedNumericDocValues dv = reader.leaves().get(0).reader().getSortedNumericDocValues("n");
        assertThat(dv.advanceExact(0)).isTrue();
        assertThat(dv.docValueCount()).isEqualTo(3);
        assertThat(names(doc)).containsExactly("n");
    }

    @Test
    void textPhrasesDoNotMatchAcrossArrayValues() throws IOException {
        ParsedDocument doc = parse("1", "{\"t\": [\"big apple\", \"red car\"]}", Mappings.empty());
        IndexSearcher s = index(doc);
        assertThat(s.count(new PhraseQuery("t", "big", "apple"))).isEqualTo(1);
        assertThat(s.count(new PhraseQuery("t", "apple", "red"))).isZero();
    }

    // ------------------------------------------------------------------------------ coercion and value errors

    @Test
    void numericStringsAreCoerced() throws IOException {
        Mappings m = mappings("""
                {"properties": {"population": {"type": "long"}, "rank": {"type": "integer"}, "score": {"type": "double"},
                 "ratio": {"type": "float"}, "active": {"type": "boolean"}}}""");
        ParsedDocument doc = parse("1", """
                {"population": "42", "rank": "42.7", "score": "1.5", "ratio": "2.25", "active": "true"}""", m);
        ParsedDocument truncated = parse("2", "{\"population\": 42.7, \"rank\": \"\"}", m);
        assertThat(names(truncated)).containsExactly("population"); // "" in a numeric field is null
        IndexSearcher s = index(doc, truncated);
        assertThat(ids(s, LongPoint.newExactQuery("population", 42))).containsExactly("1", "2");
        assertThat(ids(s, IntPoint.newExactQuery("rank", 42))).containsExactly("1");
        assertThat(ids(s, DoublePoint.newExactQuery("score", 1.5))).containsExactly("1");
        assertThat(ids(s, FloatPoint.newExactQuery("ratio", 2.25f))).containsExactly("1");
        assertThat(ids(s, new TermQuery(new Term("active", "T")))).containsExactly("1");
    }

    @Test
    void textAndKeywordTakeNumbersAndBooleansAsText() throws IOException {
        Mappings m = mappings("{\"properties\": {\"k\": {\"type\": \"keyword\"}, \"t\": {\"type\": \"text\"}}}");
        IndexSearcher s = index(parse("1", "{\"k\": [1.50, true], \"t\": 42}", m));
        assertThat(s.count(new TermQuery(new Term("k", "1.50")))).isEqualTo(1);
        assertThat(s.count(new TermQuery(new Term("k", "true")))).isEqualTo(1);
        assertThat(s.count(new TermQuery(new Term("t", "42")))).isEqualTo(1);
    }

    @Test
    void aValueTheTypeCannotTakeIsAMapperParsingExceptionInElasticsearchWording() {
        Mappings m = mappings("{\"properties\": {\"population\": {\"type\": \"long\"}}}");
        KccrException e = error(() -> parse("1", "{\"population\": \"abc\"}", m));
        assertThat(e).isInstanceOf(InvalidRequestException.class);
        assertThat(e.type()).isEqualTo("mapper_parsing_exception");
        assertThat(e.reason()).isEqualTo("failed to parse field [population] of type [long] in document with id '1'."
                + " Preview of field's value: 'abc'");
        assertThat(e.getCause()).hasMessage("For input string: \"abc\"");

        assertThat(error(() -> parse("2", "{\"population\": true}", m)).reason())
                .startsWith("failed to parse field [population] of type [long] in document with id '2'");
        assertThat(error(() -> parse("3", "{\"population\": {\"a\": 1}}", m)).reason())
                .isEqualTo("failed to parse field [population] of type [long] in document with id '3'."
                        + " Preview of field's value: '{a=1}'");
        assertThat(error(() -> parse("4", "{\"population\": 1e30}", m)).getCause())
                .hasMessage("Value [1e30] is out of range for a long");
    }

    @Test
    void integralTypesAreRangeChecked() {
        Mappings m = mappings("""
                {"properties": {"i": {"type": "integer"}, "s": {"type": "short"}, "b": {"type": "byte"}}}""");
        assertThat(error(() -> parse("1", "{\"i\": 3000000000}", m)).getCause())
                .hasMessage("Value [3000000000] is out of range for an integer");
        assertThat(error(() -> parse("1", "{\"s\": \"40000\"}", m)).getCause())
                .hasMessage("Value [40000] is out of range for a short");
        KccrException e = error(() -> parse("1", "{\"b\": 128}", m));
        assertThat(e.type()).isEqualTo("mapper_parsing_exception");
        assertThat(e.reason()).isEqualTo("failed to parse field [b] of type [byte] in document with id '1'."
                + " Preview of field's value: '128'");
        assertThat(parse("1", "{\"b\": -128, \"s\": 32767, \"i\": -2147483648}", m).fields()).hasSize(6);
    }

    @Test
    void floatingPointValuesMustBeFinite() {
        Mappings m = mappings("{\"properties\": {\"d\": {\"type\": \"double\"}, \"h\": {\"type\": \"half_float\"}}}");
        assertThat(error(() -> parse("1", "{\"d\": \"NaN\"}", m)).getCause())
                .hasMessage("[double] supports only finite values, but got [NaN]");
        assertThat(error(() -> parse("1", "{\"h\": 70000}", m)).getCause())
                .hasMessage("[half_float] supports only finite values, but got [70000.0]");
        assertThat(error(() -> parse("1", "{\"d\": \"x\"}", m)).reason())
                .isEqualTo("failed to parse field [d] of type [double] in document with id '1'. Preview of field's value: 'x'");
    }

    @Test
    void booleansTakeElasticsearchsValues() throws IOException {
        Mappings m = mappings("{\"properties\": {\"b\": {\"type\": \"boolean\"}}}");
        IndexSearcher s = index(parse("t1", "{\"b\": true}", m), parse("t2", "{\"b\": \"true\"}", m),
                parse("f1", "{\"b\": false}", m), parse("f2", "{\"b\": \"false\"}", m), parse("f3", "{\"b\": \"\"}", m));
        assertThat(ids(s, new TermQuery(new Term("b", "T")))).containsExactly("t1", "t2");
        assertThat(ids(s, new TermQuery(new Term("b", "F")))).containsExactly("f1", "f2", "f3");
        assertThat(error(() -> parse("1", "{\"b\": \"yes\"}", m)).getCause())
                .hasMessage("Failed to parse value [yes] as only [true] or [false] are allowed.");
        assertThat(error(() -> parse("1", "{\"b\": 1}", m)).type()).isEqualTo("mapper_parsing_exception");
    }

    @Test
    void keywordsLongerThanLuceneAllowsAreRejectedBeforeIndexing() {
        Mappings m = mappings("{\"properties\": {\"k\": {\"type\": \"keyword\"}}}");
        String huge = "x".repeat(40_000);
        KccrException e = error(() -> parse("1", "{\"k\": \"" + huge + "\"}", m));
        assertThat(e.type()).isEqualTo("illegal_argument_exception");
        assertThat(e.reason()).startsWith("Document contains at least one immense term in field=\"k\"");
        // dynamic strings get ignore_above 256 on their keyword, so they never hit the limit
        assertThat(names(parse("1", "{\"t\": \"" + huge + "\"}", Mappings.empty()))).containsExactly("t");
    }

    // ------------------------------------------------------------------------------ dates

    @Test
    void datesParseIsoAndEpochMillisByDefault() {
        Mappings m = mappings("{\"properties\": {\"d\": {\"type\": \"date\"}}}");
        assertThat(dateOf(m, "\"2024-01-02\"")).isEqualTo(Instant.parse("2024-01-02T00:00:00Z").toEpochMilli());
        assertThat(dateOf(m, "\"2024-01-02T03:04:05Z\"")).isEqualTo(Instant.parse("2024-01-02T03:04:05Z").toEpochMilli());
        assertThat(dateOf(m, "\"2024-01-02T03:04:05.123+01:00\""))
                .isEqualTo(Instant.parse("2024-01-02T02:04:05.123Z").toEpochMilli());
        assertThat(dateOf(m, "\"2024-01-02T03:04:05.123456789-0530\""))
                .isEqualTo(Instant.parse("2024-01-02T08:34:05.123Z").toEpochMilli());
        assertThat(dateOf(m, "\"2024-01\"")).isEqualTo(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli());
        assertThat(dateOf(m, "\"2024-01-02T03\"")).isEqualTo(Instant.parse("2024-01-02T03:00:00Z").toEpochMilli());
        assertThat(dateOf(m, "1420070400001")).isEqualTo(1420070400001L);
        assertThat(dateOf(m, "\"1420070400001\"")).isEqualTo(1420070400001L);
        assertThat(dateOf(m, "-1000")).isEqualTo(-1000L);
        KccrException e = error(() -> parse("1", "{\"d\": \"2024-02-30\"}", m));
        assertThat(e.reason()).isEqualTo("failed to parse field [d] of type [date] in document with id '1'."
                + " Preview of field's value: '2024-02-30'");
        assertThat(e.getCause()).hasMessage(
                "failed to parse date field [2024-02-30] with format [strict_date_optional_time||epoch_millis]");
        assertThat(error(() -> parse("1", "{\"d\": \"not a date\"}", m)).type()).isEqualTo("mapper_parsing_exception");
    }

    @Test
    void dateFormatsFromTheMapping() {
        Mappings m = mappings("""
                {"properties": {"a": {"type": "date", "format": "yyyy-MM-dd"},
                                "b": {"type": "date", "format": "epoch_second"},
                                "c": {"type": "date", "format": "dd/MM/yyyy HH:mm||epoch_millis"},
                                "e": {"type": "date", "format": "date_hour_minute_second"}}}""");
        assertThat(dateOf(m, "a", "\"2015-03-04\"")).isEqualTo(Instant.parse("2015-03-04T00:00:00Z").toEpochMilli());
        assertThat(dateOf(m, "b", "1420070400")).isEqualTo(1420070400000L);
        assertThat(dateOf(m, "b", "\"1420070400.5\"")).isEqualTo(1420070400500L);
        assertThat(dateOf(m, "c", "\"04/03/2015 10:20\"")).isEqualTo(Instant.parse("2015-03-04T10:20:00Z").toEpochMilli());
        assertThat(dateOf(m, "c", "42")).isEqualTo(42L);
        assertThat(dateOf(m, "e", "\"2015-03-04T10:20:30\"")).isEqualTo(Instant.parse("2015-03-04T10:20:30Z").toEpochMilli());
        assertThat(error(() -> parse("1", "{\"a\": \"2015-03-04T10:00:00Z\"}", m)).getCause())
                .hasMessage("failed to parse date field [2015-03-04T10:00:00Z] with format [yyyy-MM-dd]");
        assertThat(error(() -> parse("1", "{\"a\": \"2015-02-29\"}", m)).type()).isEqualTo("mapper_parsing_exception");
    }

    @Test
    void dateFormatPrintsAndValidates() {
        assertThat(DateFormat.of(null).print(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(DateFormat.of("epoch_millis").print(42)).isEqualTo("42");
        assertThat(DateFormat.of("yyyy/MM/dd").print(0)).isEqualTo("1970/01/01");
        assertThatThrownBy(() -> DateFormat.of("yyyy-MM-dd-ffff")).isInstanceOf(KccrException.class)
                .hasMessageStartingWith("Invalid format: [yyyy-MM-dd-ffff]");
        assertThatThrownBy(() -> DateFormat.of(null).parseMillis("x")).isInstanceOf(IllegalArgumentException.class);
    }

    private long dateOf(Mappings m, String json) {
        return dateOf(m, "d", json);
    }

    private long dateOf(Mappings m, String field, String json) {
        ParsedDocument doc = parse("1", "{\"" + field + "\": " + json + "}", m);
        assertThat(doc.fields()).hasSize(2);
        return doc.fields().get(1).numericValue().longValue();
    }

    // ------------------------------------------------------------------------------ geo_point

    @Test
    void geoPointsTakeEveryElasticsearchForm() throws IOException {
        Mappings m = mappings("{\"properties\": {\"loc\": {\"type\": \"geo_point\"}}}");
        IndexSearcher s = index(
                parse("object", "{\"loc\": {\"lat\": 41.12, \"lon\": -71.34}}", m),
                parse("strings", "{\"loc\": {\"lat\": \"41.12\", \"lon\": \"-71.34\"}}", m),
                parse("latlon", "{\"loc\": \"41.12,-71.34\"}", m),
                parse("array", "{\"loc\": [-71.34, 41.12]}", m),
                parse("wkt", "{\"loc\": \"POINT (-71.34 41.12)\"}", m),
                parse("geojson", "{\"loc\": {\"type\": \"Point\", \"coordinates\": [-71.34, 41.12]}}", m),
                parse("geohash", "{\"loc\": \"drm3btev3e86\"}", m),
                parse("many", "{\"loc\": [[10, 10], \"41.12,-71.34\", {\"lat\": 0, \"lon\": 0}, null]}", m),
                parse("far", "{\"loc\": [10, 10]}", m));
        assertThat(ids(s, LatLonPoint.newBoxQuery("loc", 41, 42, -72, -71)))
                .containsExactly("array", "geohash", "geojson", "latlon", "many", "object", "strings", "wkt");
        assertThat(ids(s, LatLonPoint.newBoxQuery("loc", 9, 11, 9, 11))).containsExactly("far", "many");
    }

    @Test
    void geoPointsOutOfRangeOrMalformedAreRejected() {
        Mappings m = mappings("{\"properties\": {\"loc\": {\"type\": \"geo_point\"}}}");
        KccrException lat = error(() -> parse("1", "{\"loc\": {\"lat\": 91, \"lon\": 0}}", m));
        assertThat(lat.type()).isEqualTo("mapper_parsing_exception");
        assertThat(lat.reason()).isEqualTo("failed to parse field [loc] of type [geo_point] in document with id '1'."
                + " Preview of field's value: '{lat=91, lon=0}'");
        assertThat(lat.getCause()).hasMessage("illegal latitude value [91.0] for loc");
        assertThat(error(() -> parse("1", "{\"loc\": [181, 0]}", m)).getCause())
                .hasMessage("illegal longitude value [181.0] for loc");
        assertThat(error(() -> parse("1", "{\"loc\": \"a,b\"}", m)).type()).isEqualTo("mapper_parsing_exception");
        assertThat(error(() -> parse("1", "{\"loc\": {\"lat\": 1}}", m)).getCause()).hasMessage("field [lon] missing");
        assertThat(error(() -> parse("1", "{\"loc\": 5}", m)).type()).isEqualTo("mapper_parsing_exception");
        assertThat(error(() -> parse("1", "{\"loc\": \"!!\"}", m)).type()).isEqualTo("mapper_parsing_exception");
    }

    // ------------------------------------------------------------------------------ dynamic mapping

    @Test
    void dynamicMappingForEachJsonKind() {
        ParsedDocument doc = parse("1", """
                {"name": "Vila", "born": "2015-01-01", "at": "2015-01-01T12:10:30Z", "year": "2015", "count": 42,
                 "ratio": 1.5, "ok": true, "address": {"city": "Paris", "geo": {"x": 1}}, "tags": [null, "a", "b"],
                 "nums": [1, 2.5], "empty": [], "nothing": null, "objs": [{"k": 1}, {"k": 2}], "eo": {}}""",
                Mappings.empty());
        assertThat(doc.dynamicMappingUpdates()).containsExactly(
                Map.entry("name", FieldMapping.dynamicText()),
                Map.entry("born", FieldMapping.of(FieldType.DATE)),
                Map.entry("at", FieldMapping.of(FieldType.DATE)),
                Map.entry("year", FieldMapping.dynamicText()),
                Map.entry("count", FieldMapping.of(FieldType.LONG)),
                Map.entry("ratio", FieldMapping.of(FieldType.FLOAT)),
                Map.entry("ok", FieldMapping.of(FieldType.BOOLEAN)),
                Map.entry("address.city", FieldMapping.dynamicText()),
                Map.entry("address.geo.x", FieldMapping.of(FieldType.LONG)),
                Map.entry("tags", FieldMapping.dynamicText()),
                Map.entry("nums", FieldMapping.of(FieldType.LONG)),
                Map.entry("objs.k", FieldMapping.of(FieldType.LONG)));
        assertThat(names(doc)).contains("name", "name.keyword", "address.city.keyword", "nums", "objs.k")
                .doesNotContain("empty", "nothing", "eo");
    }

    @Test
    void dynamicFieldsAreIndexedWithTheirNewTypesAndMergeIntoTheMappings() throws IOException {
        String source = "{\"name\": \"Vila\", \"count\": \"7\", \"when\": \"2020-05-05\", \"lat\": \"42.53176\"}";
        ParsedDocument first = parse("1", source, Mappings.empty());
        Mappings merged = Mappings.empty().merge(first.dynamicMappingUpdates());
        ParsedDocument again = parse("1", source, merged);
        assertThat(again.dynamicMappingUpdates()).isEmpty();
        assertThat(again.fields().toString()).isEqualTo(first.fields().toString());
        IndexSearcher s = index(first);
        assertThat(s.count(new TermQuery(new Term("name.keyword", "Vila")))).isEqualTo(1);
        assertThat(s.count(new TermQuery(new Term("count", "7")))).isEqualTo(1); // "7" is a string: text
        assertThat(s.count(new TermQuery(new Term("lat.keyword", "42.53176")))).isEqualTo(1);
        assertThat(s.count(LongPoint.newExactQuery("when", Instant.parse("2020-05-05T00:00:00Z").toEpochMilli())))
                .isEqualTo(1);
    }

    @Test
    void aNewFieldWithTwoTypesInOneDocumentIsAConflict() {
        KccrException e = error(() -> parse("1", "{\"f\": [1, \"x\"]}", Mappings.empty()));
        assertThat(e.type()).isEqualTo("mapper_parsing_exception");
        assertThat(e.reason()).isEqualTo("failed to parse field [f] of type [long] in document with id '1'."
                + " Preview of field's value: 'x'");
        assertThat(error(() -> parse("1", "{\"o\": [{\"k\": true}, {\"k\": \"maybe\"}]}", Mappings.empty())).reason())
                .startsWith("failed to parse field [o.k] of type [boolean]");
        assertThat(error(() -> parse("1", "{\"a\": 1, \"a.b\": 2}", Mappings.empty())).reason()).isEqualTo(
                "Could not dynamically add mapping for field [a.b]. Existing mapping for [a] must be of type object"
                        + " but found [long].");
        assertThat(error(() -> parse("1", "{\"a.b\": 2, \"a\": 1}", Mappings.empty())).reason()).isEqualTo(
                "object mapping for [a] tried to parse field [a] as object, but found a concrete value");
        assertThat(error(() -> parse("1", "{\"a\": [{\"b\": 1}, 2]}", Mappings.empty())).type())
                .isEqualTo("mapper_parsing_exception");
    }

    @Test
    void objectAndValueMismatchesAgainstTheMappings() {
        Mappings m = mappings("""
                {"properties": {"address": {"properties": {"city": {"type": "keyword"}}},
                                "name": {"type": "text", "fields": {"keyword": {"type": "keyword"}}}}}""");
        assertThat(error(() -> parse("1", "{\"address\": \"Paris\"}", m)).reason())
                .isEqualTo("object mapping for [address] tried to parse field [address] as object, but found a concrete value");
        assertThat(error(() -> parse("1", "{\"name\": {\"first\": \"x\"}}", m)).reason())
                .isEqualTo("failed to parse field [name] of type [text] in document with id '1'."
                        + " Preview of field's value: '{first=x}'");
        assertThat(error(() -> parse("1", "{\"name.keyword\": \"x\"}", m)).reason()).isEqualTo(
                "Could not dynamically add mapping for field [name.keyword]. Existing mapping for [name] must be of"
                        + " type object but found [text].");
        // dotted names are object paths
        assertThat(names(parse("1", "{\"address.city\": \"Paris\"}", m))).containsExactly("address.city");
    }

    @Test
    void anEmptyObjectMappingTakesDynamicFieldsAndRejectsValues() {
        Mappings m = mappings("{\"properties\": {\"meta\": {\"type\": \"object\"}}}");
        ParsedDocument doc = parse("1", "{\"meta\": {\"a\": 1}}", m);
        assertThat(doc.dynamicMappingUpdates()).containsOnlyKeys("meta.a");
        assertThat(error(() -> parse("1", "{\"meta\": 1}", m)).reason())
                .isEqualTo("object mapping for [meta] tried to parse field [meta] as object, but found a concrete value");
    }

    @Test
    void dynamicFalseKeepsUnknownFieldsOutOfTheIndex() {
        Mappings m = mappings("{\"dynamic\": false, \"properties\": {\"known\": {\"type\": \"keyword\"}}}");
        ParsedDocument doc = parse("1", """
                {"known": "k", "unknown": "u", "obj": {"a": [1, {"b": 2}]}, "arr": [1, [2]], "nul": null}""", m);
        assertThat(doc.dynamicMappingUpdates()).isEmpty();
        assertThat(names(doc)).containsExactly("known");
    }

    @Test
    void strictDynamicRejectsUnknownFields() {
        Mappings m = mappings("""
                {"dynamic": "strict", "properties": {"known": {"type": "keyword"},
                  "address": {"properties": {"city": {"type": "keyword"}}}}}""");
        KccrException e = error(() -> parse("1", "{\"known\": \"k\", \"f\": 1}", m));
        assertThat(e).isInstanceOf(InvalidRequestException.class);
        assertThat(e.type()).isEqualTo("strict_dynamic_mapping_exception");
        assertThat(e.reason()).isEqualTo("mapping set to strict, dynamic introduction of [f] within [_doc] is not allowed");
        assertThat(error(() -> parse("1", "{\"address\": {\"zip\": \"1\"}}", m)).reason())
                .isEqualTo("mapping set to strict, dynamic introduction of [zip] within [address] is not allowed");
        assertThat(error(() -> parse("1", "{\"obj\": {\"a\": 1}}", m)).reason())
                .isEqualTo("mapping set to strict, dynamic introduction of [obj] within [_doc] is not allowed");
        assertThat(error(() -> parse("1", "{\"f\": null}", m)).type()).isEqualTo("strict_dynamic_mapping_exception");
        assertThat(error(() -> parse("1", "{\"f\": []}", m)).type()).isEqualTo("strict_dynamic_mapping_exception");
        assertThat(parse("1", "{\"known\": \"k\", \"address\": {\"city\": \"c\"}}", m).fields()).hasSize(4);
    }

    // ------------------------------------------------------------------------------ malformed documents

    @Test
    void metaFieldsInTheSourceAreRejected() {
        for (String meta : List.of("_id", "_source", "_seq_no", "_primary_term", "_version", "_routing", "_index")) {
            KccrException e = error(() -> parse("1", "{\"" + meta + "\": 1}", Mappings.empty()));
            assertThat(e.type()).isEqualTo("mapper_parsing_exception");
            assertThat(e.reason()).isEqualTo("Field [" + meta + "] is a metadata field and cannot be added inside a"
                    + " document. Use the index API request parameters.");
        }
        assertThat(names(parse("1", "{\"obj\": {\"_id\": \"x\"}, \"_other\": 1}", Mappings.empty())))
                .contains("obj._id", "_other");
    }

    @Test
    void malformedJsonIsAMapperParsingExceptionWithTheJacksonCause() {
        KccrException e = error(() -> parse("1", "{\"a\": ", Mappings.empty()));
        assertThat(e).isInstanceOf(InvalidRequestException.class);
        assertThat(e.type()).isEqualTo("mapper_parsing_exception");
        assertThat(e.reason()).isEqualTo("failed to parse");
        assertThat(e.getCause()).isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
        assertThat(error(() -> parse("1", "{\"a\": tru}", Mappings.empty())).getCause())
                .isInstanceOf(JsonParseException.class);
        assertThat(error(() -> parse("1", "{\"a\": 1, \"a\": 2}", Mappings.empty())).getCause())
                .hasMessageContaining("Duplicate field 'a'");
        assertThat(error(() -> parse("1", "[1, 2]", Mappings.empty())).getCause())
                .hasMessage("Malformed content, must start with an object");
        assertThat(error(() -> parse("1", "\"x\"", Mappings.empty())).reason()).isEqualTo("failed to parse");
        assertThat(error(() -> parse("1", "{} {}", Mappings.empty())).getCause())
                .hasMessage("Malformed content, found extra data after parsing: START_OBJECT");
        assertThat(error(() -> parse("1", "", Mappings.empty())).reason()).isEqualTo("failed to parse, document is empty");
        assertThat(error(() -> parse("1", "  ", Mappings.empty())).reason()).isEqualTo("failed to parse, document is empty");
    }

    @Test
    void badFieldNamesAreRejected() {
        assertThat(error(() -> parse("1", "{\"\": 1}", Mappings.empty())).reason())
                .isEqualTo("field name cannot be an empty string");
        assertThat(error(() -> parse("1", "{\"a\": {\"\": 1}}", Mappings.empty())).type())
                .isEqualTo("mapper_parsing_exception");
        assertThat(error(() -> parse("1", "{\"a.\": 1}", Mappings.empty())).reason())
                .isEqualTo("field name starting or ending with a [.] makes object resolution ambiguous: [a.]");
        assertThat(error(() -> parse("1", "{\"..\": 1}", Mappings.empty())).reason())
                .isEqualTo("field name cannot contain only dots: [..]");
        assertThat(error(() -> parse("1", "{\"  \": 1}", Mappings.empty())).type())
                .isEqualTo("mapper_parsing_exception");
    }

    // ------------------------------------------------------------------------------ determinism and sharing

    @Test
    void geonamesDocumentsParseTheSameOnEveryThread() throws Exception {
        String source = """
                {"name": "Vila", "lat": "42.53176", "lng": "1.56654", "country": "AD", "admin1": "03", "admin2": ""}""";
        Mappings m = Mappings.empty().merge(parse("0", source, Mappings.empty()).dynamicMappingUpdates());
        String expected = parse("1", source, m).fields().toString();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    String last = null;
                    for (int i = 0; i < 2000; i++) {
                        last = parse("1", source, m).fields().toString();
                    }
                    return last;
                }));
            }
            for (Future<String> r : results) {
                assertThat(r.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        ParsedDocument doc = parse("1", source, m);
        assertThat(doc.dynamicMappingUpdates()).isEmpty();
        assertThat(names(doc)).containsExactly("admin1", "admin1.keyword", "admin2", "admin2.keyword", "country",
                "country.keyword", "lat", "lat.keyword", "lng", "lng.keyword", "name", "name.keyword");
    }

    @Test
    void theAnalyzerIsSharedAndSurvivesClose() throws IOException {
        DocumentMapper.analyzer().close();
        IndexSearcher s = index(parse("1", "{\"t\": \"The Quick-Brown FOX\"}", Mappings.empty()));
        assertThat(s.count(new TermQuery(new Term("t", "fox")))).isEqualTo(1);
        assertThat(s.count(new TermQuery(new Term("t", "the")))).isEqualTo(1);
        assertThat(DocumentMapper.analyzer().normalize("t", "FoX")).isEqualTo(new BytesRef("fox"));
    }
}
