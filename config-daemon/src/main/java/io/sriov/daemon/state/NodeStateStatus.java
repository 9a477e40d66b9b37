package io.sriov.daemon.state;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code status} of a {@code SriovNetworkNodeState}.
 *
 * @param interfaces {@code interfaces[]}: every SR-IOV PF the daemon sees, with its VFs
 * @param syncStatus {@code syncStatus}: {@link SyncStatus#wireName()} or empty
 * @param lastSyncError {@code lastSyncError}, empty when the last sync succeeded
 * @param bridges {@code bridges}, kept as read
 * @param system {@code system}, kept as read
 * @param conditions {@code conditions}, kept as read (written by the cluster side)
 */
@JsonSerialize(using = NodeStateJson.StatusSerializer.class)
@JsonDeserialize(using = NodeStateJson.StatusDeserializer.class)
public record NodeStateStatus(
    List<InterfaceStatus> interfaces,
    String syncStatus,
    String lastSyncError,
    Map<String, Object> bridges,
    Map<String, Object> system,
    List<Object> conditions) {

  public static final NodeStateStatus EMPTY =
      new NodeStateStatus(List.of(), "", "", Map.of(), Map.of(), List.of());

  public NodeStateStatus {
    interfaces = List.copyOf(interfaces);
    Objects.requireNonNull(syncStatus, "syncStatus");
    Objects.requireNonNull(lastSyncError, "lastSyncError");
    bridges = Map.copyOf(bridges);
    system = Map.copyOf(system);
    conditions = List.copyOf(conditions);
  }

  /** A status with these interfaces and sync result (bridges, system, conditions empty). */
  public static NodeStateStatus of(
      List<InterfaceStatus> interfaces, SyncStatus sync, String lastSyncError) {
    return new NodeStateStatus(
        interfaces, sync.wireName(), lastSyncError, Map.of(), Map.of(), List.of());
  }
}
