package io.kccr.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** The memory figures the throughput benchmarks print: the heap limit, the live heap after GCs, resident memory. */
final class Memory {
    private Memory() {
    }

    /** The heap the last collections left in use (the live set at most), summed over the heap pools. */
    static long heapAfterGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    /** One line: -Xmx, heap after the last GC, RSS now and at its peak. */
    static String describe() {
        try {
            ProcStats p = ProcStats.self();
            return String.format("heap limit (-Xmx) %s, heap in use after the last GC %s, RSS %s (peak %s)",
                    ProcStats.mb(Runtime.getRuntime().maxMemory()), ProcStats.mb(heapAfterGc()),
                    ProcStats.mb(p.rssBytes()), ProcStats.mb(p.peakRssBytes()));
        } catch (java.io.IOException e) {
            return "memory: unknown (" + e.getMessage() + ")";
        }
    }
}
