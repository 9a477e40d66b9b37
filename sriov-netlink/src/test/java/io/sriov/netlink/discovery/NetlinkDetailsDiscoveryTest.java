package io.sriov.netlink.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.device.AuxNetDevice;
import io.sriov.core.device.Device;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.RdmaInfo;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.port.NetdevSnapshot;
import io.sriov.core.testing.TestDevices;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.devlink.DevlinkHandle;
import io.sriov.netlink.devlink.DevlinkInfo;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.devlink.EswitchMode;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkOperations;
import io.sriov.netlink.route.LinkSpec;
import io.sriov.netlink.testing.TestLinks;
import io.sriov.os.Errno;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetlinkDetailsDiscoveryTest {

  private static final String PF = "0000:af:00.0";
  private static final String VF0 = "0000:af:02.0";
  private static final String VF1 = "0000:af:02.1";
  private static final String ICE = "ICE OS Default Package";

  private final FakeLinks links = new FakeLinks();
  private final FakeDevlink devlink = new FakeDevlink();

  private final PciNetDevice pf =
      withNetdev(TestDevices.net(PF).driver("ice").pf(8).build(), "ens1f0");
  private final PciNetDevice vf0 =
      withNetdev(TestDevices.net(VF0).vf(PF, 0, "ens1f0").build(), "ens1f0v0");
  private final PciNetDevice vfioVf =
      TestDevices.net(VF1).driver("vfio-pci").vf(PF, 1, "ens1f0").build();
  private final AuxNetDevice sf =
      TestDevices.aux("mlx5_core.sf.2", "0000:3b:00.0", "enp59s0f0", 2, false)
          .withNetdev(Optional.of(netdev("enp59s0f0s2")));
  private final Device accel = TestDevices.accelerator("0000:3d:00.0", "8086", "37c8");

  private final FakeDiscovery delegate = new FakeDiscovery(List.of(pf, vf0, vfioVf, sf, accel));

  private NetlinkDetailsDiscovery discovery(boolean withDevlink) {
    return new NetlinkDetailsDiscovery(
        delegate, links, withDevlink ? Optional.of(devlink) : Optional.empty());
  }

  private static NetInterface netdev(String name) {
    return NetInterface.ether(
        InterfaceName.of(name), MacAddress.parse("02:00:00:00:00:01"), 1500, true);
  }

  private static PciNetDevice withNetdev(PciNetDevice d, String name) {
    return d.withNetdev(Optional.of(netdev(name)));
  }

  private static <T extends Device> T find(DeviceDiscovery.Result r, T like) {
    @SuppressWarnings("unchecked")
    T found =
        (T) r.devices().stream().filter(d -> d.id().equals(like.id())).findFirst().orElseThrow();
    return found;
  }

  private static List<String> altNames(Device d) {
    return switch (d) {
      case PciNetDevice n -> n.netdev().orElseThrow().altNames();
      case AuxNetDevice a -> a.netdev().orElseThrow().altNames();
      default -> throw new AssertionError(d);
    };
  }

  @Test
  void anMlx5FunctionWithoutRdmaDevicesIsRdmaCapableWhenDevlinkEnablesRdma() {
    PciNetDevice exclusive =
        TestDevices.net("0000:3b:02.0").driver("mlx5_core").vf("0000:3b:00.0", 0, "p0").build();
    PciNetDevice disabled =
        TestDevices.net("0000:3b:02.1").driver("mlx5_core").vf("0000:3b:00.0", 1, "p0").build();
    PciNetDevice intel = TestDevices.net("0000:af:02.3").vf(PF, 3, "ens1f0").build();
    assertThat(exclusive.rdma().capable()).isFalse();
    devlink.params.put("pci/0000:3b:02.0", true);
    devlink.params.put("pci/0000:3b:02.1", false);
    devlink.params.put("pci/0000:af:02.3", true); // not an mlx5 function: never asked
    DeviceDiscovery.Result r =
        new NetlinkDetailsDiscovery(
                new FakeDiscovery(List.of(exclusive, disabled, intel)), links, Optional.of(devlink))
            .discoverAll();
    assertThat(find(r, exclusive).rdma()).isEqualTo(RdmaInfo.ENABLED_ELSEWHERE);
    assertThat(find(r, exclusive).rdma().capable()).isTrue();
    assertThat(find(r, disabled).rdma()).isEqualTo(RdmaInfo.NONE);
    assertThat(find(r, intel).rdma()).isEqualTo(RdmaInfo.NONE);
    assertThat(devlink.paramsAsked)
        .containsExactly("pci/0000:3b:02.0 enable_rdma", "pci/0000:3b:02.1 enable_rdma");
  }

  @Test
  void altNamesLandOnTheNetdevOfTheSameNameForPfVfAndAuxDevices() {
    links.add("lo");
    links.add("ens1f0", "enp175s0f0np0", "uplink-a");
    links.add("ens1f0v0", "enp175s2");
    links.add("enp59s0f0s2", "sf-two");

    DeviceDiscovery.Result r = discovery(false).discoverAll();

    assertThat(altNames(find(r, pf))).containsExactly("enp175s0f0np0", "uplink-a");
    assertThat(altNames(find(r, vf0))).containsExactly("enp175s2");
    assertThat(altNames(find(r, sf))).containsExactly("sf-two");
    assertThat(find(r, vfioVf)).as("no netdev: unchanged").isEqualTo(vfioVf);
    assertThat(find(r, accel)).isEqualTo(accel);
    assertThat(r.devices())
        .extracting(Device::id)
        .containsExactly(PF, VF0, VF1, sf.id(), accel.id());
    assertThat(r.skipped()).isEqualTo(delegate.skipped);
    assertThat(links.dumps).as("one dump per walk").isEqualTo(1);
  }

  @Test
  void onlyTheAltNamesChange() {
    links.add("ens1f0", "alt0");
    PciNetDevice got = find(discovery(false).discoverAll(), pf);
    assertThat(got)
        .isEqualTo(
            pf.withNetdev(Optional.of(pf.netdev().orElseThrow().withAltNames(List.of("alt0")))));
  }

  @Test
  void aNetdevTheDumpDoesNotHaveIsLeftAsItWas() {
    links.add("ens1f0", "alt0");
    // ens1f0v0 moved into a pod (or was renamed) between the sysfs walk and the dump.
    DeviceDiscovery.Result r = discovery(false).discoverAll();
    assertThat(find(r, vf0)).isEqualTo(vf0);
    assertThat(find(r, sf)).isEqualTo(sf);
  }

  @Test
  void whenLinksCannotBeListedTheDelegatesResultComesBackUnchanged() {
    links.failure = new ErrnoException("RTM_GETLINK dump", Errno.EPERM);
    DeviceDiscovery.Result r = discovery(false).discoverAll();
    assertThat(r).isEqualTo(delegate.result());
  }

  @Test
  void aRuntimeFailureListingLinksDoesNotFailTheWalkEither() {
    links.runtimeFailure = new IllegalStateException("netlink unavailable");
    assertThat(discovery(true).discoverAll()).isEqualTo(delegate.result());
  }

  @Test
  void withoutLinksTheDdpProfileIsStillFilled() {
    links.failure = new ErrnoException("RTM_GETLINK dump", Errno.ENOBUFS);
    devlink.add(PF, ICE);
    DeviceDiscovery.Result r = discovery(true).discoverAll();
    assertThat(find(r, pf)).isEqualTo(pf.withDdpProfile(Optional.of(ICE)));
  }

  @Test
  void ddpProfileFromTheDevicesOwnInstanceAndVfsWithoutOneInheritThePfs() {
    devlink.add(PF, ICE);
    DeviceDiscovery.Result r = discovery(true).discoverAll();
    assertThat(find(r, pf).ddpProfile()).contains(ICE);
    assertThat(find(r, vf0).ddpProfile()).contains(ICE);
    assertThat(find(r, vfioVf).ddpProfile()).contains(ICE);
    assertThat(devlink.infoAsked).as("one info per PF per walk").containsExactly("pci/" + PF);
    assertThat(devlink.dumps).isEqualTo(1);
  }

  @Test
  void onlyFunctionsOfDdpDriversAreAsked() {
    // An mlx5 node: the PF and each VF have their own devlink instance; none runs DDP, and an
    // info request per VF per walk would reach the firmware thousands of times.
    PciNetDevice mlxPf =
        withNetdev(TestDevices.net("0000:5e:00.0").driver("mlx5_core").pf(8).build(), "p0");
    PciNetDevice mlxVf =
        withNetdev(
            TestDevices.net("0000:5e:00.2").driver("mlx5_core").vf("0000:5e:00.0", 0, "p0").build(),
            "p0v0");
    delegate.devices = List.of(mlxPf, mlxVf, pf, vf0);
    devlink.add("0000:5e:00.0", "not a DDP package");
    devlink.add("0000:5e:00.2", "not a DDP package");
    devlink.add(PF, ICE);
    DeviceDiscovery.Result r = discovery(true).discoverAll();
    assertThat(find(r, mlxPf).ddpProfile()).isEmpty();
    assertThat(find(r, mlxVf).ddpProfile()).isEmpty();
    assertThat(find(r, vf0).ddpProfile()).contains(ICE);
    assertThat(devlink.infoAsked).containsExactly("pci/" + PF);
  }

  @Test
  void aVfWhosePfIsNotInTheWalkGetsNoProfile() {
    delegate.devices = List.of(vf0);
    devlink.add(PF, ICE);
    assertThat(find(discovery(true).discoverAll(), vf0).ddpProfile()).isEmpty();
    assertThat(devlink.infoAsked).isEmpty();
  }

  @Test
  void eachWalkAsksAgain() {
    devlink.add(PF, ICE);
    NetlinkDetailsDiscovery d = discovery(true);
    d.discoverAll();
    devlink.add(PF, "ICE COMMS Package");
    assertThat(find(d.discoverAll(), pf).ddpProfile()).contains("ICE COMMS Package");
    assertThat(devlink.infoAsked).containsExactly("pci/" + PF, "pci/" + PF);
  }

  @Test
  void noDevlinkFamilyMeansNoProfileAndNoRequest() {
    devlink.add(PF, ICE);
    DeviceDiscovery.Result r = discovery(false).discoverAll();
    assertThat(find(r, pf).ddpProfile()).isEmpty();
    assertThat(devlink.dumps).isZero();
  }

  @Test
  void aProfileTheDelegateFoundIsKeptWhenDevlinkHasNone() {
    PciNetDevice withDdp = pf.withDdpProfile(Optional.of("from ddptool"));
    delegate.devices = List.of(withDdp);
    devlink.add(PF, null);
    assertThat(find(discovery(true).discoverAll(), pf)).isEqualTo(withDdp);
  }

  @Test
  void eopnotsuppFromInfoIsNoProfile() {
    devlink.add(PF, ICE);
    devlink.infoFailure.put(
        "pci/" + PF, new ErrnoException("DEVLINK_CMD_INFO_GET pci/" + PF, Errno.EOPNOTSUPP));
    DeviceDiscovery.Result r = discovery(true).discoverAll();
    assertThat(find(r, pf)).isEqualTo(pf);
    assertThat(find(r, vf0)).isEqualTo(vf0);
  }

  @Test
  void otherDevlinkErrorsKeepTheDeviceWithoutProfileAndAskOncePerWalk() {
    links.add("ens1f0", "alt0");
    devlink.add(PF, ICE);
    devlink.infoFailure.put(
        "pci/" + PF, new ErrnoException("DEVLINK_CMD_INFO_GET pci/" + PF, Errno.EIO));
    DeviceDiscovery.Result r = discovery(true).discoverAll();
    assertThat(find(r, pf).ddpProfile()).isEmpty();
    assertThat(altNames(find(r, pf))).containsExactly("alt0");
    assertThat(find(r, vf0)).isEqualTo(vf0);
    assertThat(devlink.infoAsked).as("a failed PF is not asked again for each VF").hasSize(1);
  }

  @Test
  void aFailedDevlinkDumpMeansNoProfilesAndNoInfoRequests() {
    devlink.add(PF, ICE);
    devlink.dumpFailure = new ErrnoException("DEVLINK_CMD_GET dump", Errno.EPERM);
    DeviceDiscovery.Result r = discovery(true).discoverAll();
    assertThat(r).isEqualTo(delegate.result());
    assertThat(devlink.infoAsked).isEmpty();
  }

  @Test
  void aRuntimeFailureFromDevlinkIsNoProfile() {
    devlink.add(PF, ICE);
    devlink.infoRuntimeFailure = new IllegalArgumentException("devlink handle \"/\": invalid");
    assertThat(find(discovery(true).discoverAll(), pf).ddpProfile()).isEmpty();
  }

  @Test
  void discoverPfEnrichesThatPfsDevices() {
    links.add("ens1f0", "alt0");
    links.add("ens1f0v0", "alt-vf0");
    devlink.add(PF, ICE);
    DeviceDiscovery.Result r = discovery(true).discoverPf(PciAddress.parse(PF));
    assertThat(delegate.pfAsked).containsExactly(PciAddress.parse(PF));
    assertThat(r.devices()).extracting(Device::id).containsExactly(PF, VF0, VF1);
    assertThat(altNames(find(r, pf))).containsExactly("alt0");
    assertThat(altNames(find(r, vf0))).containsExactly("alt-vf0");
    assertThat(find(r, vfioVf).ddpProfile()).contains(ICE);
    assertThat(r.skipped()).isEqualTo(delegate.skipped);
  }

  @Test
  void anEmptyWalkAsksDevlinkNothing() {
    delegate.devices = List.of();
    assertThat(discovery(true).discoverAll()).isEqualTo(delegate.result());
    assertThat(links.dumps).as("the link dump comes before the walk").isOne();
    assertThat(devlink.dumps).isZero();
  }

  @Test
  void eachWalkHandsItsOneDumpToTheDelegate() {
    links.add("ens1f0", "alt0");
    NetlinkDetailsDiscovery d = discovery(false);
    d.discoverAll();
    d.discoverPf(PciAddress.parse(PF));
    d.discoverPf(PciAddress.parse(PF), List.of(PciAddress.parse(VF0)));
    assertThat(links.dumps).as("one dump per walk").isEqualTo(3);
    assertThat(delegate.snapshots).hasSize(3);
    assertThat(delegate.snapshots.get(0).netdev("ens1f0", PF).orElseThrow().altNames())
        .containsExactly("alt0");
    assertThat(delegate.snapshots.get(0).netdev("ens1f0v0", VF0)).as("not in the dump").isEmpty();

    links.failure = new ErrnoException("RTM_GETLINK dump", Errno.ENOBUFS);
    assertThat(d.discoverAll()).isEqualTo(delegate.result());
    assertThat(delegate.snapshots).as("without a dump the delegate walks alone").hasSize(3);
  }

  // ---- fakes --------------------------------------------------------------------------------

  private static final class FakeDiscovery implements DeviceDiscovery {
    List<Device> devices;
    final List<Skipped> skipped = List.of(new Skipped("0000:af:02.7", "physfn: dangling link"));
    final List<PciAddress> pfAsked = new ArrayList<>();
    final List<NetdevSnapshot> snapshots = new ArrayList<>();

    FakeDiscovery(List<Device> devices) {
      this.devices = devices;
    }

    Result result() {
      return new Result(devices, skipped);
    }

    @Override
    public DeviceDiscovery withNetdevs(NetdevSnapshot netdevs) {
      snapshots.add(netdevs);
      return this;
    }

    @Override
    public Result discoverAll() {
      return result();
    }

    @Override
    public Result discoverPf(PciAddress pf) {
      pfAsked.add(pf);
      return new Result(
          devices.stream()
              .filter(d -> d.id().equals(pf.toString()) || d.pfAddress().equals(Optional.of(pf)))
              .toList(),
          skipped);
    }
  }

  private static final class FakeLinks implements LinkOperations {
    final List<Link> links = new ArrayList<>();
    NetlinkException failure;
    RuntimeException runtimeFailure;
    int dumps;

    void add(String name, String... altNames) {
      links.add(
          TestLinks.link(
              links.size() + 1,
              name,
              List.of(altNames),
              io.sriov.core.device.OperState.UP,
              true,
              1500,
              Optional.empty(),
              1,
              6));
    }

    @Override
    public List<Link> links() throws NetlinkException {
      dumps++;
      if (failure != null) {
        throw failure;
      }
      if (runtimeFailure != null) {
        throw runtimeFailure;
      }
      return List.copyOf(links);
    }

    @Override
    public Optional<Link> link(int index) {
      throw new AssertionError("the decorator only dumps");
    }

    @Override
    public Optional<Link> link(String name) {
      throw new AssertionError("the decorator only dumps");
    }

    @Override
    public void setUp(int index, boolean up) {
      throw new AssertionError();
    }

    @Override
    public void setMtu(int index, int mtu) {
      throw new AssertionError();
    }

    @Override
    public void setMac(int index, MacAddress mac) {
      throw new AssertionError();
    }

    @Override
    public void rename(int index, InterfaceName name) {
      throw new AssertionError();
    }

    @Override
    public void addAltName(int index, String altName) {
      throw new AssertionError();
    }

    @Override
    public void deleteAltName(int index, String altName) {
      throw new AssertionError();
    }

    @Override
    public void moveToNamespace(int index, NetNamespace ns) {
      throw new AssertionError();
    }

    @Override
    public void moveToNamespace(int index, java.nio.file.Path ns) {
      throw new AssertionError();
    }

    @Override
    public void moveToNamespace(int index, java.nio.file.Path ns, InterfaceName name) {
      throw new AssertionError();
    }

    @Override
    public Link create(LinkSpec spec) {
      throw new AssertionError();
    }

    @Override
    public void delete(int index) {
      throw new AssertionError();
    }

    @Override
    public void setMaster(int index, int masterIndex) {
      throw new AssertionError();
    }

    @Override
    public void clearMaster(int index) {
      throw new AssertionError();
    }
  }

  private static final class FakeDevlink implements DevlinkOperations {
    /** handle -> fw.app.name (null: an instance without one). */
    final Map<String, String> profiles = new HashMap<>();

    final Map<String, NetlinkException> infoFailure = new HashMap<>();

    /** handle -> enable_rdma. */
    final Map<String, Boolean> params = new HashMap<>();

    final List<String> paramsAsked = new ArrayList<>();
    NetlinkException dumpFailure;
    RuntimeException infoRuntimeFailure;
    final List<String> infoAsked = new ArrayList<>();
    int dumps;

    void add(String pci, String profile) {
      profiles.put("pci/" + pci, profile);
    }

    @Override
    public List<DevlinkHandle> devices() throws NetlinkException {
      dumps++;
      if (dumpFailure != null) {
        throw dumpFailure;
      }
      List<DevlinkHandle> out = new ArrayList<>();
      profiles.keySet().forEach(h -> out.add(new DevlinkHandle("pci", h.substring(4))));
      params.keySet().stream()
          .filter(h -> !profiles.containsKey(h))
          .forEach(
              h ->
                  out.add(
                      new DevlinkHandle(
                          h.substring(0, h.indexOf('/')), h.substring(h.indexOf('/') + 1))));
      return out;
    }

    @Override
    public Optional<Boolean> boolParam(DevlinkHandle handle, String name) {
      paramsAsked.add(handle + " " + name);
      return Optional.ofNullable(name.equals("enable_rdma") ? params.get(handle.toString()) : null);
    }

    @Override
    public Optional<DevlinkInfo> info(DevlinkHandle handle) throws NetlinkException {
      infoAsked.add(handle.toString());
      if (infoFailure.containsKey(handle.toString())) {
        throw infoFailure.get(handle.toString());
      }
      if (infoRuntimeFailure != null) {
        throw infoRuntimeFailure;
      }
      if (!profiles.containsKey(handle.toString())) {
        return Optional.empty();
      }
      String p = profiles.get(handle.toString());
      Map<String, String> running = new HashMap<>();
      running.put("fw.mgmt", "7.3.4");
      if (p != null) {
        running.put("fw.app.name", p);
      }
      return Optional.of(
          new DevlinkInfo(
              handle, Optional.of("ice"), Optional.empty(), Map.of(), running, Map.of()));
    }

    @Override
    public EswitchMode eswitchMode(DevlinkHandle handle) {
      throw new AssertionError();
    }

    @Override
    public void setEswitchMode(DevlinkHandle handle, EswitchMode mode) {
      throw new AssertionError();
    }
  }
}
