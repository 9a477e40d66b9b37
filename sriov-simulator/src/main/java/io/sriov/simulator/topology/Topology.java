package io.sriov.simulator.topology;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * What a simulated node has: its physical functions (NIC ports and accelerators) and how many VFs
 * each starts with. Loaded from a small YAML file (see {@code builtin-topology.yaml} next to this
 * class for the format); {@link #builtIn()} resembles a real server. This describes a SIMULATION.
 */
public record Topology(String name, List<Pf> pfs) {

  public Topology {
    name = name == null || name.isBlank() ? "simulated-node" : name;
    pfs = pfs == null ? List.of() : List.copyOf(pfs);
    Set<PciAddress> seen = new HashSet<>();
    Set<String> netdevs = new HashSet<>();
    for (Pf pf : pfs) {
      if (!seen.add(pf.address())) {
        throw new InvalidTopologyException("topology: PF " + pf.address() + " listed twice");
      }
      if (pf.netdev() != null && !netdevs.add(pf.netdev().value())) {
        throw new InvalidTopologyException("topology: netdev " + pf.netdev() + " used twice");
      }
    }
  }

  /**
   * One physical function.
   *
   * @param deviceClass the 24-bit PCI class, {@code "0x020000"} (Ethernet, the default) or {@code
   *     "0x120000"} (processing accelerator)
   * @param netdev the PF's netdev name; omit for accelerators
   * @param linkType {@code ether} (default) or {@code infiniband}
   * @param rdma whether the PF and its VFs have RDMA devices ({@code mlx5_N})
   * @param switchId {@code phys_switch_id} of the PF netdev, when the NIC reports one
   * @param firstVf address of VF 0; default: bus {@code pf.bus + 1 + pf.function}, device 0
   * @param subFunctions number of auxiliary sub-functions ({@code <driver>.sf.N}) under the PF
   */
  public record Pf(
      PciAddress address,
      PciId vendor,
      PciId device,
      PciId vfDevice,
      @JsonProperty("class") String deviceClass,
      DriverName driver,
      DriverName vfDriver,
      Integer totalVfs,
      Integer numVfs,
      InterfaceName netdev,
      Integer mtu,
      Integer numaNode,
      Integer speedMbps,
      String linkType,
      Boolean rdma,
      String switchId,
      PciAddress firstVf,
      Integer subFunctions) {

    public Pf {
      Objects.requireNonNull(address, "pf address");
      String where = "topology: PF " + address + ": ";
      if (vendor == null || device == null) {
        throw new InvalidTopologyException(where + "vendor and device are required");
      }
      vfDevice = vfDevice == null ? device : vfDevice;
      deviceClass = deviceClass == null ? "0x020000" : deviceClass;
      if (!deviceClass.matches("0x[0-9a-fA-F]{6}")) {
        throw new InvalidTopologyException(
            where + "class \"" + deviceClass + "\" must look like 0x020000");
      }
      if (driver == null) {
        throw new InvalidTopologyException(where + "driver is required");
      }
      vfDriver = vfDriver == null ? driver : vfDriver;
      totalVfs = totalVfs == null ? 0 : totalVfs;
      numVfs = numVfs == null ? 0 : numVfs;
      if (totalVfs < 0 || totalVfs > 256 * 8) {
        throw new InvalidTopologyException(where + "totalVfs must be 0-2048, got " + totalVfs);
      }
      if (numVfs < 0 || numVfs > totalVfs) {
        throw new InvalidTopologyException(
            where + "numVfs " + numVfs + " must be between 0 and totalVfs " + totalVfs);
      }
      mtu = mtu == null ? 1500 : mtu;
      if (mtu < 68 || mtu > 65535) {
        throw new InvalidTopologyException(where + "mtu must be 68-65535, got " + mtu);
      }
      numaNode = numaNode == null ? -1 : numaNode;
      speedMbps = speedMbps == null ? 25000 : speedMbps;
      linkType = linkType == null ? "ether" : linkType;
      if (!linkType.equals("ether") && !linkType.equals("infiniband")) {
        throw new InvalidTopologyException(
            where + "linkType \"" + linkType + "\" must be ether or infiniband");
      }
      rdma = rdma != null && rdma;
      subFunctions = subFunctions == null ? 0 : subFunctions;
      if (subFunctions < 0 || subFunctions > 64) {
        throw new InvalidTopologyException(where + "subFunctions must be 0-64");
      }
      int baseClass = Integer.parseInt(deviceClass.substring(2), 16) >> 16;
      if (baseClass == 0x02 && netdev == null) {
        throw new InvalidTopologyException(where + "a network PF needs a netdev name");
      }
      if (netdev != null && netdev.value().length() > 11) {
        throw new InvalidTopologyException(
            where
                + "netdev \""
                + netdev
                + "\" must be at most 11 characters (VF names append v<N>)");
      }
      if (firstVf == null) {
        int bus = address.bus() + 1 + address.function();
        if (bus > 0xff) {
          throw new InvalidTopologyException(where + "no room for VFs after bus 0xff; set firstVf");
        }
        firstVf = new PciAddress(address.domain(), bus, 0, 0);
      }
    }

    /** The 24-bit class code. */
    public int classCode() {
      return Integer.parseInt(deviceClass.substring(2), 16);
    }

    /** Address of VF {@code i}: consecutive routing IDs from {@link #firstVf()}. */
    public PciAddress vfAddress(int i) {
      int routing = (firstVf.bus() << 8 | firstVf.device() << 3 | firstVf.function()) + i;
      if (routing > 0xffff) {
        throw new InvalidTopologyException(
            "topology: PF " + address + ": VF " + i + " would lie beyond bus ff");
      }
      return new PciAddress(firstVf.domain(), routing >> 8, (routing >> 3) & 0x1f, routing & 7);
    }

    public boolean network() {
      return classCode() >> 16 == 0x02;
    }
  }

  /** A topology file that does not describe a valid node; the message says where and what. */
  public static final class InvalidTopologyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidTopologyException(String message) {
      super(message);
    }

    public InvalidTopologyException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Reads a topology YAML file. */
  public static Topology load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.toString());
    }
  }

  /** The built-in topology: two E810 ports, a ConnectX-6 Dx with RDMA, a QAT-like accelerator. */
  public static Topology builtIn() {
    try (InputStream in = Topology.class.getResourceAsStream("builtin-topology.yaml")) {
      if (in == null) {
        throw new IllegalStateException("builtin-topology.yaml missing from the jar");
      }
      return parse(in, "builtin-topology.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A generated topology of {@code pfCount} Intel E810-like PFs ({@code 0000:10:00.0} ...) with
   * {@code numVfs} VFs each, for benchmarks and scale tests.
   */
  public static Topology scale(int pfCount, int numVfs) {
    if (pfCount < 1 || pfCount > 8) {
      throw new IllegalArgumentException("pfCount must be 1-8: " + pfCount);
    }
    List<Pf> pfs = new java.util.ArrayList<>();
    for (int i = 0; i < pfCount; i++) {
      pfs.add(
          new Pf(
              new PciAddress(0, 0x10, 0, i),
              PciId.parse("8086"),
              PciId.parse("159b"),
              PciId.parse("1889"),
              "0x020000",
              DriverName.of("ice"),
              DriverName.of("iavf"),
              256,
              numVfs,
              InterfaceName.of("ens1f" + i),
              1500,
              i % 2,
              25000,
              "ether",
              false,
              null,
              null,
              0));
    }
    return new Topology("scale-" + pfCount + "x" + numVfs, pfs);
  }

  static Topology parse(InputStream in, String source) throws IOException {
    SimpleModule values = new SimpleModule("sriov-values");
    values.addDeserializer(PciAddress.class, fromString(PciAddress.class, PciAddress::parse));
    values.addDeserializer(PciId.class, fromString(PciId.class, PciId::parse));
    values.addDeserializer(DriverName.class, fromString(DriverName.class, DriverName::of));
    values.addDeserializer(InterfaceName.class, fromString(InterfaceName.class, InterfaceName::of));
    ObjectMapper mapper =
        new ObjectMapper(new YAMLFactory())
            .registerModule(values)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (text.isBlank()) {
      throw new InvalidTopologyException("topology " + source + ": empty file");
    }
    try {
      Topology t = mapper.readValue(text, Topology.class);
      if (t == null) {
        throw new InvalidTopologyException("topology " + source + ": empty file");
      }
      return t;
    } catch (JsonMappingException e) {
      Throwable c = e.getCause();
      String what;
      if (e instanceof UnrecognizedPropertyException u) {
        what = "unknown key \"" + u.getPropertyName() + "\"";
      } else if (c instanceof IllegalArgumentException) {
        what = c.getMessage();
      } else {
        what = e.getOriginalMessage();
      }
      throw new InvalidTopologyException("topology " + source + ": " + path(e) + what, e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidTopologyException(
          "topology " + source + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
  }

  /** {@code pfs[0].vendor: } from Jackson's reference chain; empty at the top level. */
  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (!b.isEmpty()) {
          b.append('.');
        }
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.isEmpty() ? "" : b + ": ";
  }

  private static <T> FromStringDeserializer<T> fromString(
      Class<T> type, Function<String, T> parser) {
    return new FromStringDeserializer<>(type) {
      private static final long serialVersionUID = 1L;

      @Override
      protected T _deserialize(String value, DeserializationContext ctxt) {
        return parser.apply(value);
      }

      @Override
      public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        try {
          return super.deserialize(p, ctxt);
        } catch (InvalidValueException e) {
          throw JsonMappingException.from(p, e.getMessage(), e);
        }
      }
    };
  }
}
