package io.kccr.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux's {@code /proc} says of a process: threads, resident memory (now and at its peak) and CPU time, read the
 * way {@code top} and {@code ps} read them. The machine and its load are {@link Machine}'s.
 */
record ProcStats(int threads, long rssBytes, long peakRssBytes, long cpuNanos) {
    /** Clock ticks per second of {@code /proc/<pid>/stat}'s CPU times (USER_HZ, 100 on Linux). */
    private static final long TICKS_PER_SECOND = 100;

    static ProcStats of(long pid) throws IOException {
        int threads = 0;
        long rss = 0;
        long hwm = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.substring(8).trim());
            } else if (line.startsWith("VmRSS:")) {
                rss = kb(line) * 1024;
            } else if (line.startsWith("VmHWM:")) {
                hwm = kb(line) * 1024;
            }
        }
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // fields from the 3rd (state) on
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        return new ProcStats(threads, rss, hwm, ticks * 1_000_000_000L / TICKS_PER_SECOND);
    }

    /** This process's. */
    static ProcStats self() throws IOException {
        return of(ProcessHandle.current().pid());
    }

    /**
     * CPU time this process's JIT compiler threads have spent ({@code C1 CompilerThread…} and
     * {@code C2 CompilerThread…}): a warm-up cost a benchmark can print apart.
     */
    static long compilerCpuNanos() throws IOException {
        return compilerCpuNanos(ProcessHandle.current().pid());
    }

    /** As {@link #compilerCpuNanos()}, of process {@code pid}. */
    static long compilerCpuNanos(long pid) throws IOException {
        return threadCpuNanos(pid, name -> name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre"));
    }

    /**
     * CPU time the threads of a Kafka broker running in process {@code pid} have spent: its request handlers and
     * network threads, its transaction, group and KRaft threads, by the names Kafka gives them (as Linux keeps them,
     * cut to 15 characters). A node's clients of Kafka (producers, consumers) are not among them.
     */
    static long brokerCpuNanos(long pid) throws IOException {
        return threadCpuNanos(pid, name -> BROKER_THREADS.matcher(name).lookingAt());
    }

    private static final java.util.regex.Pattern BROKER_THREADS = java.util.regex.Pattern.compile(
            "data-plane-kafk|TxnMarkerSender|AddPartitionsTo|quorum-controll|kafka-scheduler|ExpirationReape"
                    + "|group-coordina|transaction-log|kafka-log-clean|LogDirFailureHa|kafka-\\d+-");

    /** CPU time of this process's threads whose name (cut to 15 characters, as Linux keeps it) {@code name} accepts. */
    static long threadCpuNanos(java.util.function.Predicate<String> name) throws IOException {
        return threadCpuNanos(ProcessHandle.current().pid(), name);
    }

    /** As {@link #threadCpuNanos(java.util.function.Predicate)}, of process {@code pid}'s threads. */
    static long threadCpuNanos(long pid, java.util.function.Predicate<String> name) throws IOException {
        long ticks = 0;
        try (var tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                if (name.test(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')))) {
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        }
        return ticks * 1_000_000_000L / TICKS_PER_SECOND;
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    static String mb(long bytes) {
        return String.format("%,.0f MB", bytes / 1048576.0);
    }
}
