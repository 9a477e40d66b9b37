package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * {@code status} of {@link SriovNetwork}, {@link SriovIBNetwork} and {@link OVSNetwork} (upstream's
 * {@code ConditionStatus}): {@code conditions[]}, {@code type=Ready} with reasons {@code
 * NetworkReady}, {@code NetworkAttachmentDefinitionNotFound}, {@code
 * NetworkAttachmentDefinitionInvalid}, {@code NamespaceNotFound}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record NetworkStatus(List<Condition> conditions) {
  public NetworkStatus {
    conditions = GoZero.list(conditions);
  }
}
