package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * {@code status} of a {@link SriovOperatorConfig}.
 *
 * @param injector runtime status of the resource injector webhook
 * @param operatorWebhook runtime status of the admission webhook
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SriovOperatorConfigStatus(
    List<Condition> conditions, String injector, String operatorWebhook) {
  public SriovOperatorConfigStatus {
    conditions = GoZero.list(conditions);
    injector = GoZero.string(injector);
    operatorWebhook = GoZero.string(operatorWebhook);
  }
}
