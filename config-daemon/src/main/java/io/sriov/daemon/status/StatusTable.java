package io.sriov.daemon.status;

import io.sriov.daemon.state.InterfaceStatus;
import io.sriov.daemon.state.NodeStateStatus;
import io.sriov.daemon.state.VfStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The status as a readable table: one row per PF, its VFs indented below, then the sync result.
 *
 * <pre>
 * PF            NAME    DRIVER  ID         LINK  SPEED       MTU   VFS      ESWITCH  EXTERNAL
 * 0000:3b:00.0  ens1f0  ice     8086:159b  up    25000 Mb/s  1500  4/256    legacy   no
 *   VF 0  0000:3b:01.0  ens1f0v0  iavf  mtu 1500  mac 02:...
 * sync: Succeeded
 * </pre>
 */
public final class StatusTable {

  public String render(NodeStateStatus status) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "PF", "NAME", "DRIVER", "ID", "LINK", "SPEED", "MTU", "VFS", "ESWITCH", "EXTERNAL"
        });
    for (InterfaceStatus i : status.interfaces()) {
      rows.add(
          new String[] {
            i.pciAddress(),
            dash(i.name()),
            dash(i.driver()),
            i.vendor() + ":" + i.deviceID(),
            dash(i.linkAdminState()),
            dash(i.linkSpeed()),
            i.mtu() == 0 ? "-" : Integer.toString(i.mtu()),
            i.numVfs() + "/" + i.totalvfs(),
            dash(i.eSwitchMode()),
            i.externallyManaged() ? "yes" : "no"
          });
    }
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int c = 0; c < r.length; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      line(b, rows.get(r), width);
      if (r > 0) {
        for (VfStatus vf : status.interfaces().get(r - 1).vfs()) {
          b.append("  VF ")
              .append(vf.vfID())
              .append("  ")
              .append(vf.pciAddress())
              .append("  ")
              .append(dash(vf.name()))
              .append("  ")
              .append(dash(vf.driver()));
          if (vf.mtu() != 0) {
            b.append("  mtu ").append(vf.mtu());
          }
          if (!vf.mac().isEmpty()) {
            b.append("  mac ").append(vf.mac());
          }
          if (vf.vlan() != 0) {
            b.append("  vlan ").append(vf.vlan());
          }
          b.append('\n');
        }
      }
    }
    b.append("sync: ").append(dash(status.syncStatus()));
    if (!status.lastSyncError().isEmpty()) {
      b.append("  last error: ").append(status.lastSyncError());
    }
    return b.append('\n').toString();
  }

  private static void line(StringBuilder b, String[] cells, int[] width) {
    StringBuilder l = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      l.append(cells[c]);
      if (c < cells.length - 1) {
        l.append(" ".repeat(width[c] - cells[c].length() + 2));
      }
    }
    b.append(l.toString().stripTrailing()).append('\n');
  }

  private static String dash(String s) {
    return s.isEmpty() ? "-" : s;
  }
}
