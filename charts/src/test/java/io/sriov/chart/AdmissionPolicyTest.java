package io.sriov.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The ValidatingAdmissionPolicy, its CEL evaluated with Google's CEL for Java: a daemon writes only
 * its own node's SriovNetworkNodeState and Node, judged by its token's node claim.
 */
class AdmissionPolicyTest {
  private static final RenderedChart DEFAULTS = RenderedChart.render(Map.of());
  private static final ValidatingAdmissionPolicy POLICY =
      DEFAULTS.one(ValidatingAdmissionPolicy.class);
  private static final CelPolicy CEL = new CelPolicy(POLICY);
  private static final String DAEMON =
      "system:serviceaccount:"
          + RenderedChart.NAMESPACE
          + ":"
          + DEFAULTS.one(ServiceAccount.class).getMetadata().getName();
  private static final String NODE_CLAIM = "authentication.kubernetes.io/node-name";

  private static Map<String, Object> request(
      String user, Map<String, List<String>> extra, String op, String resource, String sub) {
    Map<String, Object> userInfo = new HashMap<>();
    userInfo.put("username", user);
    if (extra != null) {
      userInfo.put("extra", extra);
    }
    Map<String, Object> res = new HashMap<>();
    res.put("group", resource.equals("nodes") ? "" : "sriovnetwork.openshift.io");
    res.put("version", "v1");
    res.put("resource", resource);
    Map<String, Object> request = new HashMap<>();
    request.put("operation", op);
    request.put("userInfo", userInfo);
    request.put("resource", res);
    request.put("subResource", sub);
    return request;
  }

  private static Map<String, Object> named(String name) {
    return Map.of("metadata", Map.of("name", name), "spec", Map.of());
  }

  private static CelPolicy.Outcome daemonOn(
      String node, String op, String resource, String target) {
    Map<String, Object> req = request(DAEMON, Map.of(NODE_CLAIM, List.of(node)), op, resource, "");
    return op.equals("DELETE")
        ? CEL.evaluate(req, null, named(target))
        : CEL.evaluate(req, named(target), op.equals("CREATE") ? null : named(target));
  }

  @Test
  void aDaemonWritesItsOwnNodesStateAndNode() {
    assertThat(daemonOn("worker-1", "CREATE", "sriovnetworknodestates", "worker-1"))
        .isEqualTo(CelPolicy.Outcome.ALLOWED);
    assertThat(daemonOn("worker-1", "UPDATE", "sriovnetworknodestates", "worker-1"))
        .isEqualTo(CelPolicy.Outcome.ALLOWED);
    assertThat(daemonOn("worker-1", "UPDATE", "nodes", "worker-1"))
        .isEqualTo(CelPolicy.Outcome.ALLOWED);
  }

  @Test
  void aDaemonIsDeniedAnotherNodesStateOrNodeWithAMessageNamingBoth() {
    assertThat(daemonOn("worker-1", "UPDATE", "sriovnetworknodestates", "worker-2"))
        .isEqualTo(
            CelPolicy.Outcome.denied(
                "the sriov-node daemon on node worker-1 may write only its own node, not"
                    + " sriovnetworknodestates worker-2"));
    assertThat(daemonOn("worker-1", "CREATE", "sriovnetworknodestates", "worker-2").denial())
        .isPresent();
    assertThat(daemonOn("worker-1", "UPDATE", "nodes", "worker-2"))
        .isEqualTo(
            CelPolicy.Outcome.denied(
                "the sriov-node daemon on node worker-1 may write only its own node, not nodes"
                    + " worker-2"));
    assertThat(daemonOn("worker-1", "DELETE", "sriovnetworknodestates", "worker-2").denial())
        .as("DELETE is judged by oldObject")
        .isPresent();
    assertThat(daemonOn("worker-1", "DELETE", "sriovnetworknodestates", "worker-1"))
        .isEqualTo(CelPolicy.Outcome.ALLOWED);
  }

  @Test
  void aTokenWithoutExactlyOneNodeClaimIsDenied() {
    String message =
        "the sriov-node daemon's service-account token has no node claim"
            + " (authentication.kubernetes.io/node-name): it must be a pod-bound token on"
            + " Kubernetes 1.30+";
    for (Map<String, List<String>> extra :
        java.util.Arrays.asList(
            null,
            Map.<String, List<String>>of(),
            Map.of(NODE_CLAIM, List.<String>of()),
            Map.of(NODE_CLAIM, List.of("worker-1", "worker-2")))) {
      Map<String, Object> req = request(DAEMON, extra, "UPDATE", "sriovnetworknodestates", "");
      assertThat(CEL.evaluate(req, named("worker-1"), named("worker-1")))
          .as("extra %s", extra)
          .isEqualTo(CelPolicy.Outcome.denied(message));
    }
  }

  @Test
  void otherUsersAreNotJudgedByThePolicy() {
    Map<String, Object> admin =
        request("kubernetes-admin", null, "UPDATE", "sriovnetworknodestates", "");
    assertThat(CEL.evaluate(admin, named("worker-2"), named("worker-2")))
        .isEqualTo(CelPolicy.Outcome.NOT_APPLICABLE);
    Map<String, Object> otherSa =
        request(
            "system:serviceaccount:kube-system:sriov-sriov-node",
            Map.of(NODE_CLAIM, List.of("worker-1")),
            "UPDATE",
            "nodes",
            "");
    assertThat(CEL.evaluate(otherSa, named("worker-2"), named("worker-2")))
        .isEqualTo(CelPolicy.Outcome.NOT_APPLICABLE);
  }

  @Test
  void thePolicyMatchesEveryWriteTheRolesGrantOnNodesAndNodeStates() throws IOException {
    Set<String> matched =
        POLICY.getSpec().getMatchConstraints().getResourceRules().stream()
            .flatMap(
                (NamedRuleWithOperations r) ->
                    r.getResources().stream()
                        .flatMap(res -> r.getOperations().stream().map(op -> res + " " + op)))
            .collect(Collectors.toSet());
    Map<String, String> operationOfVerb =
        Map.of("create", "CREATE", "update", "UPDATE", "patch", "UPDATE", "delete", "DELETE");
    List<ApiCall> writes =
        RbacTest.daemonCalls().stream()
            .filter(c -> Set.of("nodes", "sriovnetworknodestates").contains(c.resource()))
            .filter(c -> operationOfVerb.containsKey(c.verb()))
            .toList();
    assertThat(writes).isNotEmpty();
    for (ApiCall call : writes) {
      assertThat(matched)
          .as("the policy judges %s %s", call.verb(), call.rbacResource())
          .contains(call.rbacResource() + " " + operationOfVerb.get(call.verb()));
    }
    assertThat(POLICY.getSpec().getFailurePolicy()).isEqualTo("Fail");
  }

  @Test
  void theBindingEnforcesThePolicyWithTheConfiguredActions() {
    ValidatingAdmissionPolicyBinding binding = DEFAULTS.one(ValidatingAdmissionPolicyBinding.class);
    assertThat(binding.getSpec().getPolicyName()).isEqualTo(POLICY.getMetadata().getName());
    assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
    RenderedChart audit =
        RenderedChart.render(
            Map.of(
                "admissionPolicy.validationActions[0]", "Warn",
                "admissionPolicy.validationActions[1]", "Audit"));
    assertThat(audit.one(ValidatingAdmissionPolicyBinding.class).getSpec().getValidationActions())
        .containsExactly("Warn", "Audit");
    RenderedChart off = RenderedChart.render(Map.of("admissionPolicy.enabled", false));
    assertThat(off.all(ValidatingAdmissionPolicy.class)).isEmpty();
    assertThat(off.all(ValidatingAdmissionPolicyBinding.class)).isEmpty();
  }
}
