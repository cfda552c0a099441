package io.kccr.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code kccr} command line ({@code bin/kccr}): {@code kccr node}, {@code kccr verify}, {@code kccr bench},
 * {@code kccr help}.
 *
 * <p>Exit codes: 0 ok, 1 failure, 2 usage error (bad options, bad settings, unknown benchmark); {@code verify}: 0
 * identical, 1 different, 2 error.
 */
@Command(name = "kccr",
        mixinStandardHelpOptions = true,
        versionProvider = Kccr.Version.class,
        headerHeading = "",
        header = "Kafka CCR: cross-cluster replication for Lucene indexes, with Apache Kafka as the replication log.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {NodeCommand.class, VerifyCommand.class, BenchCommand.class, HelpCommand.class},
        footerHeading = "%n",
        footer = {"Run 'kccr COMMAND --help' (or 'kccr help COMMAND') for a command's options.",
                "Exit codes: 0 ok, 1 failure, 2 usage error."})
public final class Kccr implements Callable<Integer> {

    static final int EXIT_USAGE = CommandLine.ExitCode.USAGE; // 2

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required command: node, verify, bench or help");
    }

    /**
     * Lucene notes once, through java.util.logging, that the incubating vector module is not enabled;
     * nothing here uses vectors, so the node's output stays its own lines. Held here: JUL keeps loggers weakly.
     */
    private static final java.util.logging.Logger LUCENE_VECTOR_LOG =
            java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

    public static void main(String[] args) {
        LUCENE_VECTOR_LOG.setLevel(java.util.logging.Level.SEVERE);
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (exposed for tests): {@code commandLine().execute(args)} gives the exit code. */
    public static CommandLine commandLine() {
        CommandLine kccr = new CommandLine(new Kccr());
        CommandLine node = kccr.getSubcommands().get("node");
        addSectionBeforeFooter(node, "settings", help -> SettingsHelp.text(help.commandSpec().usageMessage().width()));
        CommandLine bench = kccr.getSubcommands().get("bench");
        bench.setStopAtPositional(true); // everything after the name goes to the benchmark, --help included
        addSectionBeforeFooter(bench, "benchmarks", help -> BenchCommand.listing());
        return kccr;
    }

    private static void addSectionBeforeFooter(CommandLine cmd, String key, CommandLine.IHelpSectionRenderer renderer) {
        cmd.getHelpSectionMap().put(key, help -> System.lineSeparator() + renderer.render(help));
        List<String> keys = new java.util.ArrayList<>(cmd.getHelpSectionKeys());
        keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), key);
        cmd.setHelpSectionKeys(keys);
    }

    /** {@code --version}: the jar's Implementation-Version, and the JVM. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Kccr.class.getPackage().getImplementationVersion();
            return new String[] {
                "kccr " + (version == null ? "(development build)" : version),
                "JVM: ${java.version} (${java.vendor} ${java.vm.name} ${java.vm.version})",
                "OS: ${os.name} ${os.version} ${os.arch}"
            };
        }
    }
}
