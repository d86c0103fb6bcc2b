package io.usermesh.reconcile;

import io.usermesh.detection.Listing;
import io.usermesh.model.UserState;
import io.usermesh.wordpress.UserPage;
import io.usermesh.wordpress.WordPressClient;
import io.usermesh.wordpress.WordPressException;
import io.usermesh.wordpress.WpUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every user of a site page by page (100 a page, by id) and keeps only each user's id and
 * synced fields, in a {@link SiteUsers} whose states are on disk: a page's JSON is gone before the
 * next page is asked for. Logs progress per page.
 * A page that fails throws {@link ReconcileException}: a reconciliation never works from a partial
 * listing.
 */
final class SiteLister {

    private static final Logger LOG = LoggerFactory.getLogger(SiteLister.class);

    private SiteLister() {
    }

    static SiteUsers list(WordPressClient client) {
        String siteId = client.site().id();
        SiteUsers.Builder users = new SiteUsers.Builder(siteId);
        int[] lastPage = {0};
        try {
            int reportedTotal = Listing.eachPage(client, page -> {
                lastPage[0] = page.page();
                add(users, page);
                progress(siteId, page, users.size());
            });
            boolean complete = users.size() >= reportedTotal;
            if (!complete) {
                LOG.warn("reconcile: {} listed {} of {} users (users deleted while listing?); no deletion is"
                        + " inferred from it", siteId, users.size(), reportedTotal);
            }
            return users.build(reportedTotal, complete);
        } catch (WordPressException e) {
            users.discard();
            throw new ReconcileException("listing the users of " + siteId + " failed at page " + (lastPage[0] + 1) + ": "
                    + e.error().describe() + "; reconciliation aborted, nothing was changed", e);
        } catch (RuntimeException e) {
            users.discard();
            throw e;
        }
    }

    private static void add(SiteUsers.Builder users, UserPage page) {
        for (WpUser user : page.users()) {
            users.add(user.id(), UserState.of(user));
        }
    }

    private static void progress(String siteId, UserPage page, int listed) {
        LOG.info("reconcile: {} page {}/{} ({} users)", siteId, page.page(), Math.max(page.totalPages(), 1), listed);
    }
}
