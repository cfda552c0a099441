package io.kccr.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs benchmarks as {@code kccr bench} does: each after a header naming the machine ({@link Machine#describe()})
 * and how loaded it is, so that every benchmark's output says where its figures come from; and all of them in a
 * row ({@code kccr bench all}), one short round each with {@code --quick}, ending with a summary of their median
 * lines.
 */
public final class BenchmarkRunner {
    /** The name that runs every benchmark: no benchmark may take it. */
    public static final String ALL = "all";

    private BenchmarkRunner() {
    }

    /** Runs {@code benchmark} with {@code args} after the machine header; exceptions propagate. */
    public static void run(Benchmark benchmark, List<String> args, PrintStream out) throws Exception {
        out.println(Machine.describe());
        out.println("bench " + benchmark.name() + (args.isEmpty() ? "" : " " + String.join(" ", args)) + "; "
                + Machine.load());
        benchmark.run(args, out);
    }

    /**
     * Runs every benchmark in turn, with its {@link Benchmark#quickArgs()} when {@code quick}, else with
     * {@code args}; a failing one is reported and the others still run. Prints a summary: each benchmark's
     * outcome, time, and the lines it printed with its medians.
     *
     * @return true when every benchmark ran to the end
     */
    public static boolean runAll(List<Benchmark> benchmarks, boolean quick, List<String> args, PrintStream out) {
        record Outcome(String name, String status, double seconds, List<String> medians) {
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Benchmark benchmark : benchmarks) {
            List<String> runArgs = quick ? benchmark.quickArgs() : args;
            out.println();
            out.println("=== " + benchmark.name() + " ===");
            LineRecorder recorder = new LineRecorder(out);
            PrintStream tee = new PrintStream(recorder, true, StandardCharsets.UTF_8);
            long start = System.nanoTime();
            String status;
            try {
                run(benchmark, runArgs, tee);
                status = "ok";
            } catch (Exception | Error e) {
                tee.flush();
                e.printStackTrace(out);
                status = "FAILED: " + e;
            }
            tee.flush();
            outcomes.add(new Outcome(benchmark.name(), status, (System.nanoTime() - start) / 1e9,
                    recorder.lines().stream().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("median")).toList()));
        }
        out.println();
        out.println("=== summary" + (quick ? " (--quick: one short round each; not figures to report)" : "") + " ===");
        out.println(Machine.describe());
        out.println(Machine.load());
        boolean allOk = true;
        for (Outcome o : outcomes) {
            allOk &= o.status().equals("ok");
            out.printf(Locale.ROOT, "%s: %s in %.0f s%n", o.name(), o.status(), o.seconds());
            o.medians().forEach(m -> out.println("  " + m));
        }
        return allOk;
    }

    /** Passes everything through to {@code out} and keeps the lines written. */
    private static final class LineRecorder extends OutputStream {
        private final PrintStream out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final List<String> lines = new ArrayList<>();

        LineRecorder(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.write(b);
            if (b == '\n') {
                lines.add(line.toString(StandardCharsets.UTF_8).stripTrailing());
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        List<String> lines() {
            return lines;
        }
    }
}
