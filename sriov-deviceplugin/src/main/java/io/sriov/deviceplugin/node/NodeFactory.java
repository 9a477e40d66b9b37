package io.sriov.deviceplugin.node;

import io.sriov.deviceplugin.CommandLine;
import java.io.IOException;

/** Opens the node the command line asks for. */
public interface NodeFactory {
  NodeAccess open(CommandLine cmd) throws IOException;
}
