package io.kccr.follower;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one piece of long background work of a follower (a bootstrap, a rebuild), which pause and close stop, run on
 * an executor the node's followers share (bootstraps wait there for a free thread). Work that finished while the
 * caller holds the follower's lock (it waits for the lock to hand over) checks {@link #isCurrent} once it gets it,
 * and gives up if it was stopped meanwhile. New work first waits for the work stopped before it to be gone, so the
 * two never share the shards; work stopped before it started never runs.
 *
 * <p>Used under the follower's lock, except {@link #isCurrent}.
 */
final class BackgroundWork {
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;

    /** One start's work: its state, the thread running it, and its end. */
    private static final class Work {
        final AtomicInteger state = new AtomicInteger(QUEUED);
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile Thread runner;
    }

    private final String kind;
    private final boolean interrupt;
    private final Executor executor;
    private volatile Work current;
    private Work stopped;

    /**
     * {@code kind} names the work in thread names, e.g. {@code bootstrap}. {@code interrupt}: stopping interrupts the
     * thread; otherwise the work polls {@link #isCurrent} (work that writes to Lucene must not be interrupted: an
     * interrupted channel write closes the index writer).
     */
    BackgroundWork(String kind, boolean interrupt, Executor executor) {
        this.kind = kind;
        this.interrupt = interrupt;
        this.executor = executor;
    }

    void start(String followerName, Runnable task) {
        Work previous = stopped;
        stopped = null;
        Work work = new Work();
        current = work;
        executor.execute(() -> {
            if (!work.state.compareAndSet(QUEUED, RUNNING)) {
                return; // stopped before it started
            }
            Thread self = Thread.currentThread();
            String name = self.getName();
            work.runner = self;
            self.setName("kccr-" + kind + "[" + followerName + "]");
            try {
                if (previous != null) {
                    previous.done.get(60, TimeUnit.SECONDS); // it may still be letting go of the shards
                }
                task.run();
            } catch (InterruptedException e) {
                // stopped while waiting for the previous work
            } catch (Exception e) {
                // the previous work did not end in time; go on as a thread of its own would have
                task.run();
            } finally {
                synchronized (work) { // an interrupt meant for this work must not reach the executor's next task
                    work.runner = null;
                    Thread.interrupted();
                }
                self.setName(name);
                work.state.set(DONE);
                work.done.complete(null);
            }
        });
    }

    boolean running() {
        Work w = current;
        return w != null && w.state.get() != DONE;
    }

    /** Whether {@code t} runs the current work (not one stopped since). */
    boolean isCurrent(Thread t) {
        Work w = current;
        return w != null && w.runner == t;
    }

    /**
     * Stops the work and waits until it stopped working: work not started yet never starts; running work is
     * interrupted (or polls {@link #isCurrent}); one that finished and waits for the follower's lock (held by the
     * caller) is done, and gives up once it gets the lock (not current).
     */
    void stop() {
        Work w = current;
        current = null;
        if (w == null) {
            return;
        }
        stopped = w;
        if (w.state.compareAndSet(QUEUED, DONE)) {
            w.done.complete(null);
            return;
        }
        Thread t = w.runner;
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        if (interrupt) {
            synchronized (w) {
                if (w.runner == t) {
                    t.interrupt();
                }
            }
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        try {
            while (!w.done.isDone() && w.runner == t && t.getState() != Thread.State.BLOCKED
                    && System.nanoTime() < deadline) {
                try {
                    w.done.get(20, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    // keep waiting
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
