package io.sriov.deviceplugin.allocate;

import io.sriov.core.value.InvalidValueException;
import io.sriov.deviceplugin.api.v1beta1.ContainerAllocateResponse;
import io.sriov.deviceplugin.api.v1beta1.DeviceSpec;
import io.sriov.sysfs.devnode.DeviceNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one container's device IDs into kubelet's answer: the {@code PCIDEVICE_*} env vars, and
 * either de-duplicated DeviceSpecs or (CDI mode) CDI annotations. Pure: it touches no file.
 */
public final class Allocator {
  /** Annotation key prefix of the CDI annotation protocol. */
  public static final String CDI_ANNOTATION_PREFIX = "cdi.k8s.io/";

  private final boolean useCdi;

  public Allocator(boolean useCdi) {
    this.useCdi = useCdi;
  }

  /**
   * Checks one container request: every ID known to the pool, none twice.
   *
   * @return the prepared devices in request order
   * @throws InvalidAllocationException naming the first bad ID
   */
  public List<PreparedDevice> resolve(PreparedPool pool, List<String> ids) {
    return resolve(pool, ids, new HashSet<>());
  }

  /**
   * Checks a whole request: every ID known to the pool, none twice in one container nor in two
   * containers (one device cannot go to two containers).
   *
   * @return per container, the prepared devices in request order
   * @throws InvalidAllocationException naming the first bad ID
   */
  public List<List<PreparedDevice>> resolveAll(PreparedPool pool, List<List<String>> containers) {
    Set<String> seen = new HashSet<>();
    List<List<PreparedDevice>> out = new ArrayList<>(containers.size());
    for (List<String> ids : containers) {
      out.add(resolve(pool, ids, seen));
    }
    return out;
  }

  /**
   * IDs come from the peer: in messages they are quoted with control characters escaped and cut
   * after 80 characters, so an ID can neither forge a log line nor blow up the status trailer.
   */
  private static List<PreparedDevice> resolve(
      PreparedPool pool, List<String> ids, Set<String> seen) {
    List<PreparedDevice> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      PreparedDevice d = pool.devices().get(id);
      if (d == null) {
        throw new InvalidAllocationException(
            "device "
                + InvalidValueException.quote(id)
                + " is not in resource "
                + pool.spec().fullName());
      }
      if (!seen.add(id)) {
        throw new InvalidAllocationException(
            "device "
                + InvalidValueException.quote(id)
                + " is requested twice for resource "
                + pool.spec().fullName());
      }
      out.add(d);
    }
    return out;
  }

  /** Builds the response for devices already checked by {@link #resolve}. */
  public ContainerAllocateResponse respond(PreparedPool pool, List<PreparedDevice> devices) {
    ContainerAllocateResponse.Builder b = ContainerAllocateResponse.newBuilder();
    StringBuilder ids = new StringBuilder();
    PreparedDevice[] sorted = devices.toArray(new PreparedDevice[0]);
    for (int i = 0; i < sorted.length; i++) {
      if (i > 0) {
        ids.append(',');
      }
      ids.append(sorted[i].id());
    }
    // The _INFO object's keys are sorted, as upstream's (Go map) JSON is.
    Arrays.sort(sorted, (x, y) -> x.id().compareTo(y.id()));
    StringBuilder info = new StringBuilder(64 * sorted.length + 2).append('{');
    for (int i = 0; i < sorted.length; i++) {
      if (i > 0) {
        info.append(',');
      }
      info.append(sorted[i].infoEntry());
    }
    info.append('}');
    b.putEnvs(pool.envName(), ids.toString());
    b.putEnvs(pool.infoEnvName(), info.toString());
    if (useCdi) {
      StringBuilder names = new StringBuilder();
      String kind = pool.spec().prefix() + "/" + pool.spec().kind().cdiKind();
      for (int i = 0; i < devices.size(); i++) {
        if (i > 0) {
          names.append(',');
        }
        names.append(kind).append('=').append(devices.get(i).id());
      }
      b.putAnnotations(cdiAnnotationKey(pool), names.toString());
    } else {
      Map<String, DeviceNode> byHost = new LinkedHashMap<>();
      for (PreparedDevice d : devices) {
        for (DeviceNode n : d.nodes()) {
          byHost.putIfAbsent(n.hostPath().toString(), n);
        }
      }
      for (DeviceNode n : byHost.values()) {
        b.addDevices(
            DeviceSpec.newBuilder()
                .setHostPath(n.hostPath().toString())
                .setContainerPath(n.containerPath().toString())
                .setPermissions(n.permissions()));
      }
    }
    return b.build();
  }

  /** {@code cdi.k8s.io/<prefix>_<kind>}, the CDI annotation key for the pool's devices. */
  public static String cdiAnnotationKey(PreparedPool pool) {
    return CDI_ANNOTATION_PREFIX + pool.spec().prefix() + "_" + pool.spec().kind().cdiKind();
  }
}
