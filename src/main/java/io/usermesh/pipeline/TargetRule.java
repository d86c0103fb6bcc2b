package io.usermesh.pipeline;

import io.usermesh.config.Link;
import io.usermesh.config.Site;
import io.usermesh.model.UserChange;
import java.util.Optional;

/** A rule that can stop a change for one target; the reason goes into that target's audit row. */
public interface TargetRule {
    Optional<String> refuse(UserChange change, Site source, Site target, Link link);
}
