package io.usermesh.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The two HTTP servers and what the business server takes from a client: the usermesh.http.*,
 * usermesh.management.* and usermesh.push.* keys.
 *
 * @param host address the business server (webhooks, admin API, dashboard) binds to
 * @param managementHost address the management server (health, metrics) binds to; loopback by default
 * @param maxConcurrentRequests requests the business server serves at once; more get 503 and Retry-After
 * @param maxHookBody largest body of a push to /hooks/..., bytes
 * @param maxApiBody largest body of an admin API request, bytes
 * @param bodyTimeout how long a client may take to send a request body
 * @param maxPendingPushes pushes waiting in push_event past which new ones get 503 and Retry-After
 * @param refusalLogInterval refused pushes are logged and audited once per interval per site and status,
 *        with a count of the ones in between
 */
public record HttpSettings(String host, int port, String managementHost, int managementPort,
        int maxConcurrentRequests, long maxHookBody, long maxApiBody, Duration bodyTimeout, int maxPendingPushes,
        Duration refusalLogInterval) {

    public static final HttpSettings DEFAULTS = new HttpSettings("127.0.0.1", 8280, "127.0.0.1", 9280, 64,
            256 << 10, 64 << 10, Duration.ofSeconds(10), 10_000, Duration.ofMinutes(1));

    public HttpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(managementHost, "managementHost");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        Objects.requireNonNull(refusalLogInterval, "refusalLogInterval");
    }
}
