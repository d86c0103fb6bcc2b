package io.usermesh.delivery;

import io.usermesh.detection.SnapshotStore;
import java.time.Clock;

/**
 * First step of route delivered: records what a delivery wrote. The target's resulting state becomes
 * its snapshot (so its next poll sees nothing new and nothing echoes back), and the source's and the
 * target's users are linked as one person (unlinked on delete).
 */
public final class DeliveryRecords {

    private final SnapshotStore snapshots;
    private final UserLinks links;
    private final Clock clock;

    public DeliveryRecords(SnapshotStore snapshots, UserLinks links, Clock clock) {
        this.snapshots = snapshots;
        this.links = links;
        this.clock = clock;
    }

    public void snapshotAndLink(Applied applied) {
        if (applied.targetUserId() == null) {
            return;
        }
        String target = applied.delivery().target();
        long id = applied.targetUserId();
        if (applied.deleted()) {
            snapshots.delete(target, id);
            links.unlink(target, id);
            return;
        }
        if (applied.written() != null) {
            snapshots.recordWritten(target, id, applied.written(), clock.instant());
        }
        var change = applied.delivery().change();
        links.link(change.sourceSite(), change.sourceUserId(), target, id, change.state().auditKey());
    }
}
