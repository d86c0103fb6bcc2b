package io.usermesh.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The content of application.properties with environment overrides applied.
 *
 * @param dbUrl JDBC URL; "" means the embedded H2 database under dataDir
 * @param dataDir absolute (a relative setting is resolved against the working directory at load)
 * @param reconcileCron Quartz cron expression for the scheduled full reconciliation; "" means off
 * @param http the two HTTP servers and the business server's limits
 * @param sync the deletion guard, retry and circuit-breaker settings
 * @param routes the keys the route files read as {{usermesh.…}} placeholders
 * @param camelProperties every camel.* key of the file, handed to Camel Main as it is
 */
public record UsermeshSettings(String dbUrl, String dbUser, Secret dbPassword, int dbPoolSize,
        HttpSettings http, Secret adminToken,
        Duration wpConnectTimeout, Duration wpResponseTimeout, int wpMaxConnections, int wpMaxConnectionsPerSite,
        Duration shutdownTimeout, Path dataDir, String reconcileCron, SyncSettings sync, RouteSettings routes,
        AlertSettings alerts, Map<String, String> camelProperties) {

    public UsermeshSettings {
        Objects.requireNonNull(dbUrl, "dbUrl");
        Objects.requireNonNull(dbUser, "dbUser");
        Objects.requireNonNull(dbPassword, "dbPassword");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(adminToken, "adminToken");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(wpConnectTimeout, "wpConnectTimeout");
        Objects.requireNonNull(wpResponseTimeout, "wpResponseTimeout");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(reconcileCron, "reconcileCron");
        Objects.requireNonNull(routes, "routes");
        camelProperties = Map.copyOf(camelProperties);
    }

    public boolean embeddedDb() {
        return dbUrl.isEmpty();
    }

    public boolean reconcileScheduled() {
        return !reconcileCron.isEmpty();
    }

    /**
     * Written out by hand because a JDBC URL may carry a password (user info or options) and a camel.* value
     * may be a component's password: the URL is shown without those parts and camel properties by key only.
     */
    @Override
    public String toString() {
        return "UsermeshSettings[dbUrl=" + redactDbUrl(dbUrl) + ", dbUser=" + dbUser + ", dbPassword=" + dbPassword
                + ", dbPoolSize=" + dbPoolSize + ", http=" + http + ", adminToken=" + adminToken
                + ", wpConnectTimeout=" + wpConnectTimeout + ", wpResponseTimeout=" + wpResponseTimeout
                + ", wpMaxConnections=" + wpMaxConnections + ", wpMaxConnectionsPerSite=" + wpMaxConnectionsPerSite
                + ", shutdownTimeout=" + shutdownTimeout + ", dataDir=" + dataDir + ", reconcileCron=" + reconcileCron
                + ", sync=" + sync + ", routes=" + routes
                + ", camelProperties=" + new TreeSet<>(camelProperties.keySet()) + "]";
    }

    /** A JDBC URL fit for logs: without user info and without options (H2 puts them after ';', others after '?'). */
    public static String redactDbUrl(String url) {
        String shown = url.replaceFirst("//[^/?;]*@", "//***@");
        int options = indexOfAny(shown, "?;");
        return options < 0 ? shown : shown.substring(0, options) + shown.charAt(options) + "***";
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
