package io.usermesh.detection;

import io.usermesh.storage.Jdbc;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** poll_cursor: per site, the changes feed position polls have reached and the last full listing. */
public final class PollCursors {

    /**
     * @param feedCursor the companion's cursor up to which changes were detected; null when the site
     *        has no changes feed
     * @param fullScanAt when the last full listing that was recorded started
     */
    public record PollCursor(String feedCursor, Instant fullScanAt) {
    }

    private final Jdbc jdbc;

    public PollCursors(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public Optional<PollCursor> find(String siteId) {
        return jdbc.query("SELECT feed_cursor, full_scan_at FROM poll_cursor WHERE site_id = ?",
                rs -> new PollCursor(rs.getString("feed_cursor"), Jdbc.instant(rs, "full_scan_at")), siteId)
                .stream().findFirst();
    }

    /** After a full listing: its start, and the feed position read just before it (null: no feed). */
    public void fullScan(String siteId, String feedCursor, Instant startedAt) {
        Instant at = startedAt;
        if (jdbc.update("UPDATE poll_cursor SET feed_cursor = ?, full_scan_at = ? WHERE site_id = ?", feedCursor, at,
                siteId) == 0) {
            insertOrUpdate(siteId, feedCursor, at);
        }
    }

    /** After a poll through the feed: the position reached. */
    public void feedRead(String siteId, String feedCursor) {
        jdbc.update("UPDATE poll_cursor SET feed_cursor = ? WHERE site_id = ?", feedCursor, siteId);
    }

    /** Two runners may record a site's first full scan at once: the one whose insert loses updates. */
    private void insertOrUpdate(String siteId, String feedCursor, Instant at) {
        try {
            jdbc.update("INSERT INTO poll_cursor (site_id, feed_cursor, full_scan_at) VALUES (?, ?, ?)", siteId,
                    feedCursor, at);
        } catch (io.usermesh.storage.StorageException duplicate) {
            jdbc.update("UPDATE poll_cursor SET feed_cursor = ?, full_scan_at = ? WHERE site_id = ?", feedCursor, at,
                    siteId);
        }
    }
}
