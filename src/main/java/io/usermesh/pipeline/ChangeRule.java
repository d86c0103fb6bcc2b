package io.usermesh.pipeline;

import io.usermesh.config.Site;
import io.usermesh.model.UserChange;
import java.util.Optional;

/** A rule that can stop a change before any target is considered; the reason goes into the audit. */
public interface ChangeRule {
    Optional<String> refuse(UserChange change, Site source);
}
