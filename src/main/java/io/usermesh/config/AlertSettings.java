package io.usermesh.config;

import java.time.Duration;
import java.util.Objects;

/**
 * When usermesh raises an alert, and where it posts it.
 *
 * @param webhookUrl a Slack-compatible incoming webhook (JSON {@code {"text": ...}}); empty: the log and
 *        {@code GET /api/alerts} only. A secret: such URLs carry their own credential.
 * @param siteDownAfter how long a site stays DOWN (its health probe failing) before it is an alert
 * @param lagThreshold how old the oldest change waiting for an active target may get before it is an alert
 */
public record AlertSettings(Secret webhookUrl, Duration siteDownAfter, Duration lagThreshold) {

    public static final AlertSettings DEFAULTS = new AlertSettings(Secret.EMPTY, Duration.ofMinutes(5),
            Duration.ofMinutes(15));

    public AlertSettings {
        Objects.requireNonNull(webhookUrl, "webhookUrl");
        Objects.requireNonNull(siteDownAfter, "siteDownAfter");
        Objects.requireNonNull(lagThreshold, "lagThreshold");
    }
}
