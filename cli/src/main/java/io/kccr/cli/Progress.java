package io.kccr.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * A progress bar for the long-running commands (follow's bootstrap, rebuild). On a terminal one line is redrawn in
 * place with {@code \r}; otherwise (output to a file or a pipe) plain lines are printed, at most one every
 * {@code lineInterval} and one at 100%, so logs stay short. Not thread-safe: one caller drives it.
 */
final class Progress {
    static final Duration LINE_INTERVAL = Duration.ofSeconds(5);
    private static final int BAR_WIDTH = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private final Clock clock;
    private final Duration lineInterval;
    private long lastLineMillis = Long.MIN_VALUE;
    private boolean printedComplete;
    private int drawnWidth;

    Progress(PrintWriter out, boolean terminal, Clock clock, Duration lineInterval) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
        this.lineInterval = lineInterval;
    }

    /** A progress display on {@code out}: a redrawn bar when this process runs on a terminal, lines otherwise. */
    static Progress on(PrintWriter out) {
        return new Progress(out, interactive(), Clock.systemUTC(), LINE_INTERVAL);
    }

    /** Whether standard output is a terminal: a console exists (and, on JDK 22+, says it is a terminal). */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException beforeJdk22) {
            return true; // before JDK 22 a console exists only on a terminal
        }
    }

    /**
     * Shows {@code done} of {@code total} (units the caller chose; a total of 0 or less is unknown) under
     * {@code label}, with {@code detail} after the percentage.
     */
    void update(String label, long done, long total, String detail) {
        double fraction = total <= 0 ? 0 : Math.min(1.0, Math.max(0.0, (double) done / total));
        boolean complete = total > 0 && done >= total;
        String percent = total <= 0 ? "  ?  " : String.format(Locale.ROOT, "%5.1f%%", fraction * 100);
        String tail = detail == null || detail.isEmpty() ? "" : "  " + detail;
        if (terminal) {
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            String line = label + " [" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + percent + tail;
            int pad = Math.max(0, drawnWidth - line.length());
            out.print("\r" + line + " ".repeat(pad));
            drawnWidth = line.length();
            out.flush();
            return;
        }
        long now = clock.millis();
        boolean due = lastLineMillis == Long.MIN_VALUE || now - lastLineMillis >= lineInterval.toMillis();
        if (complete ? !printedComplete : due) {
            out.println(label + " " + percent.strip() + tail);
            out.flush();
            lastLineMillis = now;
            printedComplete |= complete;
        }
    }

    /** Ends the progress display (the bar's line on a terminal) and prints {@code message} on a line of its own. */
    void finish(String message) {
        if (terminal && drawnWidth > 0) {
            out.println();
            drawnWidth = 0;
        }
        if (message != null) {
            out.println(message);
        }
        out.flush();
    }
}
