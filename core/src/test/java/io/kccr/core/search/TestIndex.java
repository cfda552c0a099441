package io.kccr.core.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.mapping.FieldMapping;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.mapping.MetaFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FloatPoint;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LatLonDocValuesField;
import org.apache.lucene.document.LatLonPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedNumericDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.NumericUtils;

/**
 * A small two-shard index of cities built by hand with the document mapper's field conventions,
 * searched through a MultiReader as the product does.
 */
public final class TestIndex implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    public static final String MAPPINGS = """
            {"properties":{
              "name":{"type":"text","fields":{"keyword":{"type":"keyword"}}},
              "country":{"type":"keyword"},
              "population":{"type":"long"},
              "area":{"type":"double"},
              "rating":{"type":"float"},
              "rank":{"type":"integer"},
              "capital":{"type":"boolean"},
              "founded":{"type":"date"},
              "visited":{"type":"date","format":"dd/MM/yyyy"},
              "location":{"type":"geo_point"},
              "tags":{"type":"keyword"},
              "description":{"type":"text"},
              "address":{"properties":{"city":{"type":"keyword"},"zip":{"type":"keyword"}}}
            }}""";

    /** id, source; odd positions go to shard 0, even ones to shard 1. */
    public static final List<String[]> DOCS = List.of(
            new String[] {"1", """
                    {"name":"Paris","country":"FR","population":2148000,"area":105.4,"rating":4.5,"rank":1,
                     "capital":true,"founded":"2000-01-15","visited":"01/02/2021","location":{"lat":48.85,"lon":2.35},
                     "tags":["europe","big"],"description":"The city of light on the river Seine",
                     "address":{"city":"Paris","zip":"75001"}}"""},
            new String[] {"2", """
                    {"name":"Lyon","country":"FR","population":513000,"area":47.90,"rating":4.0,"rank":3,
                     "capital":false,"founded":"2010-06-30","tags":["europe"],
                     "description":"A city on the Rhone and the Saone"}"""},
            new String[] {"3", """
                    {"name":"Berlin","country":"DE","population":3645000,"area":891.8,"rating":4.2,"rank":2,
                     "capital":true,"founded":"2020-03-01T10:00:00Z","tags":["europe","big"],
                     "description":"A city on the river Spree"}"""},
            new String[] {"4", """
                    {"name":"New York City","country":"US","population":8336000,"area":783.8,"rating":3.9,"rank":4,
                     "capital":false,"founded":"2020-12-31","tags":["america","big"],
                     "description":"The big apple"}"""},
            new String[] {"5", """
                    {"name":"Springfield","country":"US","population":1500,"rank":5,"capital":false,
                     "tags":["america"]}"""},
            new String[] {"6", """
                    {"name":"San Francisco","population":815000,"area":121.4,"rating":4.1,"rank":6,"capital":false,
                     "founded":"1850-04-15","description":"The golden gate city"}"""});

    public final Mappings mappings;
    private final List<ByteBuffersDirectory> dirs = new ArrayList<>();
    private final IndexReader reader;
    public final IndexSearcher searcher;

    public TestIndex() {
        try {
            mappings = Mappings.fromJson(JSON.readTree(MAPPINGS));
            List<IndexWriter> writers = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                ByteBuffersDirectory dir = new ByteBuffersDirectory();
                dirs.add(dir);
                writers.add(new IndexWriter(dir, new IndexWriterConfig(new StandardAnalyzer())));
            }
            for (int i = 0; i < DOCS.size(); i++) {
                String[] d = DOCS.get(i);
                writers.get(i % 2).addDocument(document(d[0], d[1], i / 2, i % 3 == 0 ? 2 : 1));
            }
            DirectoryReader[] readers = new DirectoryReader[2];
            for (int s = 0; s < 2; s++) {
                writers.get(s).commit();
                writers.get(s).close();
                readers[s] = DirectoryReader.open(dirs.get(s));
            }
            reader = new MultiReader(readers, true);
            searcher = new IndexSearcher(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Document document(String id, String source, long seqNo, long version) throws IOException {
        Document doc = new Document();
        doc.add(new StringField(MetaFields.ID, id, Field.Store.YES));
        doc.add(new SortedDocValuesField(MetaFields.ID, new BytesRef(id)));
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        doc.add(new StoredField(MetaFields.SOURCE, bytes));
        doc.add(new LongPoint(MetaFields.SEQ_NO, seqNo));
        doc.add(new NumericDocValuesField(MetaFields.SEQ_NO, seqNo));
        doc.add(new NumericDocValuesField(MetaFields.PRIMARY_TERM, 1));
        doc.add(new NumericDocValuesField(MetaFields.VERSION, version));
        addObject(doc, "", JSON.readTree(source.getBytes(StandardCharsets.UTF_8)));
        return doc;
    }

    private void addObject(Document doc, String prefix, JsonNode obj) {
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            JsonNode v = e.getValue();
            FieldMapping m = mappings.field(path);
            if (m != null && m.type().name().equals("GEO_POINT")) {
                double lat = v.get("lat").asDouble();
                double lon = v.get("lon").asDouble();
                doc.add(new LatLonPoint(path, lat, lon));
                doc.add(new LatLonDocValuesField(path, lat, lon));
            } else if (v.isObject()) {
                addObject(doc, path + ".", v);
            } else if (v.isArray()) {
                for (JsonNode el : v) {
                    addValue(doc, path, m, el);
                }
            } else {
                addValue(doc, path, m, v);
            }
        }
    }

    private static void addValue(Document doc, String path, FieldMapping m, JsonNode v) {
        if (m == null) {
            return;
        }
        switch (m.type()) {
            case TEXT -> doc.add(new TextField(path, v.asText(), Field.Store.NO));
            case KEYWORD -> {
                doc.add(new StringField(path, v.asText(), Field.Store.NO));
                doc.add(new SortedSetDocValuesField(path, new BytesRef(v.asText())));
            }
            case LONG -> {
                doc.add(new LongPoint(path, v.asLong()));
                doc.add(new SortedNumericDocValuesField(path, v.asLong()));
            }
            case INTEGER, SHORT, BYTE -> {
                doc.add(new IntPoint(path, v.asInt()));
                doc.add(new SortedNumericDocValuesField(path, v.asInt()));
            }
            case DOUBLE -> {
                doc.add(new DoublePoint(path, v.asDouble()));
                doc.add(new SortedNumericDocValuesField(path, NumericUtils.doubleToSortableLong(v.asDouble())));
            }
            case FLOAT, HALF_FLOAT, SCALED_FLOAT -> {
                doc.add(new FloatPoint(path, (float) v.asDouble()));
                doc.add(new SortedNumericDocValuesField(path, NumericUtils.floatToSortableInt((float) v.asDouble())));
            }
            case BOOLEAN -> {
                doc.add(new StringField(path, v.asBoolean() ? "T" : "F", Field.Store.NO));
                doc.add(new SortedNumericDocValuesField(path, v.asBoolean() ? 1 : 0));
            }
            case DATE -> {
                long millis = millis(v.asText(), m.format());
                doc.add(new LongPoint(path, millis));
                doc.add(new SortedNumericDocValuesField(path, millis));
            }
            default -> {
            }
        }
        m.fields().forEach((sub, sm) -> addValue(doc, path + "." + sub, sm, v));
    }

    /** Enough date parsing for the fixtures: ISO dates/datetimes and dd/MM/yyyy. */
    public static long millis(String text, String format) {
        if ("dd/MM/yyyy".equals(format)) {
            String[] p = text.split("/");
            return LocalDate.of(Integer.parseInt(p[2]), Integer.parseInt(p[1]), Integer.parseInt(p[0]))
                    .atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        return Instant.parse(text).toEpochMilli();
    }

    @Override
    public void close() throws IOException {
        reader.close();
        for (ByteBuffersDirectory d : dirs) {
            d.close();
        }
    }
}
