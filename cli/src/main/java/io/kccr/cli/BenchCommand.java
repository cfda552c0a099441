package io.kccr.cli;

import io.kccr.bench.Benchmark;
import io.kccr.bench.BenchmarkRunner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kccr bench NAME [ARGS...]}: runs a {@link Benchmark} found with {@link ServiceLoader}. Everything after
 * the name is passed to the benchmark unparsed (the command line is set to stop option parsing at the name).
 * {@code kccr bench all [--quick]} runs every benchmark in turn ({@link BenchmarkRunner#runAll}).
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = Kccr.Version.class,
        headerHeading = "",
        header = "Run a benchmark; without a name, list the benchmarks.",
        description = {"Everything after <name> is passed to the benchmark (try: kccr bench <name> --help).",
                "'kccr bench all --quick' runs every benchmark for one short round, then prints a summary; "
                        + "'kccr bench all' runs each with its defaults."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<name>", description = "The benchmark to run.")
    String name;

    @Parameters(index = "1..*", paramLabel = "<args>", description = "Arguments and options for the benchmark.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (name == null) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
        List<Benchmark> benchmarks = benchmarks();
        if (name.equals(BenchmarkRunner.ALL)) {
            boolean quick = args.contains("--quick");
            List<String> rest = args.stream().filter(a -> !a.equals("--quick")).toList();
            try {
                return BenchmarkRunner.runAll(benchmarks, quick, rest, System.out) ? 0 : 1;
            } finally {
                System.out.flush();
            }
        }
        Benchmark benchmark = benchmarks.stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
        PrintWriter err = spec.commandLine().getErr();
        if (benchmark == null) {
            err.println("unknown benchmark [" + name + "]; "
                    + (benchmarks.isEmpty()
                            ? "there are no benchmarks yet"
                            : "known benchmarks: "
                                    + benchmarks.stream().map(Benchmark::name).collect(Collectors.joining(", "))));
            err.flush();
            return Kccr.EXIT_USAGE;
        }
        try {
            BenchmarkRunner.run(benchmark, List.copyOf(args), System.out);
        } catch (IllegalArgumentException e) {
            System.out.flush();
            err.println(benchmark.name() + ": " + e.getMessage());
            err.flush();
            return Kccr.EXIT_USAGE;
        } finally {
            System.out.flush();
        }
        return 0;
    }

    /** The benchmarks on the class path, sorted by name. */
    static List<Benchmark> benchmarks() {
        List<Benchmark> list = new ArrayList<>();
        ServiceLoader.load(Benchmark.class, BenchCommand.class.getClassLoader()).forEach(list::add);
        list.sort(Comparator.comparing(Benchmark::name));
        return list;
    }

    /** The "Benchmarks:" help section. */
    static String listing() {
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder("Benchmarks:").append(nl);
        List<Benchmark> benchmarks;
        try {
            benchmarks = benchmarks();
        } catch (ServiceConfigurationError e) {
            return sb.append("  (cannot list them: ").append(e.getMessage()).append(')').append(nl).toString();
        }
        if (benchmarks.isEmpty()) {
            return sb.append("  (none yet: list implementations of io.kccr.bench.Benchmark in").append(nl)
                    .append("   bench/src/main/resources/META-INF/services/io.kccr.bench.Benchmark)").append(nl)
                    .toString();
        }
        int width = benchmarks.stream().mapToInt(b -> b.name().length()).max().orElse(0);
        width = Math.max(width, BenchmarkRunner.ALL.length());
        for (Benchmark b : benchmarks) {
            sb.append("  ").append(b.name()).append(" ".repeat(width - b.name().length() + 2))
                    .append(b.description()).append(nl);
        }
        sb.append("  ").append(BenchmarkRunner.ALL).append(" ".repeat(width - BenchmarkRunner.ALL.length() + 2))
                .append("every benchmark in turn, then a summary; --quick: one short round each").append(nl);
        return sb.toString();
    }
}
