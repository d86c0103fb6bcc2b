package io.usermesh.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.usermesh.detection.RefusalLog.Refusal;
import io.usermesh.detection.RefusalLog.Report;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A flood of refusals costs one report at once and one summary per interval, per site and status. */
class RefusalLogTest {

    private final MutableClock clock = new MutableClock();
    private final List<Report> reports = new ArrayList<>();
    private final RefusalLog log = new RefusalLog(Duration.ofMinutes(1), clock, reports::add);

    @Test
    void reportsTheFirstAtOnceAndTheRestAsOneSummaryWhenTheIntervalEnds() {
        for (int i = 0; i < 200; i++) {
            log.refused(new Refusal(RefusalLog.UNKNOWN_SITE, 404, "127.0.0.1", "no site 'x" + i + "'"));
        }
        assertEquals(1, reports.size());
        assertEquals(0, reports.get(0).more());
        assertEquals("no site 'x0'", reports.get(0).refusal().reason());

        log.flush();
        assertEquals(1, reports.size(), "the interval has not ended");

        clock.advance(Duration.ofSeconds(61));
        log.flush();
        assertEquals(2, reports.size());
        assertEquals(199, reports.get(1).more());
        assertEquals("no site 'x199'", reports.get(1).refusal().reason(), "the summary names the last one");

        log.flush();
        assertEquals(2, reports.size(), "reported once");
    }

    @Test
    void eachSiteAndStatusHasItsOwnInterval() {
        log.refused(new Refusal("shop", 401, "10.0.0.1", "signature"));
        log.refused(new Refusal("shop", 403, "10.0.0.1", "address"));
        log.refused(new Refusal("blog", 401, "10.0.0.1", "signature"));
        log.refused(new Refusal("shop", 401, "10.0.0.2", "signature"));

        assertEquals(3, reports.size());
    }

    @Test
    void aRefusalAfterTheIntervalIsReportedAtOnceAfterTheSummaryOfTheLastOne() {
        log.refused(new Refusal("shop", 401, "10.0.0.1", "first"));
        log.refused(new Refusal("shop", 401, "10.0.0.1", "second"));
        clock.advance(Duration.ofMinutes(2));
        log.refused(new Refusal("shop", 401, "10.0.0.1", "third"));

        assertEquals(List.of("first", "second", "third"), reports.stream().map(r -> r.refusal().reason()).toList());
        assertEquals(List.of(0, 1, 0), reports.stream().map(Report::more).toList());
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
