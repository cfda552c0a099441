package io.kccr.cli;

import io.kccr.core.settings.TimeValue;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kccr lag}: a live view of every follower index of a node, refreshed every second. */
@Command(name = "lag",
        mixinStandardHelpOptions = true,
        versionProvider = Kccr.Version.class,
        sortOptions = false,
        headerHeading = "",
        header = "Watch the replication lag of every follower index of a node, live.",
        description = {
                "Every --interval, reads GET /_ccr/stats and GET /_all/_ccr/info and shows per follower index:"
                        + " status, ops lag (operations the leader has that the follower has not applied), lag in"
                        + " seconds (age of the oldest of them), and the apply rate (operations written per second"
                        + " since the previous refresh).",
                "On a terminal the screen is redrawn; otherwise one line is printed per refresh. Ctrl-C stops it.",
                "",
                "Examples:",
                "  kccr lag",
                "  kccr lag --count 10 --interval 5s --url http://10.0.0.7:9200 >> lag.log"},
        footerHeading = "%n",
        footer = "Exit codes: 0 ok, 1 error answer, 2 node unreachable.")
final class LagCommand implements Callable<Integer> {
    private static final String CLEAR = "\033[H\033[2J";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Spec
    CommandSpec spec;

    @Mixin
    NodeUrl node;

    @Option(names = "--count", paramLabel = "<n>", defaultValue = "0",
            description = "Stop after this many refreshes (default: run until Ctrl-C).")
    int count;

    @Option(names = "--interval", paramLabel = "<duration>", defaultValue = "1s",
            description = "Time between refreshes: 500ms, 1s, 1m (default: ${DEFAULT-VALUE}).")
    String interval;

    Clock clock = Clock.systemDefaultZone();

    @Override
    public Integer call() throws Exception {
        Duration every;
        try {
            every = parseDuration(interval);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--interval: " + e.getMessage());
        }
        NodeClient client = node.client();
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = Progress.interactive();
        LagView view = new LagView();
        for (int i = 0; count <= 0 || i < count; i++) {
            if (i > 0) {
                Thread.sleep(every.toMillis());
            }
            List<LagView.Row> rows = view.sample(client.get("/_ccr/stats"), client.get("/_all/_ccr/info"),
                    clock.millis());
            String time = LocalTime.now(clock.withZone(ZoneId.systemDefault())).format(TIME);
            if (terminal) {
                out.print(CLEAR + "kccr lag  " + client.url() + "  " + time + "  (Ctrl-C to stop)"
                        + System.lineSeparator() + System.lineSeparator()
                        + (rows.isEmpty() ? "no follower indices" + System.lineSeparator() : LagView.table(rows)));
            } else {
                out.println(time + " " + LagView.line(rows));
            }
            out.flush();
        }
        return 0;
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}: a positive time value in Elasticsearch's units, at least 1 ms. */
    static Duration parseDuration(String text) {
        try {
            TimeValue every = TimeValue.parse(text, "--interval");
            if (every.millis() >= 1) {
                return every.toDuration();
            }
        } catch (IllegalArgumentException e) {
            // the message below says what is accepted
        }
        throw new IllegalArgumentException("failed to parse [" + text + "]: give a positive time such as 500ms,"
                + " 1s or 1m");
    }
}
