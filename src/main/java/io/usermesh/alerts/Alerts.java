package io.usermesh.alerts;

import io.usermesh.admin.SiteHealth;
import io.usermesh.config.AlertSettings;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.Json;
import io.usermesh.pipeline.SitePauses;
import io.usermesh.delivery.DeadLetters;
import io.usermesh.delivery.Outbox;
import io.usermesh.delivery.Waiting;
import io.usermesh.wordpress.SiteCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert conditions, checked by route {@code alerts}: a site DOWN for {@code siteDownAfter}, changes
 * waiting for an active target longer than {@code lagThreshold}, and dead letters waiting for a target.
 * Each condition is announced once when it starts to hold and once when it stops (the log always, the
 * webhook when one is configured); {@code GET /api/alerts} lists them for the dashboard. Paused sites
 * raise nothing: waiting is what a pause is for.
 */
public final class Alerts {

    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
    /** How long a resolved alert stays in {@code GET /api/alerts}. */
    private static final Duration SHOWN_RESOLVED = Duration.ofHours(24);

    /** One announcement: an alert raised or resolved. */
    public record Notice(String key, boolean raised, String text) {
    }

    private final Supplier<SitesConfig> sites;
    private final SitePauses pauses;
    private final SiteHealth health;
    private final AlertStore store;
    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final AlertSettings settings;
    private final Clock clock;

    public Alerts(Supplier<SitesConfig> sites, SitePauses pauses, SiteHealth health, DataSource dataSource,
            Outbox outbox, DeadLetters deadLetters, AlertSettings settings, Clock clock) {
        this.sites = sites;
        this.pauses = pauses;
        this.health = health;
        this.store = new AlertStore(dataSource);
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.clock = clock;
    }

    /** Route alerts: the alerts raised or resolved since the last check, each logged once. */
    public List<Notice> check() {
        Instant now = clock.instant();
        Map<String, String> holding = holding(now);
        List<Alert> active = store.recent(now).stream().filter(Alert::active).toList();
        Set<String> activeKeys = active.stream().map(Alert::key).collect(Collectors.toSet());
        List<Notice> notices = new ArrayList<>();
        holding.forEach((key, message) -> {
            if (!activeKeys.contains(key) && store.raise(key, message, now)) {
                notices.add(new Notice(key, true, "usermesh alert (" + key + "): " + message));
            }
        });
        for (Alert alert : active) {
            if (!holding.containsKey(alert.key()) && store.resolve(alert.key(), now)) {
                notices.add(new Notice(alert.key(), false, "usermesh recovered (" + alert.key() + "): "
                        + alert.message()));
            }
        }
        for (Notice notice : notices) {
            if (notice.raised()) {
                LOG.warn("{}", notice.text());
            } else {
                LOG.info("{}", notice.text());
            }
        }
        return notices;
    }

    private Map<String, String> holding(Instant now) {
        Map<String, String> holding = new LinkedHashMap<>();
        Map<String, Waiting> waiting = outbox.waitingByTarget();
        Map<String, Long> deadByTarget = deadLetters.waitingByTarget();
        for (Site site : sites.get().sites()) {
            if (!pauses.isActive(site)) {
                continue;
            }
            String id = site.id();
            health.downSince(id).filter(since -> !since.plus(settings.siteDownAfter()).isAfter(now))
                    .ifPresent(since -> holding.put("site-down:" + id, "site " + id + " (" + site.url()
                            + ") has been DOWN since " + since + ": " + health.lastResult(id).map(SiteCheck::problem)
                                    .orElse("no answer")));
            Waiting queue = waiting.getOrDefault(id, Waiting.NONE);
            if (queue.count() > 0 && !queue.oldest().plus(settings.lagThreshold()).isAfter(now)) {
                holding.put("lag:" + id, queue.count() + " change(s) for site " + id + " are waiting, the oldest"
                        + " since " + queue.oldest() + " (threshold " + settings.lagThreshold() + ")");
            }
            long dead = deadByTarget.getOrDefault(id, 0L);
            if (dead > 0) {
                holding.put("dead-letters:" + id, dead + " change(s) for site " + id + " failed for good (dead"
                        + " letters): fix the cause, then replay them (dashboard, or POST /api/dead-letters/{id}/replay)");
            }
        }
        return holding;
    }

    /** The route's filter: post to the webhook only when one is configured. */
    public boolean webhookConfigured() {
        return !settings.webhookUrl().isEmpty();
    }

    /**
     * The Slack-compatible message for the webhook, addressed through {@code CamelHttpUri}: the URL is a
     * secret, so it is set on the message here and never written in a route or a log line.
     */
    public String webhookMessage(Notice notice, Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_URI, settings.webhookUrl().reveal());
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return Json.write(Map.of("text", notice.text()));
    }

    /** After the post: a webhook that refuses is logged (status only), and the alert stays raised. */
    public void posted(Notice notice, Exchange exchange) {
        exchange.getMessage().removeHeader(Exchange.HTTP_URI);
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null || status / 100 != 2) {
            LOG.warn("the alert webhook answered {} to the notice for {}", status, notice.key());
        }
    }

    /** Route alerts' error handler: the webhook could not be reached; named by the failure's kind only. */
    public void unreachable(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.getMessage().removeHeader(Exchange.HTTP_URI);
        LOG.warn("the alert webhook could not be reached ({})", e == null ? "unknown" : e.getClass().getSimpleName());
    }

    /** GET /api/alerts: active alerts, and those resolved in the last 24 hours. */
    public String list() {
        return Json.write(store.recent(clock.instant().minus(SHOWN_RESOLVED)));
    }
}
