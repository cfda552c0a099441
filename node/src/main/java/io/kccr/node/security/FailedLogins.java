package io.kccr.node.security;

import io.kccr.core.error.RejectedException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed authentications per client address: past {@link #MAX_FAILURES} in a {@link #WINDOW}, the address
 * gets 429 without its credentials being checked until the window ends, so a password cannot be guessed at bcrypt
 * speed. Bounded; thread-safe; time from the {@link Clock} given.
 */
final class FailedLogins {
    static final int MAX_FAILURES = 20;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_ADDRESSES = 10_000;

    private record Window(long start, int failures) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;

    FailedLogins(Clock clock) {
        this.clock = clock;
    }

    /**
     * @throws io.kccr.core.error.KccrException 429 when {@code address} failed too often in the current window
     */
    void check(String address) {
        Window w = windows.get(address);
        long now = clock.millis();
        if (w != null && now - w.start() < WINDOW.toMillis() && w.failures() >= MAX_FAILURES) {
            throw new RejectedException("too many failed authentication attempts from [" + address + "]: "
                    + w.failures() + " in the last " + WINDOW.toSeconds() + "s; wait "
                    + Math.max(1, (w.start() + WINDOW.toMillis() - now) / 1000) + "s and check the credentials");
        }
    }

    void failed(String address) {
        long now = clock.millis();
        if (windows.size() >= MAX_ADDRESSES) {
            windows.values().removeIf(w -> now - w.start() >= WINDOW.toMillis());
        }
        windows.compute(address, (a, w) -> w == null || now - w.start() >= WINDOW.toMillis() ? new Window(now, 1)
                : new Window(w.start(), w.failures() + 1));
    }
}
