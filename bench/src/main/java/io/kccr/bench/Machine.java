package io.kccr.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a benchmark ran on, printed with its results: figures from another machine, or from this one while
 * others loaded it, are not comparable. Also this process's CPU time and memory, read where the benchmark
 * measures them.
 */
public final class Machine {
    private static final double MB = 1 << 20;

    private Machine() {
    }

    /**
     * One line: cores, CPU model, memory, OS, the JDK and this JVM's maximum heap, e.g.
     * {@code machine: 2 cores (AMD EPYC), 23.5 GB RAM, Linux 6.1 amd64; JDK 25.0.1+8 (Eclipse Adoptium), heap max 2,048 MB}.
     */
    public static String describe() {
        Runtime rt = Runtime.getRuntime();
        String cpu = cpuModel();
        return String.format(Locale.ROOT, "machine: %d cores%s, %s RAM, %s %s %s; JDK %s (%s), heap max %,.0f MB",
                rt.availableProcessors(), cpu.isEmpty() ? "" : " (" + cpu + ")", ram(),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                Runtime.version(), System.getProperty("java.vendor"), rt.maxMemory() / MB);
    }

    /** {@code load average 1.02 0.80 0.55 (1, 5, 15 min)}, or how busy the machine was, where that is known. */
    public static String load() {
        double[] load = loadAverages();
        if (load == null) {
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return one < 0 ? "load average unknown" : String.format(Locale.ROOT, "load average %.2f (1 min)", one);
        }
        return String.format(Locale.ROOT, "load average %.2f %.2f %.2f (1, 5, 15 min) on %d cores", load[0], load[1],
                load[2], Runtime.getRuntime().availableProcessors());
    }

    /** CPU time this process has used so far (every thread, the JIT and the GC included), in nanoseconds; -1 if unknown. */
    public static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** {@code RSS 812 MB (peak 1,020 MB)} of process {@code pid}, or that it is unknown. */
    public static String describeRss(long pid) {
        try {
            ProcStats p = ProcStats.of(pid);
            return String.format(Locale.ROOT, "RSS %,.0f MB (peak %,.0f MB)", p.rssBytes() / MB, p.peakRssBytes() / MB);
        } catch (IOException | RuntimeException e) {
            return "RSS unknown";
        }
    }

    /**
     * This JVM's memory in one line: {@code heap limit (-Xmx) 2,048 MB, heap in use after the last GC 310 MB, RSS 812 MB
     * (peak 1,020 MB)}. The heap after the last collections is the live set at most, without forcing a collection.
     */
    public static String memory() {
        return String.format(Locale.ROOT, "heap limit (-Xmx) %,.0f MB, heap in use after the last GC %,.0f MB, %s",
                Runtime.getRuntime().maxMemory() / MB, heapAfterGc() / MB, describeRss(ProcessHandle.current().pid()));
    }

    /** The heap the last collections left in use, summed over the heap pools, in bytes. */
    private static long heapAfterGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    private static double[] loadAverages() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]),
                    Double.parseDouble(parts[2])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "";
    }

    private static String ram() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return String.format(Locale.ROOT, "%.1f GB", os.getTotalMemorySize() / (MB * 1024));
        }
        return "unknown";
    }
}
