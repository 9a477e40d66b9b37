package io.sriov.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Least privilege: the ClusterRole and Role grant exactly the API calls in {@code
 * rbac/api-calls.tsv} (see {@link ApiCall}), no wildcard, nothing more, nothing less.
 */
class RbacTest {
  private static final RenderedChart DEFAULTS = RenderedChart.render(Map.of());

  static List<ApiCall> recordedCalls() throws IOException {
    try (InputStream in = RbacTest.class.getResourceAsStream("/rbac/api-calls.tsv")) {
      return ApiCall.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void theRolesGrantExactlyTheCallsTheDaemonMakes() throws IOException {
    List<ApiCall> calls = recordedCalls();
    assertThat(calls).hasSizeGreaterThan(30);
    Set<String> expectedCluster = new TreeSet<>();
    Set<String> expectedNamespace = new TreeSet<>();
    for (ApiCall call : calls) {
      (call.clusterScope() ? expectedCluster : expectedNamespace).add(call.grant());
    }
    assertThat(grants(DEFAULTS.one(ClusterRole.class).getRules()))
        .as("ClusterRole grants")
        .containsExactlyElementsOf(expectedCluster);
    assertThat(grants(DEFAULTS.one(Role.class).getRules()))
        .as("Role grants (release namespace)")
        .containsExactlyElementsOf(expectedNamespace);
  }

  @Test
  void noRuleUsesAWildcardOrResourceNamesOrNonResourceUrls() {
    for (PolicyRule rule : allRules()) {
      assertThat(rule.getVerbs()).doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("*");
      assertThat(rule.getApiGroups()).doesNotContain("*");
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
    }
  }

  @Test
  void theBindingsTieTheRolesToTheDaemonsServiceAccount() {
    ServiceAccount sa = DEFAULTS.one(ServiceAccount.class);
    assertThat(sa.getMetadata().getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
    ClusterRoleBinding crb = DEFAULTS.one(ClusterRoleBinding.class);
    assertThat(crb.getRoleRef().getName())
        .isEqualTo(DEFAULTS.one(ClusterRole.class).getMetadata().getName());
    assertThat(crb.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
              assertThat(s.getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
            });
    RoleBinding rb = DEFAULTS.one(RoleBinding.class);
    assertThat(rb.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(rb.getMetadata().getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
    assertThat(rb.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
              assertThat(s.getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
            });
  }

  @Test
  void rbacCreateFalseRendersNoRolesButKeepsTheServiceAccount() {
    RenderedChart off = RenderedChart.render(Map.of("rbac.create", false));
    assertThat(off.all(ClusterRole.class)).isEmpty();
    assertThat(off.all(Role.class)).isEmpty();
    assertThat(off.all(ClusterRoleBinding.class)).isEmpty();
    assertThat(off.all(RoleBinding.class)).isEmpty();
    assertThat(off.all(ServiceAccount.class)).hasSize(1);
  }

  @Test
  void aCallListLineWithAnUnknownScopeOrTooFewColumnsIsRejected() {
    assertThatThrownBy(() -> ApiCall.parseAll("get\tcore\tnodes\tnode\twhy\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("api call line 1: scope must be cluster or namespace, got \"node\"");
    assertThatThrownBy(() -> ApiCall.parseAll("# c\nget\tcore\tnodes\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("api call line 2: needs verb, group, resource, scope, why; got 3 columns");
  }

  private static List<PolicyRule> allRules() {
    return java.util.stream.Stream.concat(
            DEFAULTS.one(ClusterRole.class).getRules().stream(),
            DEFAULTS.one(Role.class).getRules().stream())
        .toList();
  }

  /** Every (verb, group, resource) a rule list grants, as "group resource verb". */
  private static Set<String> grants(List<PolicyRule> rules) {
    Set<String> out = new TreeSet<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            out.add(ApiCall.grant(group.isEmpty() ? "core" : group, resource, verb));
          }
        }
      }
    }
    return out;
  }
}
