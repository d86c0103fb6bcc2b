package io.usermesh.testing;

import io.usermesh.storage.Jdbc;
import java.time.Instant;
import javax.sql.DataSource;

/** Outbox rows put straight into the table, for tests that read the queue's state, not deliver it. */
public final class QueueRows {

    private QueueRows() {
    }

    /** One change from shop's user 7 (ann) waiting for {@code target} since {@code at}. */
    public static void pending(DataSource dataSource, String target, Instant at) {
        new Jdbc(dataSource).update("INSERT INTO outbox (created_at, event_id, source_site, source_user_id,"
                + " target_site, user_key, payload, status, attempts, next_attempt_at, updated_at) VALUES (?, 'e1',"
                + " 'shop', 7, ?, 'ann', '{}', 'pending', 0, ?, ?)", at, target, at, at);
    }
}
