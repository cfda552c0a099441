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
 * The {@code kccr} command line ({@code bin/kccr}): {@code kccr node}, {@code kccr quickstart}, the operator
 * commands that call a node's REST API ({@code follow}, {@code pause}, {@code resume}, {@code unfollow},
 * {@code stats}, {@code lag}, {@code rebuild}, {@code verify}), {@code kccr bench}, {@code kccr help}.
 *
 * <p>Exit codes: 0 ok, 1 failure (an error answer is printed as {@code error: <reason> (<type>)}), 2 usage error
 * (bad options, bad settings, unknown benchmark) or a node that cannot be reached; {@code verify}: 0 identical,
 * 1 different, 2 error.
 */
@Command(name = "kccr",
        mixinStandardHelpOptions = true,
        versionProvider = Kccr.Version.class,
        headerHeading = "",
        header = "Kafka CCR: cross-cluster replication for Lucene indexes, with Apache Kafka as the replication log.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {NodeCommand.class, QuickstartCommand.class, FollowCommand.class, PauseCommand.class,
                ResumeCommand.class, UnfollowCommand.class, StatsCommand.class, LagCommand.class,
                RebuildCommand.class, VerifyCommand.class, ResetPasswordCommand.class, CertutilCommand.class,
                BenchCommand.class,
                HelpCommand.class},
        footerHeading = "%n",
        footer = {"Run 'kccr COMMAND --help' (or 'kccr help COMMAND') for a command's options.",
                "Exit codes: 0 ok, 1 failure or error answer, 2 usage error or node unreachable."})
public final class Kccr implements Callable<Integer> {

    static final int EXIT_USAGE = CommandLine.ExitCode.USAGE; // 2
    static final int EXIT_FAILURE = CommandLine.ExitCode.SOFTWARE; // 1
    static final int EXIT_UNREACHABLE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required command: "
                + String.join(", ", spec.subcommands().keySet()));
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
        kccr.setExecutionExceptionHandler(Kccr::handle);
        return kccr;
    }

    /**
     * An error answer of a node prints {@code error: <reason> (<type>)} (exit code 1); a node that cannot be reached
     * prints which URL (exit code 2); anything else goes on as picocli reports it.
     */
    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof NodeError api) {
            cmd.getErr().println("error: " + api.reason() + " (" + api.type() + ")");
            if (api.status() == 401) {
                cmd.getErr().println("authenticate with --user (the password is asked for) or --api-key, or set"
                        + " KCCR_USER and KCCR_PASSWORD, KCCR_API_KEY, or KCCR_NETRC");
            }
            cmd.getErr().flush();
            return EXIT_FAILURE;
        }
        if (e instanceof Credentials.Unusable unusable) {
            cmd.getErr().println("error: " + unusable.getMessage());
            cmd.getErr().flush();
            return EXIT_USAGE;
        }
        if (e instanceof NodeClient.Unreachable unreachable) {
            cmd.getErr().println("error: " + unreachable.getMessage());
            cmd.getErr().flush();
            return EXIT_UNREACHABLE;
        }
        throw e;
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
