package io.usermesh.scheduling;

import java.sql.Connection;
import java.sql.SQLException;
import org.quartz.JobPersistenceException;
import org.quartz.impl.jdbcjobstore.Constants;
import org.quartz.impl.jdbcjobstore.FiredTriggerRecord;
import org.quartz.impl.jdbcjobstore.JobStoreTX;

/**
 * JobStoreTX that hands its reserved triggers back to the cluster when its runner stops cleanly.
 *
 * <p>Quartz reserves ("acquires") the next due trigger ahead of its fire time and, when the scheduler stops
 * while it waits for that time, leaves the trigger ACQUIRED under its instance id. No other runner fires it
 * until that instance is declared dead, a check-in interval plus 7.5 s later: every restart or rolling
 * update would skip a poll of some site. Releasing what this instance acquired but has not fired makes the
 * trigger due again for the others at once. Firings still running (a stuck poll) are left alone: the usual
 * failed-instance recovery covers them, as it covers anything this release misses.
 */
public class HandoverJobStore extends JobStoreTX {

    @Override
    public void shutdown() {
        if (isClustered()) {
            try {
                executeInNonManagedTXLock(LOCK_TRIGGER_ACCESS, conn -> {
                    releaseAcquiredTriggers(conn);
                    return null;
                }, null);
            } catch (JobPersistenceException | RuntimeException e) {
                getLog().warn("could not hand the acquired triggers of {} back to the cluster: {}",
                        getInstanceId(), e.getMessage());
            }
        }
        super.shutdown();
    }

    private void releaseAcquiredTriggers(Connection conn) throws JobPersistenceException {
        try {
            for (FiredTriggerRecord fired : getDelegate().selectInstancesFiredTriggerRecords(conn, getInstanceId())) {
                if (Constants.STATE_ACQUIRED.equals(fired.getFireInstanceState())) {
                    getDelegate().updateTriggerStateFromOtherState(conn, fired.getTriggerKey(),
                            Constants.STATE_WAITING, Constants.STATE_ACQUIRED);
                    getDelegate().deleteFiredTrigger(conn, fired.getFireInstanceId());
                }
            }
        } catch (SQLException e) {
            throw new JobPersistenceException("Couldn't release acquired triggers: " + e.getMessage(), e);
        }
    }
}
