package io.kccr.cli;

import io.kccr.node.security.PasswordReset;
import io.kccr.node.security.Passwords;
import io.kccr.node.settings.NodeSettings;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kccr reset-password -u elastic}: gives a user of the node's cluster a new password, on a stopped or a running
 * node, without credentials, by whoever may write the node's {@code path.data}: the new password's bcrypt hash is
 * left there ({@link PasswordReset}) and the node applies it as it starts, or within a second while it runs.
 */
@Command(name = "reset-password",
        mixinStandardHelpOptions = true,
        versionProvider = Kccr.Version.class,
        sortOptions = false,
        headerHeading = "",
        header = "Reset a user's password (the built-in superuser elastic's, by default), on a stopped or running node.",
        description = {
                "Generates a new password (or asks for one with -i) and hands its hash to the node of path.data: a"
                        + " running node applies it within a second, a stopped one when it starts. The new password"
                        + " is printed once.",
                "",
                "Examples:",
                "  kccr reset-password -u elastic",
                "  kccr reset-password -u elastic -E path.data=/var/lib/kccr -i"},
        footerHeading = "%n",
        footer = "Exit codes: 0 reset (or handed over to a stopped node), 1 failure, 2 usage error.")
final class ResetPasswordCommand implements Callable<Integer> {
    private static final Duration RUNNING_NODE_WAIT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Option(names = {"-u", "--username"}, paramLabel = "<user>", defaultValue = "elastic",
            description = "Whose password (default: ${DEFAULT-VALUE}).")
    String username;

    @Option(names = {"-i", "--interactive"}, description = "Ask for the new password instead of generating one.")
    boolean interactive;

    @Option(names = "-E", paramLabel = "<key=value>",
            description = "The node's settings, as for kccr node (path.data is the one that matters).")
    List<String> settings = new ArrayList<>();

    @Option(names = {"-c", "--config"}, paramLabel = "<path.yml>", description = "The node's YAML settings file.")
    Path config;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path data;
        try {
            data = NodeSettings.load(config, NodeCommand.parseOverrides(settings)).dataPath().toAbsolutePath();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println(e.getMessage());
            err.flush();
            return Kccr.EXIT_USAGE;
        }
        if (!Files.isDirectory(data)) {
            err.println("no node data at [" + data + "]: give the node's path.data with -E path.data=<dir>");
            err.flush();
            return Kccr.EXIT_FAILURE;
        }
        String password;
        if (interactive) {
            Console console = System.console();
            if (console == null) {
                err.println("-i needs a terminal to ask for the password");
                err.flush();
                return Kccr.EXIT_USAGE;
            }
            char[] first = console.readPassword("Enter the new password for [%s]: ", username);
            char[] again = console.readPassword("Re-enter it: ");
            if (first == null || !java.util.Arrays.equals(first, again)) {
                err.println("the passwords differ; nothing changed");
                err.flush();
                return Kccr.EXIT_FAILURE;
            }
            password = new String(first);
            Passwords.validate(first);
        } else {
            password = Passwords.generate(20);
        }
        PasswordReset.request(data, username, Passwords.hash(password));
        boolean running = isRunning(data);
        if (running && !awaitApplied(data)) {
            err.println("the node at [" + data + "] runs but did not apply the reset within "
                    + RUNNING_NODE_WAIT.toSeconds() + "s; it applies it when it next starts");
            err.flush();
        }
        out.println("New password for user [" + username + "]: " + password);
        out.println(running ? "(applied by the running node)" : "(the node is stopped: it applies it when it starts)");
        out.flush();
        return 0;
    }

    /** Whether a node holds {@code <data>/node.lock}. */
    private static boolean isRunning(Path data) throws IOException {
        Path lockFile = data.resolve("node.lock");
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (java.nio.channels.OverlappingFileLockException sameJvm) {
            return true;
        }
    }

    private static boolean awaitApplied(Path data) throws InterruptedException {
        long deadline = System.nanoTime() + RUNNING_NODE_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!Files.exists(PasswordReset.file(data))) {
                return true;
            }
            Thread.sleep(100); // the node checks every second; a CLI waiting for a file has nothing to poll but it
        }
        return false;
    }
}
