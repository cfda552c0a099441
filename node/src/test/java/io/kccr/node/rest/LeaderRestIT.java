package io.kccr.node.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.Result;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.cat.indices.IndicesRecord;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.DeleteResponse;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.IndexResponse;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.UpdateResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.core.search.TotalHitsRelation;
import co.elastic.clients.elasticsearch.indices.CreateIndexResponse;
import co.elastic.clients.elasticsearch.indices.GetIndexResponse;
import co.elastic.clients.elasticsearch.indices.IndexState;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.node.Node;
import io.kccr.node.sample.SampleData;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader node's REST API through the unchanged official Elasticsearch Java client (9.5.6, Rest5 transport,
 * Jackson mapper): the whole GeoNames corpus is bulk-indexed into a 3-shard index with explicit mappings, then
 * every read and write API the client offers for it is exercised, each result checked against what the test
 * computes from the corpus itself.
 *
 * <p>Tests run in order on one index: the read-only searches first, then the writes that change documents,
 * then the index APIs, the index delete last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaderRestIT {
    private static final String INDEX = "geonames-it";
    private static final int BULK_SIZE = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    static Path dataDir;

    /** One corpus line, as the test reads it (id = 1-based line number). */
    record City(String id, byte[] raw, JsonNode source, String name, double lat, String country, String admin1,
                List<String> tokens) {
    }

    private Node node;
    private Rest5ClientTransport transport;
    private ElasticsearchClient client;
    private List<City> cities;
    private Map<String, City> byId;
    /** The seq_no the bulk answered for each id, which a get must show again. */
    private final Map<String, Long> bulkSeqNo = new java.util.HashMap<>();

    @BeforeAll
    void startNodeAndClient() throws Exception {
        long t0 = System.nanoTime();
        node = TestNode.on(kafka).dir(dataDir.resolve("node")).start();
        transport = new Rest5ClientTransport(Rest5Client.builder(URI.create(node.httpAddress())).build(),
                new JacksonJsonpMapper());
        client = new ElasticsearchClient(transport);
        cities = readCorpus();
        byId = cities.stream().collect(Collectors.toMap(City::id, c -> c));
        System.out.printf("node started and corpus read (%d docs) in %d ms%n", cities.size(), millisSince(t0));
    }

    @AfterAll
    void stop() throws IOException {
        if (transport != null) {
            transport.close();
        }
        if (node != null) {
            node.close();
        }
    }

    // ------------------------------------------------------------------------------------------ index + bulk

    @Test
    @Order(1)
    void createIndexWithExplicitMappingsAndThreeShards() throws IOException {
        CreateIndexResponse created = client.indices().create(c -> c.index(INDEX)
                .settings(s -> s.numberOfShards("3"))
                .mappings(m -> m.withJson(new StringReader(SampleData.MAPPINGS))));
        assertThat(created.acknowledged()).isTrue();
        assertThat(created.index()).isEqualTo(INDEX);
        assertThat(client.indices().exists(e -> e.index(INDEX)).value()).isTrue();
    }

    @Test
    @Order(2)
    void bulkIndexWholeCorpus() throws IOException {
        long t0 = System.nanoTime();
        int indexed = 0;
        for (int from = 0; from < cities.size(); from += BULK_SIZE) {
            List<City> chunk = cities.subList(from, Math.min(cities.size(), from + BULK_SIZE));
            BulkRequest.Builder bulk = new BulkRequest.Builder().index(INDEX);
            for (City c : chunk) {
                bulk.operations(op -> op.index(i -> i.id(c.id())
                        .document(BinaryData.of(c.raw(), ContentType.APPLICATION_JSON))));
            }
            BulkResponse response = client.bulk(bulk.build());
            List<BulkResponseItem> failed = response.items().stream().filter(i -> i.error() != null).toList();
            assertThat(failed).as("failed bulk items").isEmpty();
            assertThat(response.errors()).isFalse();
            assertThat(response.items()).hasSize(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                BulkResponseItem item = response.items().get(i);
                assertThat(item.id()).isEqualTo(chunk.get(i).id());
                assertThat(item.index()).isEqualTo(INDEX);
                assertThat(item.status()).isEqualTo(201);
                assertThat(item.result()).isEqualTo("created");
                assertThat(item.version()).isEqualTo(1L);
                assertThat(item.seqNo()).isNotNull();
                assertThat(item.primaryTerm()).isEqualTo(1L);
                bulkSeqNo.put(item.id(), item.seqNo());
            }
            indexed += chunk.size();
        }
        // each of the 3 shards numbers its ops 0, 1, 2, ... without a gap or a repeat: seq_no 0 was given 3 times,
        // and a seq_no was given at most as often as the one before it
        Map<Long, Long> perSeqNo = bulkSeqNo.values().stream()
                .collect(Collectors.groupingBy(n -> n, java.util.TreeMap::new, Collectors.counting()));
        assertThat(perSeqNo.get(0L)).as("shards that gave seq_no 0").isEqualTo(3L);
        long previous = Long.MAX_VALUE;
        long next = 0;
        for (var e : perSeqNo.entrySet()) {
            assertThat(e.getKey()).as("no seq_no skipped").isEqualTo(next++);
            assertThat(e.getValue()).as("seq_no %d given at most as often as the one before", e.getKey())
                    .isLessThanOrEqualTo(previous);
            previous = e.getValue();
        }
        long took = millisSince(t0);
        System.out.printf("bulk-indexed %d docs in %d ms (%.0f docs/s)%n", indexed, took, indexed * 1000.0 / took);
        assertThat(indexed).isEqualTo(171_075);

        client.indices().refresh(r -> r.index(INDEX));
        IndicesRecord cat = catRecord();
        assertThat(cat.docsCount()).isEqualTo("171075");
        assertThat(client.count(c -> c.index(INDEX)).count()).isEqualTo(171_075L);
    }

    // ------------------------------------------------------------------------------------------ reads

    @Test
    @Order(10)
    void getReturnsTheDocumentAsIndexed() throws IOException {
        for (String id : List.of("1", "85536", "171075")) {
            GetResponse<JsonNode> got = client.get(g -> g.index(INDEX).id(id), JsonNode.class);
            assertThat(got.found()).isTrue();
            assertThat(got.index()).isEqualTo(INDEX);
            assertThat(got.id()).isEqualTo(id);
            assertThat(got.source()).isEqualTo(byId.get(id).source());
            assertThat(got.seqNo()).as("the seq_no the bulk answered").isEqualTo(bulkSeqNo.get(id));
            assertThat(got.primaryTerm()).isEqualTo(1L);
            assertThat(got.version()).isEqualTo(1L);
        }
        GetResponse<JsonNode> missing = client.get(g -> g.index(INDEX).id("171076"), JsonNode.class);
        assertThat(missing.found()).isFalse();
        assertThat(missing.source()).isNull();
    }

    @Test
    @Order(11)
    void matchAllWithExactTotalAndDefaultTotal() throws IOException {
        SearchResponse<JsonNode> exact = client.search(s -> s.index(INDEX).query(q -> q.matchAll(m -> m))
                .trackTotalHits(t -> t.enabled(true)).size(3), JsonNode.class);
        assertThat(exact.hits().total().value()).isEqualTo(171_075L);
        assertThat(exact.hits().total().relation()).isEqualTo(TotalHitsRelation.Eq);
        assertThat(exact.hits().hits()).hasSize(3);
        for (Hit<JsonNode> hit : exact.hits().hits()) {
            assertThat(hit.index()).isEqualTo(INDEX);
            assertThat(hit.source()).isEqualTo(byId.get(hit.id()).source());
        }
        assertThat(exact.shards().total().intValue()).isEqualTo(3);
        assertThat(exact.shards().failed().intValue()).isZero();

        SearchResponse<JsonNode> byDefault = client.search(s -> s.index(INDEX).query(q -> q.matchAll(m -> m)),
                JsonNode.class);
        assertThat(byDefault.hits().total().value()).isEqualTo(10_000L);
        assertThat(byDefault.hits().total().relation()).isEqualTo(TotalHitsRelation.Gte);
        assertThat(byDefault.hits().hits()).hasSize(10);
    }

    @Test
    @Order(12)
    void matchQueries() throws IOException {
        assertHitSet(q -> q.match(m -> m.field("name").query("springfield")),
                c -> c.tokens().contains("springfield"));
        assertHitSet(q -> q.match(m -> m.field("name").query("San Jose").operator(Operator.And)),
                c -> c.tokens().contains("san") && c.tokens().contains("jose"));
        assertHitSet(q -> q.match(m -> m.field("name").query("Springfield Paris")),
                c -> c.tokens().contains("springfield") || c.tokens().contains("paris"));
    }

    @Test
    @Order(13)
    void matchPhraseQuery() throws IOException {
        assertHitSet(q -> q.matchPhrase(m -> m.field("name").query("Santa Cruz")),
                c -> containsPhrase(c.tokens(), "santa", "cruz"));
        // the words in the other order match nothing: it is a phrase, not a bag of words
        assertThat(cities.stream().filter(c -> containsPhrase(c.tokens(), "cruz", "santa"))).isEmpty();
        assertThat(count(q -> q.matchPhrase(m -> m.field("name").query("Cruz Santa")))).isZero();
        assertThat(count(q -> q.match(m -> m.field("name").query("Cruz Santa").operator(Operator.And))))
                .isEqualTo(cities.stream().filter(c -> c.tokens().contains("cruz") && c.tokens().contains("santa"))
                        .count());
    }

    @Test
    @Order(14)
    void termAndTermsQueries() throws IOException {
        long fr = cities.stream().filter(c -> c.country().equals("FR")).count();
        assertThat(fr).isPositive();
        assertThat(count(q -> q.term(t -> t.field("country").value("FR")))).isEqualTo(fr);
        // keyword fields are not analyzed: lower case does not match
        assertThat(count(q -> q.term(t -> t.field("country").value("fr")))).isZero();
        assertHitSet(q -> q.term(t -> t.field("name.keyword").value("Paris")), c -> c.name().equals("Paris"));

        Set<String> countries = Set.of("FR", "DE", "IT");
        long expected = cities.stream().filter(c -> countries.contains(c.country())).count();
        assertThat(count(q -> q.terms(t -> t.field("country").terms(v -> v.value(
                countries.stream().map(FieldValue::of).toList()))))).isEqualTo(expected);
        assertHitSet(q -> q.terms(t -> t.field("country").terms(v -> v.value(List.of(FieldValue.of("AD"),
                FieldValue.of("LI"))))), c -> c.country().equals("AD") || c.country().equals("LI"));
    }

    @Test
    @Order(15)
    void rangeQuery() throws IOException {
        long expected = cities.stream().filter(c -> c.lat() >= 40 && c.lat() < 50).count();
        assertThat(count(q -> q.range(r -> r.number(n -> n.field("lat").gte(40.0).lt(50.0))))).isEqualTo(expected);
        assertHitSet(q -> q.range(r -> r.number(n -> n.field("lat").gt(71.0))), c -> c.lat() > 71.0);
        assertHitSet(q -> q.bool(b -> b.filter(f -> f.term(t -> t.field("country").value("AD")))
                        .filter(f -> f.range(r -> r.number(n -> n.field("lat").gte(42.5).lte(42.55))))),
                c -> c.country().equals("AD") && c.lat() >= 42.5 && c.lat() <= 42.55);
    }

    @Test
    @Order(16)
    void existsQuery() throws IOException {
        // every document has admin2, most as "": an empty string is a value (Elasticsearch's exists semantics)
        assertThat(count(q -> q.exists(e -> e.field("admin2")))).isEqualTo(171_075L);
        assertThat(count(q -> q.exists(e -> e.field("name.keyword")))).isEqualTo(171_075L);
        assertThat(count(q -> q.exists(e -> e.field("population")))).isZero();
        assertThat(count(q -> q.exists(e -> e.field("no_such_field")))).isZero();
    }

    @Test
    @Order(17)
    void idsQuery() throws IOException {
        SearchResponse<JsonNode> r = client.search(s -> s.index(INDEX)
                .query(q -> q.ids(i -> i.values("1", "2", "100", "171075", "999999"))).size(10), JsonNode.class);
        assertThat(ids(r)).containsExactlyInAnyOrder("1", "2", "100", "171075");
        assertThat(r.hits().total().value()).isEqualTo(4L);
        for (Hit<JsonNode> hit : r.hits().hits()) {
            assertThat(hit.source()).isEqualTo(byId.get(hit.id()).source());
        }
    }

    @Test
    @Order(18)
    void boolQuery() throws IOException {
        // must + filter + must_not (+ an optional should, which only scores)
        assertHitSet(q -> q.bool(b -> b
                        .must(m -> m.match(t -> t.field("name").query("san")))
                        .filter(f -> f.term(t -> t.field("country").value("MX")))
                        .mustNot(n -> n.range(r -> r.number(x -> x.field("lat").lt(20.0))))
                        .should(s -> s.term(t -> t.field("admin1").value("14")))),
                c -> c.tokens().contains("san") && c.country().equals("MX") && !(c.lat() < 20.0));
        // should alone: at least one must match
        assertHitSet(q -> q.bool(b -> b
                        .should(s -> s.term(t -> t.field("country").value("AD")))
                        .should(s -> s.term(t -> t.field("country").value("LI")))),
                c -> c.country().equals("AD") || c.country().equals("LI"));
        // filter + should with minimum_should_match 1
        assertHitSet(q -> q.bool(b -> b
                        .filter(f -> f.term(t -> t.field("country").value("FR")))
                        .should(s -> s.match(t -> t.field("name").query("paris")))
                        .should(s -> s.match(t -> t.field("name").query("springfield")))
                        .minimumShouldMatch("1")),
                c -> c.country().equals("FR") && (c.tokens().contains("paris") || c.tokens().contains("springfield")));
        // must_not only
        long notFr = cities.stream().filter(c -> !c.country().equals("FR")).count();
        assertThat(count(q -> q.bool(b -> b.mustNot(n -> n.term(t -> t.field("country").value("FR"))))))
                .isEqualTo(notFr);
    }

    @Test
    @Order(19)
    void queryStringQuery() throws IOException {
        assertHitSet(q -> q.queryString(s -> s.query("country:FR AND name:paris")),
                c -> c.country().equals("FR") && c.tokens().contains("paris"));
        assertHitSet(q -> q.queryString(s -> s.query("name:springfield AND lat:[40 TO 45]")),
                c -> c.tokens().contains("springfield") && c.lat() >= 40 && c.lat() <= 45);
        assertHitSet(q -> q.queryString(s -> s.query("(country:AD OR country:LI) -admin1:03")),
                c -> (c.country().equals("AD") || c.country().equals("LI")) && !c.admin1().equals("03"));
    }

    @Test
    @Order(20)
    void sortFromAndSize() throws IOException {
        List<City> sorted = new ArrayList<>(cities);
        sorted.sort(Comparator.comparing((City c) -> c.name().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned)
                .thenComparing(Comparator.comparingDouble(City::lat).reversed()));
        for (int[] page : new int[][] {{0, 20}, {10, 5}, {5000, 7}}) {
            int from = page[0];
            int size = page[1];
            SearchResponse<JsonNode> r = client.search(s -> s.index(INDEX).query(q -> q.matchAll(m -> m))
                    .sort(o -> o.field(f -> f.field("name.keyword").order(SortOrder.Asc)))
                    .sort(o -> o.field(f -> f.field("lat").order(SortOrder.Desc)))
                    .from(from).size(size), JsonNode.class);
            assertThat(r.hits().hits()).hasSize(size);
            List<String> actual = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                Hit<JsonNode> hit = r.hits().hits().get(i);
                City c = byId.get(hit.id());
                actual.add(c.name() + "|" + c.lat());
                City e = sorted.get(from + i);
                expected.add(e.name() + "|" + e.lat());
                assertThat(hit.sort()).hasSize(2);
                assertThat(hit.sort().get(0).stringValue()).isEqualTo(c.name());
                assertThat(number(hit.sort().get(1))).isEqualTo(c.lat());
            }
            assertThat(actual).as("page from=%d size=%d", from, size).isEqualTo(expected);
        }
    }

    @Test
    @Order(21)
    void sourceFiltering() throws IOException {
        SearchResponse<JsonNode> includes = client.search(s -> s.index(INDEX).query(q -> q.ids(i -> i.values("1")))
                .source(src -> src.filter(f -> f.includes("name", "country"))), JsonNode.class);
        JsonNode only = includes.hits().hits().getFirst().source();
        assertThat(fieldNames(only)).containsExactlyInAnyOrder("name", "country");
        assertThat(only.get("name").asText()).isEqualTo(byId.get("1").name());

        SearchResponse<JsonNode> excludes = client.search(s -> s.index(INDEX).query(q -> q.ids(i -> i.values("1")))
                .source(src -> src.filter(f -> f.excludes("admin*"))), JsonNode.class);
        assertThat(fieldNames(excludes.hits().hits().getFirst().source()))
                .containsExactlyInAnyOrder("name", "lat", "lng", "country");

        SearchResponse<JsonNode> none = client.search(s -> s.index(INDEX).query(q -> q.ids(i -> i.values("1")))
                .source(src -> src.fetch(false)), JsonNode.class);
        assertThat(none.hits().hits()).hasSize(1);
        assertThat(none.hits().hits().getFirst().source()).isNull();
    }

    @Test
    @Order(22)
    void seqNoPrimaryTermInHits() throws IOException {
        SearchResponse<JsonNode> with = client.search(s -> s.index(INDEX).query(q -> q.ids(i -> i.values("1", "2", "3")))
                .seqNoPrimaryTerm(true), JsonNode.class);
        assertThat(with.hits().hits()).hasSize(3);
        for (Hit<JsonNode> hit : with.hits().hits()) {
            GetResponse<JsonNode> got = client.get(g -> g.index(INDEX).id(hit.id()), JsonNode.class);
            assertThat(hit.seqNo()).isNotNull().isEqualTo(got.seqNo());
            assertThat(hit.primaryTerm()).isNotNull().isEqualTo(got.primaryTerm());
        }
        SearchResponse<JsonNode> without = client.search(s -> s.index(INDEX).query(q -> q.ids(i -> i.values("1"))),
                JsonNode.class);
        assertThat(without.hits().hits().getFirst().seqNo()).isNull();
        assertThat(without.hits().hits().getFirst().primaryTerm()).isNull();
    }

    @Test
    @Order(23)
    void countApi() throws IOException {
        assertThat(client.count(c -> c.index(INDEX)).count()).isEqualTo(171_075L);
        long usCities = cities.stream().filter(c -> c.country().equals("US")).count();
        assertThat(client.count(c -> c.index(INDEX).query(q -> q.term(t -> t.field("country").value("US")))).count())
                .isEqualTo(usCities);
    }

    // ------------------------------------------------------------------------------------------ writes

    @Test
    @Order(30)
    void partialUpdateIsSeenByGetAndIncrementsVersion() throws IOException {
        City city = byId.get("5");
        GetResponse<JsonNode> before = client.get(g -> g.index(INDEX).id("5"), JsonNode.class);
        assertThat(before.version()).isEqualTo(1L);

        UpdateResponse<JsonNode> updated = client.update(u -> u.index(INDEX).id("5")
                .doc(Map.of("population", 1234, "name", city.name() + " Updated")), JsonNode.class);
        assertThat(updated.result()).isEqualTo(Result.Updated);
        assertThat(updated.version()).isEqualTo(2L);
        assertThat(updated.seqNo()).isGreaterThan(before.seqNo());

        GetResponse<JsonNode> after = client.get(g -> g.index(INDEX).id("5"), JsonNode.class);
        assertThat(after.found()).isTrue();
        assertThat(after.version()).isEqualTo(2L);
        assertThat(after.seqNo()).isEqualTo(updated.seqNo());
        ObjectNode expected = ((ObjectNode) city.source()).deepCopy();
        expected.put("name", city.name() + " Updated");
        expected.put("population", 1234);
        assertThat(after.source()).isEqualTo(expected);

        // the new field (mapped dynamically) and the new name are searchable after a refresh
        client.indices().refresh(r -> r.index(INDEX));
        SearchResponse<JsonNode> withPopulation = client.search(s -> s.index(INDEX)
                .query(q -> q.exists(e -> e.field("population"))), JsonNode.class);
        assertThat(ids(withPopulation)).containsExactly("5");
        assertThat(count(q -> q.range(r -> r.number(n -> n.field("population").gte(1000.0).lte(2000.0)))))
                .isEqualTo(1L);
        assertThat(ids(client.search(s -> s.index(INDEX).query(q -> q.match(m -> m.field("name").query("updated"))),
                JsonNode.class))).containsExactly("5");
    }

    @Test
    @Order(31)
    void deleteThenGetIsNotFoundAndCountDrops() throws IOException {
        DeleteResponse deleted = client.delete(d -> d.index(INDEX).id("4"));
        assertThat(deleted.result()).isEqualTo(Result.Deleted);
        assertThat(deleted.version()).isEqualTo(2L);
        assertThat(client.get(g -> g.index(INDEX).id("4"), JsonNode.class).found()).isFalse();

        // deleting it again: not_found
        DeleteResponse again = client.delete(d -> d.index(INDEX).id("4"));
        assertThat(again.result()).isEqualTo(Result.NotFound);

        client.indices().refresh(r -> r.index(INDEX));
        assertThat(client.count(c -> c.index(INDEX)).count()).isEqualTo(171_074L);
        long andorra = cities.stream().filter(c -> c.country().equals("AD")).count();
        assertThat(byId.get("4").country()).isEqualTo("AD");
        assertThat(client.count(c -> c.index(INDEX).query(q -> q.term(t -> t.field("country").value("AD")))).count())
                .isEqualTo(andorra - 1);
        assertThat(count(q -> q.ids(i -> i.values("4")))).isZero();
    }

    @Test
    @Order(32)
    void optimisticConcurrencyControl() throws IOException {
        GetResponse<JsonNode> current = client.get(g -> g.index(INDEX).id("3"), JsonNode.class);
        ObjectNode changed = ((ObjectNode) current.source()).deepCopy().put("admin2", "changed");

        ElasticsearchException stale = catchThrowableOfType(ElasticsearchException.class,
                () -> client.index(i -> i.index(INDEX).id("3").ifSeqNo(current.seqNo() + 1000)
                        .ifPrimaryTerm(current.primaryTerm()).document(changed)));
        assertThat(stale).as("a stale if_seq_no must be rejected").isNotNull();
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.error().type()).isEqualTo("version_conflict_engine_exception");
        assertThat(stale.error().reason()).isNotBlank();

        ElasticsearchException wrongTerm = catchThrowableOfType(ElasticsearchException.class,
                () -> client.index(i -> i.index(INDEX).id("3").ifSeqNo(current.seqNo())
                        .ifPrimaryTerm(current.primaryTerm() + 1).document(changed)));
        assertThat(wrongTerm).isNotNull();
        assertThat(wrongTerm.status()).isEqualTo(409);

        GetResponse<JsonNode> unchanged = client.get(g -> g.index(INDEX).id("3"), JsonNode.class);
        assertThat(unchanged.version()).isEqualTo(current.version());
        assertThat(unchanged.source()).isEqualTo(current.source());

        // the right seq_no and term: accepted
        IndexResponse ok = client.index(i -> i.index(INDEX).id("3").ifSeqNo(current.seqNo())
                .ifPrimaryTerm(current.primaryTerm()).document(changed));
        assertThat(ok.result()).isEqualTo(Result.Updated);
        assertThat(ok.version()).isEqualTo(current.version() + 1);
        assertThat(client.get(g -> g.index(INDEX).id("3"), JsonNode.class).source()).isEqualTo(changed);
    }

    @Test
    @Order(33)
    void createOnExistingIdConflicts() throws IOException {
        ElasticsearchException conflict = catchThrowableOfType(ElasticsearchException.class,
                () -> client.create(c -> c.index(INDEX).id("6").document(Map.of("name", "duplicate"))));
        assertThat(conflict).as("create on an existing id must be rejected").isNotNull();
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.error().type()).isEqualTo("version_conflict_engine_exception");
        assertThat(client.get(g -> g.index(INDEX).id("6"), JsonNode.class).source())
                .isEqualTo(byId.get("6").source());

        // a new id: created
        var created = client.create(c -> c.index(INDEX).id("new-1").document(Map.of("name", "Brand New Town",
                "country", "ZZ")));
        assertThat(created.result()).isEqualTo(Result.Created);
        assertThat(created.version()).isEqualTo(1L);
        DeleteResponse cleanup = client.delete(d -> d.index(INDEX).id("new-1"));
        assertThat(cleanup.result()).isEqualTo(Result.Deleted);
    }

    // ------------------------------------------------------------------------------------------ index APIs

    @Test
    @Order(40)
    void catIndicesAfterRefresh() throws IOException {
        client.indices().refresh(r -> r.index(INDEX));
        IndicesRecord cat = catRecord();
        assertThat(cat.index()).isEqualTo(INDEX);
        assertThat(cat.pri()).isEqualTo("3");
        assertThat(cat.health()).isEqualTo("green");
        assertThat(cat.docsCount()).isEqualTo("171074");
        String uuid = client.indices().get(g -> g.index(INDEX)).indices().get(INDEX).settings().index().uuid();
        assertThat(uuid).isNotBlank();
        assertThat(cat.uuid()).isEqualTo(uuid);
        // the unfiltered listing has it too
        assertThat(client.cat().indices().indices()).extracting(IndicesRecord::index).contains(INDEX);
    }

    @Test
    @Order(41)
    void getIndexReturnsMappingsAndSettings() throws IOException {
        GetIndexResponse response = client.indices().get(g -> g.index(INDEX));
        assertThat(response.indices()).containsOnlyKeys(INDEX);
        IndexState state = response.indices().get(INDEX);
        assertThat(state.settings().index().numberOfShards()).isEqualTo("3");
        var properties = state.mappings().properties();
        assertThat(properties).containsKeys("name", "lat", "lng", "country", "admin1", "admin2", "population");
        assertThat(properties.get("name").isText()).isTrue();
        assertThat(properties.get("name").text().fields()).containsKey("keyword");
        assertThat(properties.get("name").text().fields().get("keyword").keyword().ignoreAbove()).isEqualTo(256);
        assertThat(properties.get("lat").isDouble()).isTrue();
        assertThat(properties.get("country").isKeyword()).isTrue();
        assertThat(properties.get("population").isLong()).isTrue();
    }

    @Test
    @Order(45)
    void aWriteWithoutRefreshBecomesSearchableOnTheIndexRefreshInterval() throws IOException {
        client.index(i -> i.index(INDEX).id("refreshed-on-schedule")
                .document(BinaryData.of("{\"name\":\"Scheduled\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        ContentType.APPLICATION_JSON)));

        // no refresh asked for: the index's 1s refresh_interval makes it visible, as in Elasticsearch
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> count(q -> q.ids(ids -> ids.values("refreshed-on-schedule"))) == 1);
    }

    @Test
    @Order(50)
    void existsAndDeleteIndex() throws IOException {
        assertThat(client.indices().exists(e -> e.index(INDEX)).value()).isTrue();
        assertThat(client.indices().exists(e -> e.index("no-such-index")).value()).isFalse();

        assertThat(client.indices().delete(d -> d.index(INDEX)).acknowledged()).isTrue();

        assertThat(client.indices().exists(e -> e.index(INDEX)).value()).isFalse();
        ElasticsearchException gone = catchThrowableOfType(ElasticsearchException.class,
                () -> client.indices().get(g -> g.index(INDEX)));
        assertThat(gone).isNotNull();
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.error().type()).isEqualTo("index_not_found_exception");
        ElasticsearchException searchGone = catchThrowableOfType(ElasticsearchException.class,
                () -> client.search(s -> s.index(INDEX), JsonNode.class));
        assertThat(searchGone).isNotNull();
        assertThat(searchGone.status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private IndicesRecord catRecord() throws IOException {
        List<IndicesRecord> records = client.cat().indices(c -> c.index(INDEX)).indices();
        assertThat(records).hasSize(1);
        return records.getFirst();
    }

    private long count(java.util.function.Function<Query.Builder, co.elastic.clients.util.ObjectBuilder<Query>> query)
            throws IOException {
        return client.count(c -> c.index(INDEX).query(query)).count();
    }

    /**
     * Searches with {@code query} (exact total, all hits) and checks the hit set is exactly the corpus
     * documents {@code expected} accepts, and that _count agrees.
     */
    private void assertHitSet(java.util.function.Function<Query.Builder, co.elastic.clients.util.ObjectBuilder<Query>> query,
                              Predicate<City> expected) throws IOException {
        Set<String> expectedIds = cities.stream().filter(expected).map(City::id).collect(Collectors.toSet());
        assertThat(expectedIds).as("expected hits (a query the corpus has answers for)").isNotEmpty();
        assertThat(expectedIds.size()).as("expected hits (keep the test's queries selective)").isLessThan(10_000);
        SearchRequest request = SearchRequest.of(s -> s.index(INDEX).query(query)
                .trackTotalHits(t -> t.enabled(true)).size(Math.max(expectedIds.size() + 10, 10)));
        SearchResponse<JsonNode> response = client.search(request, JsonNode.class);
        assertThat(response.hits().total().value()).as("total of %s", request.query()).isEqualTo(expectedIds.size());
        assertThat(response.hits().total().relation()).isEqualTo(TotalHitsRelation.Eq);
        Set<String> actual = new HashSet<>(ids(response));
        assertThat(actual).as("hits of %s", request.query()).isEqualTo(expectedIds);
        assertThat(response.hits().hits()).hasSize(expectedIds.size());
        assertThat(client.count(c -> c.index(INDEX).query(query)).count()).isEqualTo(expectedIds.size());
    }

    private static List<String> ids(SearchResponse<JsonNode> response) {
        return response.hits().hits().stream().map(Hit::id).toList();
    }

    private static double number(FieldValue value) {
        return value.isLong() ? value.longValue() : value.doubleValue();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static boolean containsPhrase(List<String> tokens, String first, String second) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).equals(first) && tokens.get(i + 1).equals(second)) {
                return true;
            }
        }
        return false;
    }

    /** The corpus, with each name tokenized by Elasticsearch's standard analyzer (Lucene's StandardAnalyzer). */
    private static List<City> readCorpus() {
        List<byte[]> lines = SampleData.documents();
        List<City> out = new ArrayList<>(lines.size());
        try (Analyzer standard = new StandardAnalyzer()) {
            for (int i = 0; i < lines.size(); i++) {
                byte[] raw = lines.get(i);
                JsonNode source = JSON.readTree(raw);
                String name = source.get("name").asText();
                out.add(new City(Integer.toString(i + 1), raw, source, name,
                        Double.parseDouble(source.get("lat").asText()), source.get("country").asText(),
                        source.get("admin1").asText(), tokens(standard, name)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<String> tokens(Analyzer analyzer, String text) throws IOException {
        List<String> tokens = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream("name", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                tokens.add(term.toString());
            }
            ts.end();
        }
        return tokens;
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
