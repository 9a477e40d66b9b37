package io.sriov.chart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The chart's {@code crds/} against the one source of the CRDs, sriov-cluster's resources: the same
 * file names, byte for byte. Each difference is one line naming the file.
 */
final class CrdSync {
  private CrdSync() {}

  static List<String> differences(Path chartCrds, Path moduleCrds) throws IOException {
    TreeSet<String> names = new TreeSet<>(yamlNames(chartCrds));
    names.addAll(yamlNames(moduleCrds));
    List<String> out = new ArrayList<>();
    for (String name : names) {
      Path chart = chartCrds.resolve(name);
      Path module = moduleCrds.resolve(name);
      if (!Files.exists(chart)) {
        out.add(chart + " is missing (" + module + " has it)");
      } else if (!Files.exists(module)) {
        out.add(chart + " is not one of " + moduleCrds + "'s CRDs");
      } else if (!Arrays.equals(Files.readAllBytes(chart), Files.readAllBytes(module))) {
        out.add(chart + " differs from " + module);
      }
    }
    return out;
  }

  private static List<String> yamlNames(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("CRD directory " + dir + " does not exist");
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
          .toList();
    }
  }
}
