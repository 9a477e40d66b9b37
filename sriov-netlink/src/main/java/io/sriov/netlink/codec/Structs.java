package io.sriov.netlink.codec;

import io.sriov.netlink.MalformedMessageException;

final class Structs {
  private Structs() {}

  static void need(String struct, int size, int offset, int end) throws MalformedMessageException {
    if (end - offset < size) {
      throw new MalformedMessageException(
          struct
              + " at offset "
              + offset
              + " needs "
              + size
              + " bytes, message has "
              + Math.max(0, end - offset));
    }
  }
}
