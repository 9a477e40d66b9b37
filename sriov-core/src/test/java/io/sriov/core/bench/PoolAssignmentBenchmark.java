package io.sriov.core.bench;

import static io.sriov.core.testing.TestDevices.aux;
import static io.sriov.core.testing.TestDevices.net;

import io.sriov.core.config.ResourceConfigParser;
import io.sriov.core.config.ResourceList;
import io.sriov.core.device.Device;
import io.sriov.core.pool.PoolAssigner;
import io.sriov.core.resource.ResourcePrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the device plugin does on every (re)configuration: parse the resource list and distribute a
 * node's devices over it. The node: 8 PFs x 64 VFs (512 VFs, Intel and Mellanox) plus 64 SFs; the
 * config: 10 pools with pfNames ranges, rootDevices, drivers and a catch-all, so most devices are
 * tried against most selectors before they find their pool.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PoolAssignmentBenchmark {

  static final String CONFIG =
      """
      {"resourceList": [
        {"resourceName": "pf0_low", "selectors": {"pfNames": ["ens1f0#0-15"]}},
        {"resourceName": "pf0_high", "selectors": {"pfNames": ["ens1f0#16-63"], "drivers": ["vfio-pci"]}},
        {"resourceName": "pf1", "selectors": [{"pfNames": ["ens1f1#0,2-7,9"]}, {"rootDevices": ["0000:3b:00.1#10-63"]}]},
        {"resourceName": "pf2_dpdk", "selectors": {"vendors": ["8086"], "drivers": ["vfio-pci"], "pfNames": ["ens2f0"]}},
        {"resourceName": "pf3", "selectors": {"rootDevices": ["0000:5e:00.1"]}},
        {"resourceName": "mlx_rdma", "resourcePrefix": "nvidia.com", "selectors": {"vendors": ["15b3"], "isRdma": true}},
        {"resourceName": "mlx_vdpa", "resourcePrefix": "nvidia.com", "selectors": {"vendors": ["15b3"], "vdpaType": "vhost"}},
        {"resourceName": "sf", "resourcePrefix": "nvidia.com", "deviceType": "auxNetDevice", "selectors": {"auxTypes": ["sf"], "pfNames": ["p0#0-31"]}},
        {"resourceName": "sf_rest", "resourcePrefix": "nvidia.com", "deviceType": "auxNetDevice", "selectors": {}},
        {"resourceName": "rest", "selectors": {}}
      ]}
      """;

  private final ResourceConfigParser parser = new ResourceConfigParser();
  private final PoolAssigner assigner = new PoolAssigner();
  private ResourceList config;
  private List<Device> devices;

  @Setup
  public void setUp() {
    config = parser.parse(CONFIG, "bench", ResourcePrefix.INTEL);
    devices = node();
  }

  static List<Device> node() {
    List<Device> out = new ArrayList<>();
    String[][] pfs = {
      {"0000:3b:00.0", "ens1f0", "8086"}, {"0000:3b:00.1", "ens1f1", "8086"},
      {"0000:3c:00.0", "ens2f0", "8086"}, {"0000:3c:00.1", "ens2f1", "8086"},
      {"0000:5e:00.0", "enp94s0f0", "15b3"}, {"0000:5e:00.1", "enp94s0f1", "15b3"},
      {"0000:af:00.0", "ens5f0", "15b3"}, {"0000:af:00.1", "ens5f1", "15b3"},
    };
    for (int p = 0; p < pfs.length; p++) {
      for (int vf = 0; vf < 64; vf++) {
        int bus = 0x60 + p;
        String addr = String.format("0000:%02x:%02x.%x", bus, vf / 8, vf % 8);
        var b = net(addr).ids(pfs[p][2], "1018").driver(vf % 3 == 0 ? "vfio-pci" : "iavf");
        b.vf(pfs[p][0], vf, pfs[p][1]);
        if (pfs[p][2].equals("15b3") && vf % 2 == 0) {
          b.rdma("mlx5_" + vf);
        }
        out.add(b.build());
      }
    }
    for (int sf = 0; sf < 64; sf++) {
      out.add(aux("mlx5_core.sf." + sf, "0000:5e:00.0", sf < 32 ? "p0" : "p1", sf, false));
    }
    return out;
  }

  @Benchmark
  public Object parseConfig() {
    return parser.parse(CONFIG, "bench", ResourcePrefix.INTEL);
  }

  @Benchmark
  public Object assign576Devices() {
    return assigner.assignWithSelectors(config, devices);
  }
}
