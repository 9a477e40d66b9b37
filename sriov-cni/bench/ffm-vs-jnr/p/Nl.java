// Throwaway measurement for sriov-cni/bench/ffm-vs-jnr/run.sh (not part of the build).
package p;
import java.nio.*;
/** Shared: build RTM_GETLINK for ifindex 1 (lo), parse the answer's IFLA_IFNAME. */
final class Nl {
  static ByteBuffer request() {
    ByteBuffer b = ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder());
    b.putInt(32).putShort((short) 18).putShort((short) 1).putInt(1).putInt(0); // nlmsghdr: RTM_GETLINK, NLM_F_REQUEST
    b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(1).putInt(0).putInt(0); // ifinfomsg idx 1
    return b.flip();
  }
  static String name(ByteBuffer r, int n) {
    r.order(ByteOrder.nativeOrder());
    int type = r.getShort(4);
    if (type != 16) throw new IllegalStateException("type " + type);
    int off = 16 + 16;
    while (off + 4 <= n) {
      int len = r.getShort(off) & 0xffff, t = r.getShort(off + 2) & 0xffff;
      if (len < 4) break;
      if (t == 3) { byte[] s = new byte[len - 5]; r.get(off + 4, s); return new String(s); }
      off += (len + 3) & ~3;
    }
    throw new IllegalStateException("no name");
  }
}
