package io.sriov.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * One API call the daemon makes, a line of {@code rbac/api-calls.tsv}: verb, group ({@code core}
 * for the core group), resource (with {@code /subresource}), scope ({@code cluster} or {@code
 * namespace}, the release namespace), why.
 */
record ApiCall(String verb, String group, String resource, boolean clusterScope, String why) {

  static List<ApiCall> parseAll(String text) {
    List<ApiCall> calls = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\t");
      String where = "api call line " + (i + 1) + ": ";
      if (cols.length != 5) {
        throw new IllegalArgumentException(
            where + "needs verb, group, resource, scope, why; got " + cols.length + " columns");
      }
      boolean cluster =
          switch (cols[3]) {
            case "cluster" -> true;
            case "namespace" -> false;
            default ->
                throw new IllegalArgumentException(
                    where + "scope must be cluster or namespace, got \"" + cols[3] + "\"");
          };
      calls.add(new ApiCall(cols[0], cols[1], cols[2], cluster, cols[4]));
    }
    return calls;
  }

  String grant() {
    return grant(group, resource, verb);
  }

  static String grant(String group, String resource, String verb) {
    return group + " " + resource + " " + verb;
  }
}
