package io.usermesh.detection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Refused pushes, reported at most twice per interval for each (site, status): the first refusal
 * at once, the ones after it in the same interval as one summary with their count when the interval
 * ends. A flood of bad pushes then costs a few log lines and audit rows a minute, whoever sends it,
 * and the first refusal of a kind is never delayed. Keys are site ids of the configuration (unknown
 * ids share one key), so the map stays small.
 */
final class RefusalLog {

    /** One refused push: site is a configured site id, or {@link #UNKNOWN_SITE}. */
    record Refusal(String site, int status, String address, String reason) {
    }

    /** What to report: the refusal itself ({@code more} 0), or a summary of {@code more} like it since then. */
    record Report(Refusal refusal, int more, Instant since) {
    }

    static final String UNKNOWN_SITE = "(unknown)";

    private record Key(String site, int status) {
    }

    private static final class Window {
        final Instant start;
        int more;
        Refusal last;

        Window(Instant start) {
            this.start = start;
        }
    }

    private final Duration interval;
    private final Clock clock;
    private final Consumer<Report> report;
    private final Map<Key, Window> windows = new HashMap<>();

    RefusalLog(Duration interval, Clock clock, Consumer<Report> report) {
        this.interval = interval;
        this.clock = clock;
        this.report = report;
    }

    void refused(Refusal refusal) {
        List<Report> due = new ArrayList<>();
        synchronized (this) {
            Key key = new Key(refusal.site(), refusal.status());
            Window window = windows.get(key);
            Instant now = clock.instant();
            if (window != null && now.isBefore(window.start.plus(interval))) {
                window.more++;
                window.last = refusal;
                return;
            }
            if (window != null && window.more > 0) {
                due.add(new Report(window.last, window.more, window.start));
            }
            windows.put(key, new Window(now));
            due.add(new Report(refusal, 0, now));
        }
        due.forEach(report); // outside the lock: reporting writes an audit row
    }

    /** Reports the summaries of the intervals that ended; called every few seconds (route hook-refusals). */
    void flush() {
        List<Report> due = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (Iterator<Window> it = windows.values().iterator(); it.hasNext();) {
                Window window = it.next();
                if (!now.isBefore(window.start.plus(interval))) {
                    if (window.more > 0) {
                        due.add(new Report(window.last, window.more, window.start));
                    }
                    it.remove();
                }
            }
        }
        due.forEach(report);
    }
}
