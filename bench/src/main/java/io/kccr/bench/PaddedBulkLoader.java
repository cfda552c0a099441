package io.kccr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Bulks GeoNames documents padded with a few KB of pseudo-random words into an index, with distinct
 * ids numbered on from 0 across calls of {@link #run}, {@value #CLIENTS} clients at a time: a way to
 * grow an index to a given size on disk quickly.
 */
final class PaddedBulkLoader {
    static final int PAD_BYTES = 4096;
    static final int BULK_DOCS = 500;
    static final int CLIENTS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MB = 1 << 20;

    private final HttpClient http;
    private final String base;
    private final String index;
    private final List<byte[]> docs;
    private final String[] words;
    private final AtomicLong nextBulk = new AtomicLong();
    private final AtomicLong bulksDone = new AtomicLong();

    PaddedBulkLoader(HttpClient http, String base, String index, List<byte[]> docs) {
        this.http = http;
        this.base = base;
        this.index = index;
        this.docs = docs;
        this.words = vocabulary();
    }

    /** Documents acknowledged so far. */
    long docs() {
        return bulksDone.get() * BULK_DOCS;
    }

    /** Bulks until {@code untilDocs} documents are in, or {@code done} (polled every 0.5 s) holds. */
    void run(long untilDocs, java.util.function.BooleanSupplier done, long start, LongSupplier bytesOnDisk,
             PrintStream out) throws Exception {
        long lastBulk = untilDocs == Long.MAX_VALUE ? Long.MAX_VALUE : (untilDocs + BULK_DOCS - 1) / BULK_DOCS;
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Void>> loaders = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                SplittableRandom random = new SplittableRandom(nextBulk.get() * CLIENTS + c);
                loaders.add(pool.submit(() -> {
                    while (!stop.get()) {
                        long bulk = nextBulk.getAndIncrement();
                        if (bulk >= lastBulk) {
                            nextBulk.decrementAndGet(); // nothing else takes one once the last is taken
                            return null;
                        }
                        JsonNode response = JSON.readTree(Http.send(http, "POST", base + "/" + index + "/_bulk",
                                bulk(docs, bulk, words, random)));
                        if (response.path("errors").asBoolean()) {
                            throw new IllegalStateException("bulk into [" + index + "] had errors: "
                                    + response.path("items").get(0));
                        }
                        bulksDone.incrementAndGet();
                    }
                    return null;
                }));
            }
            long lastReport = System.nanoTime();
            while (!loaders.stream().allMatch(Future::isDone)) {
                for (Future<Void> f : loaders) {
                    if (f.isDone()) {
                        f.get(); // a failed loader's exception
                    }
                }
                Thread.sleep(500);
                if (done.getAsBoolean()) {
                    stop.set(true);
                }
                if (System.nanoTime() - lastReport > 15_000_000_000L) {
                    lastReport = System.nanoTime();
                    out.printf("  %,d documents, %,.0f MB on disk, %.0f s%n", docs(), bytesOnDisk.getAsLong() / MB,
                            (lastReport - start) / 1e9);
                }
            }
            for (Future<Void> f : loaders) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** 16,384 pseudo-random lower-case words of 3 to 10 letters, the same every run. */
    private static String[] vocabulary() {
        Random random = new Random(42);
        String[] words = new String[1 << 14];
        for (int i = 0; i < words.length; i++) {
            char[] w = new char[3 + random.nextInt(8)];
            for (int j = 0; j < w.length; j++) {
                w[j] = (char) ('a' + random.nextInt(26));
            }
            words[i] = new String(w);
        }
        return words;
    }

    /** Bulk number {@code n}: {@value #BULK_DOCS} documents with ids {@code n*BULK_DOCS...}, each padded. */
    private static byte[] bulk(List<byte[]> docs, long n, String[] words, SplittableRandom random) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(BULK_DOCS * (PAD_BYTES + 256));
        StringBuilder pad = new StringBuilder(PAD_BYTES + 16);
        for (long id = n * BULK_DOCS; id < (n + 1) * BULK_DOCS; id++) {
            body.writeBytes(("{\"index\":{\"_id\":\"" + id + "\"}}\n").getBytes(StandardCharsets.UTF_8));
            byte[] doc = docs.get((int) (id % docs.size()));
            int close = doc.length - 1;
            while (doc[close] != '}') {
                close--;
            }
            body.write(doc, 0, close);
            pad.setLength(0);
            while (pad.length() < PAD_BYTES) {
                pad.append(words[random.nextInt(words.length)]).append(' ');
            }
            body.writeBytes((",\"pad\":\"" + pad + "\"}\n").getBytes(StandardCharsets.UTF_8));
        }
        return body.toByteArray();
    }
}
