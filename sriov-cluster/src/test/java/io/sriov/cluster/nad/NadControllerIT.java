package io.sriov.cluster.nad;

import static io.sriov.cluster.nad.Networks.ib;
import static io.sriov.cluster.nad.Networks.ovs;
import static io.sriov.cluster.nad.Networks.ovsSpec;
import static io.sriov.cluster.nad.Networks.sriov;
import static io.sriov.cluster.nad.Networks.sriovSpec;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.sriov.cluster.api.Crds;
import io.sriov.cluster.api.OVSNetwork;
import io.sriov.cluster.api.SriovIBNetwork;
import io.sriov.cluster.api.SriovIBNetworkSpec;
import io.sriov.cluster.api.SriovNetwork;
import io.sriov.cluster.api.SriovNetworkSpec;
import io.sriov.cluster.testing.ApiCallLog;
import io.sriov.cluster.testing.Await;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The NAD renderer on fabric8's mock API server (CRUD mode) with the module's CRDs and Multus'
 * NetworkAttachmentDefinition CRD: NADs for each network kind, kept in sync, deleted with the
 * network, the failure conditions with upstream's reasons and messages, and leader failover.
 */
@EnableKubernetesMockClient(crud = true)
class NadControllerIT {
  static final String NS = "sriov-network-operator";
  static final Duration WAIT = Duration.ofSeconds(30);

  KubernetesMockServer server;
  KubernetesClient client;
  final List<NadController> controllers = new ArrayList<>();
  final List<KubernetesClient> clients = new ArrayList<>();

  @BeforeEach
  void setUp() {
    for (CustomResourceDefinition crd : Crds.load()) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .load(getClass().getResourceAsStream("/crds-test/network-attachment-definitions.yaml"))
        .create();
    namespace(NS);
    namespace("apps");
  }

  @AfterEach
  void tearDown() {
    controllers.forEach(NadController::close);
    clients.forEach(KubernetesClient::close);
    ApiCallLog.record(server, NadControllerIT.class, NS);
  }

  private void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  private NadController controller(String identity, Duration lease) {
    KubernetesClient own = ApiCallLog.daemonClient(server);
    clients.add(own);
    NadController c =
        new NadController(
            own,
            new NadController.Settings(
                NS,
                identity,
                "openshift.io",
                lease,
                lease.multipliedBy(2).dividedBy(3),
                Duration.ofMillis(500)),
            Clock.systemUTC());
    controllers.add(c);
    c.start();
    return c;
  }

  private NadController leader() {
    NadController c = controller("node-a", Duration.ofSeconds(10));
    Await.until(WAIT, c::isLeader);
    return c;
  }

  private GenericKubernetesResource nad(String ns, String name) {
    return client
        .genericKubernetesResources(NadReconciler.NAD)
        .inNamespace(ns)
        .withName(name)
        .get();
  }

  @SuppressWarnings("unchecked")
  private static String config(GenericKubernetesResource nad) {
    return (String) ((Map<String, Object>) nad.getAdditionalProperties().get("spec")).get("config");
  }

  private static Condition ready(
      Supplier<
              ? extends
                  io.fabric8.kubernetes.client.CustomResource<
                      ?, io.sriov.cluster.api.NetworkStatus>>
          get) {
    var n = get.get();
    if (n == null || n.getStatus() == null) {
      return null;
    }
    return n.getStatus().conditions().stream()
        .filter(c -> c.getType().equals("Ready"))
        .findFirst()
        .orElse(null);
  }

  /** A user's edit: re-read and retried when the renderer changed the object meanwhile (409). */
  private static void update(Resource<SriovNetwork> ref, UnaryOperator<SriovNetwork> change) {
    for (int attempt = 0; ; attempt++) {
      try {
        ref.edit(change);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  private SriovNetwork sriovNetwork(String ns, String name) {
    return client.resources(SriovNetwork.class).inNamespace(ns).withName(name).get();
  }

  private static SriovNetworkSpec vlan(SriovNetworkSpec s, int vlan) {
    return new SriovNetworkSpec(
        s.networkNamespace(),
        s.resourceName(),
        s.capabilities(),
        s.ipam(),
        vlan,
        s.vlanQoS(),
        s.vlanProto(),
        s.spoofChk(),
        s.trust(),
        s.linkState(),
        s.minTxRate(),
        s.maxTxRate(),
        s.metaPlugins(),
        s.logLevel(),
        s.logFile());
  }

  @Test
  void everyKindIsRenderedIntoItsTargetNamespace() {
    leader();
    client
        .resources(SriovNetwork.class)
        .resource(sriov(NS, "net-1", sriovSpec("apps", "intel_sriov_netdevice")))
        .create();
    client
        .resources(SriovIBNetwork.class)
        .resource(ib("apps", "ib-1", new SriovIBNetworkSpec("", "mlnx_ib", "", "", "auto", "")))
        .create();
    client
        .resources(OVSNetwork.class)
        .resource(
            ovs("apps", "ovs-1", ovsSpec("", "switchdev", "", "", "", "br-x", 0, 9000, null, "")))
        .create();
    Await.until(
        WAIT,
        () ->
            nad("apps", "net-1") != null
                && nad("apps", "ib-1") != null
                && nad("apps", "ovs-1") != null);

    GenericKubernetesResource net = nad("apps", "net-1");
    assertThat(net.getMetadata().getAnnotations())
        .containsEntry("k8s.v1.cni.cncf.io/resourceName", "openshift.io/intel_sriov_netdevice")
        .containsEntry(
            "sriovnetwork.openshift.io/owner-ref",
            "SriovNetwork.sriovnetwork.openshift.io/sriov-network-operator/net-1");
    assertThat(config(net))
        .isEqualTo(
            "{\n    \"cniVersion\": \"1.0.0\",\n    \"name\": \"net-1\",\n    \"type\": \"sriov\",\n    \"vlan\": 0,\n    \"vlanQoS\": 0,\n    \"ipam\": {}\n}");
    // In another namespace than its network: no owner reference (it cannot reach), a finalizer.
    assertThat(net.getMetadata().getOwnerReferences()).isEmpty();
    Await.until(WAIT, () -> ready(() -> sriovNetwork(NS, "net-1")) != null);
    SriovNetwork sn = sriovNetwork(NS, "net-1");
    assertThat(sn.getMetadata().getFinalizers()).containsExactly(NadReconciler.FINALIZER);
    assertThat(sn.getMetadata().getAnnotations())
        .containsEntry(NadReconciler.LAST_NAMESPACE, "apps");
    assertThat(ready(() -> sn))
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"))
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("NetworkReady"))
        .satisfies(
            c ->
                assertThat(c.getMessage())
                    .isEqualTo("NetworkAttachmentDefinition is provisioned and ready"));

    assertThat(config(nad("apps", "ib-1")))
        .contains("\"type\": \"ib-sriov\"")
        .contains("\"link_state\": \"auto\"");
    assertThat(config(nad("apps", "ovs-1")))
        .contains("\"type\": \"ovs\"")
        .contains("\"mtu\": 9000");
    // Beside its network: owned through an owner reference (the garbage collector deletes it).
    SriovIBNetwork ibn =
        client.resources(SriovIBNetwork.class).inNamespace("apps").withName("ib-1").get();
    assertThat(nad("apps", "ib-1").getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(ibn.getMetadata().getUid()))
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("SriovIBNetwork"))
        .satisfies(o -> assertThat(o.getApiVersion()).isEqualTo("sriovnetwork.openshift.io/v1"));
    assertThat(ibn.getMetadata().getFinalizers()).isEmpty();
  }

  @Test
  void changesAreSyncedAndDeletionDeletesTheNad() {
    leader();
    var ref = client.resources(SriovNetwork.class).inNamespace(NS).withName("net-1");
    client
        .resources(SriovNetwork.class)
        .resource(sriov(NS, "net-1", sriovSpec("apps", "r")))
        .create();
    Await.until(WAIT, () -> nad("apps", "net-1") != null);
    update(
        ref,
        n -> {
          n.setSpec(vlan(n.getSpec(), 42));
          return n;
        });
    Await.until(WAIT, () -> config(nad("apps", "net-1")).contains("\"vlan\": 42"));

    // Someone deletes the NAD: it comes back.
    client
        .genericKubernetesResources(NadReconciler.NAD)
        .inNamespace("apps")
        .withName("net-1")
        .delete();
    Await.until(WAIT, () -> nad("apps", "net-1") != null);
    // A foreign annotation on it is kept across an update.
    client
        .genericKubernetesResources(NadReconciler.NAD)
        .inNamespace("apps")
        .withName("net-1")
        .edit(
            o -> {
              o.getMetadata().getAnnotations().put("team", "blue");
              return o;
            });
    update(
        ref,
        n -> {
          n.setSpec(vlan(n.getSpec(), 43));
          return n;
        });
    Await.until(WAIT, () -> config(nad("apps", "net-1")).contains("\"vlan\": 43"));
    assertThat(nad("apps", "net-1").getMetadata().getAnnotations()).containsEntry("team", "blue");

    ref.delete();
    Await.until(WAIT, () -> nad("apps", "net-1") == null && ref.get() == null);
  }

  @Test
  void aChangedNetworkNamespaceMovesTheNad() {
    leader();
    namespace("other");
    var ref = client.resources(SriovNetwork.class).inNamespace(NS).withName("net-1");
    client
        .resources(SriovNetwork.class)
        .resource(sriov(NS, "net-1", sriovSpec("apps", "r")))
        .create();
    Await.until(WAIT, () -> nad("apps", "net-1") != null);
    update(
        ref,
        n -> {
          n.setSpec(sriovSpec("other", "r"));
          return n;
        });
    Await.until(WAIT, () -> nad("other", "net-1") != null && nad("apps", "net-1") == null);
    Await.until(
        WAIT,
        () ->
            "other"
                .equals(
                    ref.get().getMetadata().getAnnotations().get(NadReconciler.LAST_NAMESPACE)));
  }

  @Test
  void aMissingTargetNamespaceWaitsForIt() {
    leader();
    client
        .resources(SriovNetwork.class)
        .resource(sriov(NS, "net-1", sriovSpec("later", "r")))
        .create();
    Await.until(WAIT, () -> ready(() -> sriovNetwork(NS, "net-1")) != null);
    assertThat(ready(() -> sriovNetwork(NS, "net-1")))
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"))
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("NamespaceNotFound"))
        .satisfies(
            c -> assertThat(c.getMessage()).isEqualTo("target namespace \"later\" does not exist"));
    namespace("later");
    Await.until(WAIT, () -> nad("later", "net-1") != null);
    Await.until(WAIT, () -> "True".equals(ready(() -> sriovNetwork(NS, "net-1")).getStatus()));
  }

  @Test
  void invalidNetworksAreReportedWithUpstreamsReasons() {
    leader();
    client
        .resources(SriovNetwork.class)
        .resource(sriov("apps", "elsewhere", sriovSpec("other", "r")))
        .create();
    SriovNetworkSpec badCaps =
        new SriovNetworkSpec("", "r", "foo", "", 0, 0, "", "", "", "", null, null, "", "", "");
    client.resources(SriovNetwork.class).resource(sriov("apps", "bad", badCaps)).create();
    client
        .genericKubernetesResources(NadReconciler.NAD)
        .inNamespace("apps")
        .resource(
            new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("k8s.cni.cncf.io/v1")
                .withKind("NetworkAttachmentDefinition")
                .withNewMetadata()
                .withName("taken")
                .withNamespace("apps")
                .addToAnnotations(
                    "sriovnetwork.openshift.io/owner-ref",
                    "SriovNetwork.sriovnetwork.openshift.io/x/taken")
                .endMetadata()
                .addToAdditionalProperties("spec", Map.of("config", "{}"))
                .build())
        .create();
    client
        .resources(SriovNetwork.class)
        .resource(sriov("apps", "taken", sriovSpec("", "r")))
        .create();

    Await.until(
        WAIT,
        () ->
            ready(() -> sriovNetwork("apps", "elsewhere")) != null
                && ready(() -> sriovNetwork("apps", "bad")) != null
                && ready(() -> sriovNetwork("apps", "taken")) != null);
    assertThat(ready(() -> sriovNetwork("apps", "elsewhere")))
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("NetworkAttachmentDefinitionInvalid"))
        .satisfies(
            c ->
                assertThat(c.getMessage())
                    .isEqualTo(
                        "spec.networkNamespace cannot be set when the resource is not in the operator namespace (sriov-network-operator)"));
    assertThat(ready(() -> sriovNetwork("apps", "bad")))
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"))
        .satisfies(
            c ->
                assertThat(c.getMessage())
                    .isEqualTo("invalid character 'o' in literal false (expecting 'a')"));
    assertThat(ready(() -> sriovNetwork("apps", "taken")))
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("NetworkAttachmentDefinitionInvalid"))
        .satisfies(
            c ->
                assertThat(c.getMessage())
                    .isEqualTo(
                        "NetworkAttachmentDefinition 'apps/taken' already exists and is owned by SriovNetwork.sriovnetwork.openshift.io/x/taken"));
    assertThat(config(nad("apps", "taken"))).isEqualTo("{}");
    assertThat(nad("other", "elsewhere")).isNull();
    assertThat(nad("apps", "bad")).isNull();
  }

  @Test
  void anotherDaemonTakesOverWhenTheLeaderDies() {
    NadController a = controller("node-a", Duration.ofSeconds(4));
    Await.until(WAIT, a::isLeader);
    NadController b = controller("node-b", Duration.ofSeconds(4));
    client
        .resources(SriovNetwork.class)
        .resource(sriov(NS, "net-1", sriovSpec("apps", "r")))
        .create();
    Await.until(WAIT, () -> nad("apps", "net-1") != null);
    assertThat(b.isLeader()).isFalse();

    // The leader's process dies: its client goes (and with it its elector: no more renewals, no
    // callbacks, as in a dead process), the Lease expires, node-b takes over.
    clients.get(0).close();
    Await.until(WAIT, b::isLeader);
    assertThat(
            client
                .leases()
                .inNamespace(NS)
                .withName(NadController.LEASE_NAME)
                .get()
                .getSpec()
                .getHolderIdentity())
        .isEqualTo("node-b");
    client
        .resources(SriovNetwork.class)
        .resource(sriov(NS, "net-2", sriovSpec("apps", "r")))
        .create();
    Await.until(WAIT, () -> nad("apps", "net-2") != null);
  }

  @Test
  void aCleanStopHandsTheRoleOverAtOnce() {
    NadController a = controller("node-a", Duration.ofSeconds(20));
    Await.until(WAIT, a::isLeader);
    NadController b = controller("node-b", Duration.ofSeconds(20));
    long stopped = System.nanoTime();
    a.close();
    Await.until(WAIT, b::isLeader);
    assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(15));
  }
}
