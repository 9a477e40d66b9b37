package io.sriov.deviceplugin.kubelet;

import static io.sriov.deviceplugin.testing.PodResourcesStandIn.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.sriov.core.port.PodResources.Assignment;
import io.sriov.deviceplugin.api.podresources.v1.ContainerDevices;
import io.sriov.deviceplugin.api.podresources.v1.ContainerResources;
import io.sriov.deviceplugin.api.podresources.v1.PodResources;
import io.sriov.deviceplugin.testing.PodResourcesStandIn;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PodResources client against a gRPC stand-in of kubelet on a real Unix socket. */
class KubeletPodResourcesTest {
  @TempDir Path tmp;
  private Path socket;
  private PodResourcesStandIn kubelet;
  private KubeletPodResources client;

  @BeforeEach
  void start() {
    socket = tmp.resolve("kubelet.sock");
    kubelet = new PodResourcesStandIn(socket);
    client = new KubeletPodResources(socket, Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    kubelet.close();
  }

  @Test
  void listsOneAssignmentPerDeviceOfEveryContainer() throws IOException {
    PodResources twoContainers =
        PodResources.newBuilder()
            .setNamespace("ran")
            .setName("du-0")
            .addContainers(
                ContainerResources.newBuilder()
                    .setName("l1")
                    .addDevices(
                        ContainerDevices.newBuilder()
                            .setResourceName("openshift.io/fh")
                            .addDeviceIds("0000:3b:02.0")
                            .addDeviceIds("0000:3b:02.1"))
                    .addDevices(
                        ContainerDevices.newBuilder()
                            .setResourceName("openshift.io/acc")
                            .addDeviceIds("0000:af:00.1")))
            .addContainers(ContainerResources.newBuilder().setName("sidecar"))
            .build();
    kubelet.answer(
        List.of(
            twoContainers,
            pod("default", "web", "nginx", "openshift.io/netdev", "0000:3b:02.4"),
            PodResources.newBuilder().setNamespace("kube-system").setName("no-devices").build()));

    assertThat(client.list())
        .containsExactly(
            new Assignment("ran", "du-0", "l1", "openshift.io/fh", "0000:3b:02.0"),
            new Assignment("ran", "du-0", "l1", "openshift.io/fh", "0000:3b:02.1"),
            new Assignment("ran", "du-0", "l1", "openshift.io/acc", "0000:af:00.1"),
            new Assignment("default", "web", "nginx", "openshift.io/netdev", "0000:3b:02.4"));
    // the channel is reused: a second call sees the new answer
    kubelet.answer(List.of());
    assertThat(client.list()).isEmpty();
    assertThat(kubelet.calls()).isEqualTo(2);
  }

  @Test
  void kubeletErrorNamesTheSocketAndTheStatus() {
    kubelet.fail(Status.PERMISSION_DENIED.withDescription("not allowed"));
    assertThatThrownBy(client::list)
        .isInstanceOf(IOException.class)
        .hasMessage("List pod resources on " + socket + ": PERMISSION_DENIED: not allowed");
  }

  @Test
  void aHungKubeletEndsAtTheDeadline() {
    kubelet.hang();
    try (KubeletPodResources quick = new KubeletPodResources(socket, Duration.ofSeconds(1))) {
      long start = System.nanoTime();
      assertThatThrownBy(quick::list)
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("List pod resources on " + socket + ": DEADLINE_EXCEEDED");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void missingSocketSaysKubeletIsNotThere() {
    Path none = tmp.resolve("pod-resources/kubelet.sock");
    try (KubeletPodResources c = new KubeletPodResources(none, Duration.ofSeconds(1))) {
      assertThatThrownBy(c::list)
          .isInstanceOf(IOException.class)
          .hasMessage(
              "kubelet PodResources socket "
                  + none
                  + " does not exist (kubelet not running, or the kubelet dir is wrong)");
    }
  }

  @Test
  void closedClientRefuses() {
    client.close();
    assertThatThrownBy(client::list)
        .isInstanceOf(IOException.class)
        .hasMessage("kubelet PodResources client for " + socket + " is closed");
  }

  @Test
  void timeoutMustBePositive() {
    assertThatThrownBy(() -> new KubeletPodResources(socket, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive: PT0S");
  }
}
