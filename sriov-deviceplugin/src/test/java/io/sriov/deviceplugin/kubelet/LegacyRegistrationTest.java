package io.sriov.deviceplugin.kubelet;

import static io.sriov.deviceplugin.testing.TestDevices.vf;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.sriov.core.device.Device;
import io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse;
import io.sriov.deviceplugin.api.v1beta1.NUMANode;
import io.sriov.deviceplugin.api.v1beta1.RegisterRequest;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.deviceplugin.testing.FakeKubelet;
import io.sriov.deviceplugin.testing.PluginClient;
import io.sriov.deviceplugin.testing.PluginFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LegacyRegistrationTest {
  private static final String SOCK = "intel.com_sriov_net.sock";
  private static final PoolSpec SPEC =
      PoolSpec.simple("intel.com", "sriov_net", DeviceKind.NET_DEVICE);

  @TempDir Path tmp;
  private PluginFixture fx;
  private FakeKubelet kubelet;
  private final List<Device> devices =
      List.of(
          vf("0000:af:00.0", "ens1f0", 0).build(),
          vf("0000:af:00.0", "ens1f0", 1).numa(-1).build());

  @BeforeEach
  void setUp() {
    fx = new PluginFixture(tmp, RegistrationMode.LEGACY, false);
    kubelet = new FakeKubelet(fx.transport, fx.kubelet.devicePlugins());
  }

  @AfterEach
  void tearDown() {
    kubelet.close();
    fx.close();
  }

  /** Registration runs in the background: waits (at most 10 s) for the endpoint's state. */
  private static void await(PluginEndpoint ep, PluginEndpoint.State state) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (ep.state() != state && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(ep.state()).isEqualTo(state);
  }

  private PluginEndpoint endpoint() {
    return fx.manager.endpoints().get("intel.com/sriov_net");
  }

  private void apply() {
    fx.manager.apply(List.of(new ResourcePool(SPEC, devices)), Set.of());
  }

  @Test
  void aLongestValidResourceNameIsServedOnAShortenedSocket() throws Exception {
    kubelet.start();
    PoolSpec spec = PoolSpec.simple("intel.com", "n".repeat(63), DeviceKind.NET_DEVICE);
    fx.manager.apply(List.of(new ResourcePool(spec, devices)), Set.of());
    RegisterRequest r = kubelet.nextRegistration();
    assertThat(r.getResourceName()).isEqualTo(spec.fullName());
    Path socket = fx.kubelet.devicePlugins().resolve(r.getEndpoint());
    assertThat(socket.toString().length()).isLessThanOrEqualTo(107);
    assertThat(socket).exists();
    try (PluginClient c = new PluginClient(fx.transport, socket)) {
      assertThat(PluginClient.health(c.watch().next())).hasSize(2);
    }
  }

  @Test
  void registersWithKubeletAndServesTheDevices() throws Exception {
    kubelet.start();
    apply();
    RegisterRequest r = kubelet.nextRegistration();
    assertThat(r.getVersion()).isEqualTo("v1beta1");
    assertThat(r.getEndpoint()).isEqualTo(SOCK);
    assertThat(r.getResourceName()).isEqualTo("intel.com/sriov_net");
    assertThat(r.getOptions().getGetPreferredAllocationAvailable()).isTrue();
    await(endpoint(), PluginEndpoint.State.REGISTERED);

    try (PluginClient c = fx.client(SOCK)) {
      assertThat(c.options().getGetPreferredAllocationAvailable()).isTrue();
      assertThat(c.options().getPreStartRequired()).isFalse();
      ListAndWatchResponse list = c.watch().next();
      assertThat(PluginClient.health(list))
          .containsExactly(
              java.util.Map.entry("0000:af:02.0", "Healthy"),
              java.util.Map.entry("0000:af:02.1", "Healthy"));
      assertThat(list.getDevices(0).getTopology().getNodesList())
          .containsExactly(NUMANode.newBuilder().setID(0).build());
      assertThat(list.getDevices(1).hasTopology()).isFalse();
    }
  }

  @Test
  void reRegistersWithTheSameDevicesAfterKubeletRestart() throws Exception {
    kubelet.start();
    apply();
    assertThat(kubelet.nextRegistration()).isNotNull();
    await(endpoint(), PluginEndpoint.State.REGISTERED);

    kubelet.restart();
    assertThat(Files.exists(fx.socket(SOCK))).isFalse();
    fx.manager.superviseOnce();

    RegisterRequest again = kubelet.nextRegistration();
    assertThat(again).isNotNull();
    assertThat(again.getResourceName()).isEqualTo("intel.com/sriov_net");
    assertThat(Files.exists(fx.socket(SOCK))).isTrue();
    try (PluginClient c = fx.client(SOCK)) {
      assertThat(PluginClient.health(c.watch().next()).keySet())
          .containsExactly("0000:af:02.0", "0000:af:02.1");
    }
    assertThat(fx.meters.find("sriov.deviceplugin.restarts").counter().count()).isEqualTo(1);
  }

  @Test
  void reRegistersWhenKubeletSocketIsRecreatedEvenIfOurSocketSurvived() throws Exception {
    kubelet.start();
    apply();
    assertThat(kubelet.nextRegistration()).isNotNull();
    await(endpoint(), PluginEndpoint.State.REGISTERED);
    kubelet.stop();
    Thread.sleep(5); // a new inode and timestamps for the new kubelet.sock
    kubelet.start();
    fx.manager.superviseOnce();
    assertThat(kubelet.nextRegistration()).isNotNull();
  }

  @Test
  void waitsForKubeletThenRegisters() throws Exception {
    apply();
    PluginEndpoint ep = fx.manager.endpoints().get("intel.com/sriov_net");
    assertThat(ep.state()).isEqualTo(PluginEndpoint.State.SERVING);
    assertThat(ep.lastError()).isEqualTo("kubelet socket " + kubelet.socket() + " does not exist");

    kubelet.start();
    fx.manager.superviseOnce();
    assertThat(kubelet.nextRegistration()).isNotNull();
    await(ep, PluginEndpoint.State.REGISTERED);
  }

  @Test
  void rejectedRegistrationStopsTheServerAndRemovesItsSocket() throws Exception {
    kubelet.policy =
        r -> Status.INVALID_ARGUMENT.withDescription("resource intel.com/sriov_net is taken");
    kubelet.start();
    apply();
    PluginEndpoint ep = fx.manager.endpoints().get("intel.com/sriov_net");
    await(ep, PluginEndpoint.State.REJECTED);
    assertThat(ep.lastError()).isEqualTo("resource intel.com/sriov_net is taken");
    assertThat(Files.exists(fx.socket(SOCK))).isFalse();
    assertThat(fx.counter("sriov.deviceplugin.registrations", "intel.com/sriov_net", "rejected"))
        .isEqualTo(1);

    // The supervisor does not resurrect a rejected endpoint on its own.
    fx.manager.superviseOnce();
    assertThat(ep.state()).isEqualTo(PluginEndpoint.State.REJECTED);
    assertThat(Files.exists(fx.socket(SOCK))).isFalse();
  }

  @Test
  void aHangingKubeletBlocksNeitherServingNorSupervisionNorStopping() throws Exception {
    kubelet.hang = true;
    kubelet.start();
    List<ResourcePool> pools = new java.util.ArrayList<>();
    for (String name : List.of("p1", "p2", "p3", "p4")) {
      pools.add(
          new ResourcePool(PoolSpec.simple("intel.com", name, DeviceKind.NET_DEVICE), devices));
    }
    long t0 = System.nanoTime();
    fx.manager.apply(pools, Set.of());
    assertThat(System.nanoTime() - t0)
        .as("apply with 4 hanging Registers")
        .isLessThan(1_000_000_000L);
    for (int i = 0; i < 4; i++) {
      assertThat(kubelet.nextRegistration()).isNotNull();
    }
    try (PluginClient c = fx.client("intel.com_p1.sock")) {
      assertThat(PluginClient.health(c.watch().next())).hasSize(2);
    }
    // Past the 2 s deadline: still serving, and the kubelet that timed out is not taken for a
    // restarted one (no endpoint torn down and rebuilt).
    PluginEndpoint p1 = fx.manager.endpoints().get("intel.com/p1");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (p1.registering() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(p1.lastError()).startsWith("kubelet unreachable: Status{code=DEADLINE_EXCEEDED");
    fx.manager.superviseOnce();
    assertThat(p1.state()).isEqualTo(PluginEndpoint.State.SERVING);
    assertThat(fx.meters.find("sriov.deviceplugin.restarts").counter()).isNull();
    // A kubelet restart re-registers everything at once; a stop while those hang is not held up.
    kubelet.stop();
    Thread.sleep(5);
    kubelet.start();
    kubelet.registrations.clear();
    long t2 = System.nanoTime();
    fx.manager.superviseOnce();
    assertThat(System.nanoTime() - t2)
        .as("supervise with 4 hanging Registers")
        .isLessThan(1_000_000_000L);
    assertThat(kubelet.nextRegistration()).isNotNull();
    assertThat(p1.registering()).isTrue();
    long t1 = System.nanoTime();
    fx.manager.close();
    assertThat(System.nanoTime() - t1).as("close").isLessThan(2_000_000_000L);
  }
}
