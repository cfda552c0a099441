package io.kccr.bench;

import java.io.PrintStream;
import java.util.List;

/**
 * A benchmark run by {@code bin/kccr bench NAME [ARGS...]}.
 *
 * <p>Implementations are discovered with {@link java.util.ServiceLoader}: list the class in
 * {@code bench/src/main/resources/META-INF/services/io.kccr.bench.Benchmark} and give it a public no-arg
 * constructor. Each should print its baselines, both sides of the comparison it measures in one run, and their
 * ratio; {@link BenchmarkRunner} prints the machine it runs on before it. The name {@value BenchmarkRunner#ALL} is
 * taken.
 */
public interface Benchmark {

    /** The name used on the command line: lower case, no spaces, unique, e.g. {@code bulk-index}. */
    String name();

    /** One line for the list printed by {@code kccr bench}. */
    String description();

    /**
     * The arguments of one short round, for {@code kccr bench all --quick} (a before/after check, not a figure to
     * report): by default a single run, {@code --runs 1}. A benchmark with a long set-up makes it smaller too.
     */
    default List<String> quickArgs() {
        return List.of("--runs", "1");
    }

    /**
     * Runs the benchmark.
     *
     * @param args the command-line arguments after the name, unparsed (options included, e.g.
     *             {@code --docs 100000}); {@code --help} is passed through too, so a benchmark can print its own
     *             usage to {@code out} and return
     * @param out  where to print progress and results
     * @throws IllegalArgumentException for bad arguments: the CLI prints its message to stderr and exits with 2
     * @throws Exception                for anything else: the CLI prints the stack trace and exits with 1
     */
    void run(List<String> args, PrintStream out) throws Exception;
}
