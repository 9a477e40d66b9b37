package io.sriov.chart;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Least privilege: the ClusterRole and Role grant exactly the API calls the daemons made in the
 * cluster-in-a-JVM suite (sriov-cluster's {@code ClusterIT}, {@code ClusterDrainGateIT}, {@code
 * NadControllerIT}, recorded at the mock API server into {@code sriov-cluster/target/api-calls};
 * see {@link ApiCall}): a call the chart does not grant fails, and so does a grant no daemon used.
 * No wildcard.
 */
class RbacTest {
  private static final RenderedChart DEFAULTS = RenderedChart.render(Map.of());

  /** The suites whose records make up the daemon's calls. */
  static final List<String> SUITES = List.of("ClusterIT", "ClusterDrainGateIT", "NadControllerIT");

  static final Path RECORDS =
      Path.of(System.getProperty("repo.dir", ".."), "sriov-cluster", "target", "api-calls");

  /**
   * The recorded calls plus {@code rbac/unrecorded-calls.tsv} (real calls on paths no IT takes; one
   * already recorded fails, so the list only shrinks).
   */
  static List<ApiCall> daemonCalls() throws IOException {
    List<ApiCall> calls = recordedCalls(RECORDS);
    List<ApiCall> unrecorded;
    try (java.io.InputStream in =
        RbacTest.class.getResourceAsStream("/rbac/unrecorded-calls.tsv")) {
      unrecorded = ApiCall.parseUnrecorded(new String(in.readAllBytes(), UTF_8));
    }
    for (ApiCall u : unrecorded) {
      assertThat(calls)
          .as(
              "%s %s is recorded now: delete its line from rbac/unrecorded-calls.tsv",
              u.grant(), u.scope())
          .doesNotContain(u);
    }
    calls.addAll(unrecorded);
    return calls;
  }

  static List<ApiCall> recordedCalls(Path dir) throws IOException {
    List<ApiCall> calls = new ArrayList<>();
    for (String suite : SUITES) {
      Path file = dir.resolve(suite + ".tsv");
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException(
            "no record of the daemons' API calls from sriov-cluster's "
                + suite
                + " ("
                + file.normalize()
                + " is missing): run the cluster-in-a-JVM suite before this test, e.g. ./mvnw -B"
                + " -o verify -pl sriov-cluster,charts -am -Dtest=RbacTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dit.test='ClusterIT,ClusterDrainGateIT,NadControllerIT'"
                + " -Dfailsafe.failIfNoSpecifiedTests=false");
      }
      calls.addAll(ApiCall.parseAll(file.toString(), Files.readString(file)));
    }
    return calls;
  }

  @Test
  void theRolesGrantExactlyTheCallsTheDaemonsMade() throws IOException {
    List<ApiCall> calls = daemonCalls();
    Set<String> expectedCluster = new TreeSet<>();
    Set<String> expectedNamespace = new TreeSet<>();
    for (ApiCall call : calls) {
      if (call.needsClusterRole()) {
        expectedCluster.add(call.grant());
      }
    }
    for (ApiCall call : calls) {
      if (!call.needsClusterRole() && !expectedCluster.contains(call.grant())) {
        expectedNamespace.add(call.grant());
      }
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
  void aRecordLineWithAnUnknownScopeOrTooFewColumnsIsRejected() {
    assertThatThrownBy(() -> ApiCall.parseAll("r.tsv", "get\tcore\tnodes\t-\tnode\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "r.tsv line 1: scope must be cluster, own-namespace or other-namespace, got \"node\"");
    assertThatThrownBy(() -> ApiCall.parseAll("r.tsv", "\nget\tcore\tnodes\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("r.tsv line 2: needs verb, group, resource, subresource, scope; got 3 columns");
    assertThatThrownBy(() -> ApiCall.parseUnrecorded("# why\npatch\tcore\tnodes\t-\tcluster\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "rbac/unrecorded-calls.tsv line 2: needs verb, group, resource, subresource, scope,"
                + " why; got 5 columns");
  }

  @Test
  void aMissingRecordSaysWhichSuiteToRun(@TempDir Path empty) {
    assertThatThrownBy(() -> recordedCalls(empty))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "no record of the daemons' API calls from sriov-cluster's ClusterIT ("
                + empty.resolve("ClusterIT.tsv")
                + " is missing): run the cluster-in-a-JVM suite before this test");
  }

  @Test
  void aCallInTheReleaseNamespaceNeedsTheRoleAndAnyOtherTheClusterRole() {
    List<ApiCall> calls =
        ApiCall.parseAll(
            "r.tsv",
            "create\tcore\tpods\teviction\tother-namespace\n"
                + "update\tcoordination.k8s.io\tleases\t-\town-namespace\n"
                + "list\tcore\tnodes\t-\tcluster\n");
    assertThat(calls)
        .extracting(ApiCall::grant, ApiCall::needsClusterRole)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("core pods/eviction create", true),
            org.assertj.core.groups.Tuple.tuple("coordination.k8s.io leases update", false),
            org.assertj.core.groups.Tuple.tuple("core nodes list", true));
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
