package io.kccr.follower;

/**
 * The one background thread of a follower's long work (a bootstrap, a rebuild), which pause and
 * close stop. Work that finished while the caller holds the follower's lock (it waits for the lock
 * to hand over) checks {@link #isCurrent} once it gets it, and gives up if it was stopped meanwhile.
 * New work first waits for the work stopped before it to be gone, so the two never share the
 * shards.
 *
 * <p>Used under the follower's lock, except {@link #isCurrent}.
 */
final class BackgroundWork {
    private final String kind;
    private final boolean interrupt;
    private volatile Thread thread;
    private Thread stopped;

    /**
     * {@code kind} names the thread, e.g. {@code bootstrap}. {@code interrupt}: stopping interrupts the
     * thread; otherwise the work polls {@link #isCurrent} (work that writes to Lucene must not be
     * interrupted: an interrupted channel write closes the index writer).
     */
    BackgroundWork(String kind, boolean interrupt) {
        this.kind = kind;
        this.interrupt = interrupt;
    }

    void start(String followerName, Runnable work) {
        Thread previous = stopped;
        stopped = null;
        thread = Thread.ofPlatform().daemon().name("kccr-" + kind + "[" + followerName + "]").start(() -> {
            if (previous != null) {
                try {
                    previous.join(60_000); // it may still be letting go of the shards
                } catch (InterruptedException e) {
                    return;
                }
            }
            work.run();
        });
    }

    boolean running() {
        return thread != null && thread.isAlive();
    }

    /** Whether {@code t} is the work running now (not one stopped since). */
    boolean isCurrent(Thread t) {
        return thread == t;
    }

    /**
     * Interrupts the work and waits until it stopped working: one that finished and waits for the
     * follower's lock (held by the caller) is done, and gives up once it gets the lock (not current).
     */
    void stop() {
        Thread t = thread;
        thread = null;
        if (t != null && t != Thread.currentThread()) {
            stopped = t;
            if (interrupt) {
                t.interrupt();
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            try {
                while (t.isAlive() && t.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
                    t.join(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
