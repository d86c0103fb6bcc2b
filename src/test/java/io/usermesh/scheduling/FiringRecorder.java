package io.usermesh.scheduling;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.sql.DataSource;
import java.util.function.Supplier;

/**
 * Bound as bean "poller" in place of the real one, under the shipped poll-site template: each poll takes
 * {@code workMillis} like a slow poll, finds nothing, and is recorded in memory and, for runners in other
 * JVMs, in a table of the shared database, with the instance id of the scheduler that fired it.
 */
public final class FiringRecorder {

    private static final String TABLE = "scheduling_test_firing";

    private final String node;
    private final long workMillis;
    private final DataSource table;
    private final Queue<Firing> firings = new ConcurrentLinkedQueue<>();
    private volatile Supplier<String> instanceId = () -> "?";

    public FiringRecorder(String node, long workMillis, DataSource table) {
        this.node = node;
        this.workMillis = workMillis;
        this.table = table;
    }

    /** Which scheduler fires this node's polls (known once its context started). */
    public void instanceIdFrom(Supplier<String> instanceId) {
        this.instanceId = instanceId;
    }

    /** The poll-site template's step {@code poller.poll('<siteId>')}: no change found. */
    public List<Object> poll(String site) throws Exception {
        long started = System.currentTimeMillis();
        Thread.sleep(workMillis);
        Firing firing = new Firing(site, node, instanceId.get(), started, System.currentTimeMillis());
        firings.add(firing);
        if (table != null) {
            insert(firing);
        }
        return List.of();
    }

    /** The template's step {@code poller.finish('<siteId>')}: nothing to record. */
    public void finish(String site) {
    }

    public List<Firing> firings() {
        return List.copyOf(firings);
    }

    public long count(String site) {
        return firings.stream().filter(f -> f.site().equals(site)).count();
    }

    private void insert(Firing f) throws SQLException {
        try (Connection c = table.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE
                + " (site, node, instance_id, started_ms, ended_ms) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, f.site());
            s.setString(2, f.node());
            s.setString(3, f.instanceId());
            s.setLong(4, f.startedMs());
            s.setLong(5, f.endedMs());
            s.executeUpdate();
        }
    }

    public static void createTable(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (site VARCHAR(64) NOT NULL, node VARCHAR(64) NOT NULL,"
                    + " instance_id VARCHAR(200) NOT NULL, started_ms BIGINT NOT NULL, ended_ms BIGINT NOT NULL)");
        }
    }

    public static List<Firing> readTable(DataSource dataSource) throws SQLException {
        List<Firing> firings = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT site, node, instance_id, started_ms, ended_ms FROM " + TABLE)) {
            while (rs.next()) {
                firings.add(new Firing(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getLong(5)));
            }
        }
        return firings;
    }
}
