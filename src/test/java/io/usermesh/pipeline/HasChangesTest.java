package io.usermesh.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SourceRules.hasChanges: an update with nothing synced in it goes no further. */
class HasChangesTest {

    @Test
    void anUpdateWithoutGroupsHasNothingToSend() {
        assertFalse(SourceRules.hasChanges(PipelineTest.change("a", ChangeKind.UPDATED, Set.of())));
        assertTrue(SourceRules.hasChanges(PipelineTest.change("a", ChangeKind.UPDATED, Set.of(FieldGroup.PASSWORD))));
    }

    @Test
    void aCreationOrDeletionAlwaysHas() {
        assertTrue(SourceRules.hasChanges(PipelineTest.change("a", ChangeKind.CREATED, Set.of())));
        assertTrue(SourceRules.hasChanges(PipelineTest.change("a", ChangeKind.DELETED, Set.of())));
    }
}
