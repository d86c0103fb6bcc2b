package io.usermesh.pipeline;

import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Action;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.UserChange;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.camel.Header;

/** The `skipped` audit row of a change that a rule keeps from a target, with the rule's reason. */
public final class Skips {

    /** The header a custom rule sets to a reason to drop the change for the target at hand. */
    public static final String SKIP = "UsermeshSkip";

    private final Supplier<SitesConfig> sites;
    private final Consumer<AuditEntry> audit;
    private final Clock clock;

    public Skips(Supplier<SitesConfig> sites, Consumer<AuditEntry> audit, Clock clock) {
        this.sites = sites;
        this.audit = audit;
        this.clock = clock;
    }

    /** Called by the rules beans for each refusal, so the audit tells why the change did not reach the target. */
    public void record(UserChange change, String target, String reason) {
        record(change, target, change.kind().action(), reason);
    }

    /** A refusal of one part of the change (the password), audited under that part's action. */
    public void record(UserChange change, String target, Action action, String reason) {
        var matchBy = sites.get().site(change.sourceSite()).orElseThrow().settings().matchBy();
        audit.accept(new AuditEntry(clock.instant(), change.eventId(), change.sourceSite(), target,
                change.state().key(matchBy), action.dbValue(), AuditStatus.SKIPPED, null, reason,
                null, change.origin()));
    }

    /** Called by change-pipeline when custom-rules set {@value #SKIP}. */
    public void custom(Delivery delivery, @Header(SKIP) String reason) {
        record(delivery.change(), delivery.target(), "custom rule: " + reason);
    }
}
