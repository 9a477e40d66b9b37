package io.sriov.cni.server.wire;

import java.io.IOException;

/** A frame that breaks the wire protocol; the message says how, for the peer and the log. */
public class MalformedFrameException extends IOException {
  private static final long serialVersionUID = 1L;

  public MalformedFrameException(String message) {
    super(message);
  }
}
