package io.kccr.follower;

/**
 * The one background thread of a follower's long work (a bootstrap, a rebuild), which pause and
 * close stop. Work that finished while the caller holds the follower's lock (it waits for the lock
 * to hand over) checks {@link #isCurrent} once it gets it, and gives up if it was stopped meanwhile.
 *
 * <p>Used under the follower's lock.
 */
final class BackgroundWork {
    private final String kind;
    private Thread thread;

    /** {@code kind} names the thread, e.g. {@code bootstrap}. */
    BackgroundWork(String kind) {
        this.kind = kind;
    }

    void start(String followerName, Runnable work) {
        thread = Thread.ofPlatform().daemon().name("kccr-" + kind + "[" + followerName + "]").start(work);
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
            t.interrupt();
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
