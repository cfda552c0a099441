package io.kccr.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The measuring instrument of {@code bench search}: runs one side's query on a fixed number of client threads for a
 * fixed time and reports queries per second, latencies and this process's CPU time per query, and sends the HTTP
 * side's requests. Not thread-safe: one measurement at a time.
 */
final class QueryLoad {
    /** A query as it runs on one side. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /**
     * One side's measurement. {@code cpuMicros} is this process's CPU time per query (every thread: client, server,
     * engine), less what the idle node spends meanwhile (its broker, feed and refresher): unlike queries per second it
     * does not depend much on how much of the machine other processes take. {@code clientMicros} is the part of it
     * the client threads spent themselves: over HTTP the client's, directly the whole query. {@code jitMicros} is what
     * the JIT compiler's threads spent meanwhile, left out of {@code cpuMicros}: compiling is a warm-up cost, and the
     * HTTP side (Jetty, Javalin, the client) has far more code to compile than a loop over Lucene's readers, which on
     * a busy machine it was still compiling after twenty seconds.
     */
    record Measure(double qps, double p50Millis, double p99Millis, double cpuMicros, double clientMicros,
                   double jitMicros) {
    }

    /** CPU nanoseconds per second the idle node spends (measured with no query running), the JIT's left out. */
    private double idleCpuRate;

    /**
     * Measures what the process spends per second with no query running, to be left out of every later measurement.
     *
     * @return that rate, in nanoseconds of CPU per second
     */
    double measureIdle(long millis) throws IOException, InterruptedException {
        long idleStart = cpuLessJitNanos();
        long idleWall = System.nanoTime();
        Thread.sleep(millis);
        idleCpuRate = (cpuLessJitNanos() - idleStart) / ((System.nanoTime() - idleWall) / 1e9);
        return idleCpuRate;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** This process's CPU time less its JIT compiler threads'. */
    private static long cpuLessJitNanos() throws IOException {
        return processCpuNanos() - ProcStats.compilerCpuNanos();
    }

    /**
     * One request, its whole answer read; {@code body} null for none. {@link HttpURLConnection} keeps the connection
     * alive and is synchronous: no selector thread, futures or hand-offs per request, which with
     * {@code java.net.http.HttpClient} took about as much of the two cores as the server's HTTP layer did; the client
     * is the measuring instrument, not the product. The body is buffered, not streamed
     * ({@code setFixedLengthStreamingMode}): before a streamed POST on a kept-alive connection the JDK checks that the
     * server has not closed it by reading with a 1 ms timeout, so every search waited a millisecond and threw a
     * {@code SocketTimeoutException} before it was sent.
     */
    static void send(String method, String url, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream o = c.getOutputStream()) {
                o.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status == 200 ? c.getInputStream() : c.getErrorStream()) {
            byte[] answer = in.readAllBytes();
            if (status != 200) {
                throw new IllegalStateException(method + " " + url + " failed: "
                        + new String(answer, StandardCharsets.UTF_8));
            }
        }
    }

    /** Runs {@code action} on {@code threads} threads for {@code seconds}; queries per second and latencies. */
    Measure measure(Action action, int threads, int seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicLong clientCpu = new AtomicLong();
        for (int t = 0; t < threads; t++) {
            long[][] mine = {new long[1 << 16]};
            int[] n = {0};
            Thread w = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long s = System.nanoTime();
                        action.run();
                        if (n[0] == mine[0].length) {
                            mine[0] = Arrays.copyOf(mine[0], n[0] * 2);
                        }
                        mine[0][n[0]++] = System.nanoTime() - s;
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
                clientCpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine[0], n[0]));
                }
            });
            workers.add(w);
        }
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        long jitStart = ProcStats.compilerCpuNanos();
        workers.forEach(Thread::start);
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long jit = ProcStats.compilerCpuNanos() - jitStart;
        long cpu = Math.max(0, processCpuNanos() - cpuStart - jit - (long) (idleCpuRate * elapsed));
        if (!errors.isEmpty()) {
            throw new IllegalStateException("a query failed", errors.getFirst());
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
        return new Measure(all.length / elapsed, Stats.percentile(all, 50) / 1e6, Stats.percentile(all, 99) / 1e6,
                cpu / 1e3 / Math.max(1, all.length), clientCpu.get() / 1e3 / Math.max(1, all.length),
                jit / 1e3 / Math.max(1, all.length));
    }
}
