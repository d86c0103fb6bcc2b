package io.usermesh.detection;

import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.http.HttpProblem;
import io.usermesh.http.UnexpectedErrors;
import io.usermesh.model.Origin;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refused pushes (route configuration hook-errors, bean pushRefusals): each is answered with its status
 * and reported, a flood as a few lines and rows a minute ({@link RefusalLog}); anything else that went
 * wrong while taking a push is answered 503, so the site sends it again.
 */
public final class PushRefusals {

    private static final Logger LOG = LoggerFactory.getLogger(PushReceiver.class); // one logger for pushes

    private final Supplier<SitesConfig> sites;
    private final Consumer<AuditEntry> audit;
    private final Clock clock;
    private final RefusalLog refusals;

    private final java.util.function.ObjIntConsumer<String> pushed;

    /** @param pushed told each refusal's site and status (the pushes metric) */
    public PushRefusals(Supplier<SitesConfig> sites, Consumer<AuditEntry> audit, Clock clock, Duration interval,
            java.util.function.ObjIntConsumer<String> pushed) {
        this.pushed = pushed;
        this.sites = sites;
        this.audit = audit;
        this.clock = clock;
        this.refusals = new RefusalLog(interval, clock, this::report);
    }

    /**
     * Route configuration hook-errors: a refusal is audited and answered with its status, anything else
     * with 503; the answer's fields, which the route writes as JSON.
     */
    public Map<String, Object> refused(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        HttpProblem refusal = ObjectHelper.getException(HttpProblem.class, caught); // a check's, if one threw it
        if (refusal == null) {
            String id = UnexpectedErrors.log(LOG, "push to /hooks/" + auditedSite(exchange) + " (not queued)", caught);
            return answer(exchange, 503, Map.of("error", "not queued; send it again later", "correlationId", id));
        }
        String siteId = exchange.getMessage().getHeader("siteId", String.class);
        String reason = refusal.status() == 404 && siteId != null && Site.ID.matcher(siteId).matches()
                ? "no site '" + siteId + "' with a webhook block in sites.yaml" // for the operator only
                : refusal.getMessage();
        refusals.refused(new RefusalLog.Refusal(auditedSite(exchange), refusal.status(), PushReceiver.address(exchange), reason));
        pushed.accept(auditedSite(exchange), refusal.status());
        return answer(exchange, refusal.status(), Map.of("error", refusal.getMessage()));
    }

    /** Reports the refusal summaries of the intervals that ended (route hook-refusals). */
    public void flush() {
        refusals.flush();
    }

    private void report(RefusalLog.Report report) {
        RefusalLog.Refusal r = report.refusal();
        String message;
        if (report.more() == 0) {
            message = "push refused: " + r.reason();
            LOG.warn("push to site {} from {} refused ({}): {}", r.site(), r.address(), r.status(), r.reason());
        } else {
            message = report.more() + " more push(es) refused with " + r.status() + " since " + report.since()
                    + "; the last: " + r.reason();
            LOG.warn("{} more push(es) to site {} refused ({}) since {}; the last from {}: {}", report.more(), r.site(),
                    r.status(), report.since(), r.address(), r.reason());
        }
        audit.accept(new AuditEntry(clock.instant(), "push-" + UUID.randomUUID().toString().substring(0, 8),
                r.site(), null, "(push from " + r.address() + ")", "push", AuditStatus.FAILED, r.status(), message,
                null, Origin.WEBHOOK));
    }

    /** The configured site a refusal is about, else one name for every unknown or malformed id. */
    private String auditedSite(Exchange exchange) {
        String siteId = exchange.getMessage().getHeader("siteId", String.class);
        return siteId != null && sites.get().site(siteId).isPresent() ? siteId : RefusalLog.UNKNOWN_SITE;
    }

    private static Map<String, Object> answer(Exchange exchange, int status, Map<String, Object> body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (status == 503) {
            exchange.getMessage().setHeader("Retry-After", "30");
        }
        return body;
    }
}
