package io.sriov.cni.sriov;

import io.sriov.netlink.route.NamespaceVisit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Per-namespace sysctls ({@code ip netns exec NS sysctl -w net.ipv4.conf.IF.arp_notify=1}): the
 * plugin turns on gratuitous ARP and unsolicited neighbour advertisements for the VF in the pod.
 * {@link KernelNetnsSysctls} writes {@code /proc/sys} from a thread inside the namespace.
 */
public interface NetnsSysctls {

  /**
   * Writes {@code value} to {@code /proc/sys/<key>} as seen in {@code netns} ({@code key} like
   * {@code net/ipv4/conf/net1/arp_notify}).
   *
   * @return false when the key does not exist there (IPv6 disabled in the pod, say)
   * @throws java.io.UncheckedIOException any other failure
   */
  boolean write(Path netns, String key, String value);

  /**
   * As {@link #writeAll(Path, SequencedMap)}, in the namespace of {@code visit}: {@link
   * KernelNetnsSysctls} writes on the visit's thread, already inside, instead of entering the
   * namespace on a thread of its own.
   */
  default List<String> writeAll(NamespaceVisit visit, SequencedMap<String, String> keyValues) {
    return writeAll(visit.namespace(), keyValues);
  }

  /**
   * As {@link #writeAll(NamespaceVisit, SequencedMap)}, begun without waiting: {@link
   * KernelNetnsSysctls} hands the writes to the visit's thread and the caller works beside them
   * until {@link Writes#await}. This default writes at once.
   */
  default Writes writeAllLater(NamespaceVisit visit, SequencedMap<String, String> keyValues) {
    List<String> missing = writeAll(visit, keyValues);
    return () -> missing;
  }

  /** Writes under way ({@link #writeAllLater}). */
  @FunctionalInterface
  interface Writes {
    /**
     * Waits for them.
     *
     * @return the keys that do not exist there
     * @throws java.io.UncheckedIOException any other failure, as {@link #writeAll} throws it
     */
    List<String> await();
  }

  /**
   * Writes each of {@code keyValues} in its order, as {@link #write} does, stopping at the first
   * failure; {@link KernelNetnsSysctls} enters the namespace once for all of them.
   *
   * @return the keys that do not exist there
   * @throws java.io.UncheckedIOException any other failure
   */
  default List<String> writeAll(Path netns, SequencedMap<String, String> keyValues) {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, String> e : keyValues.entrySet()) {
      if (!write(netns, e.getKey(), e.getValue())) {
        missing.add(e.getKey());
      }
    }
    return missing;
  }
}
