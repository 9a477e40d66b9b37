package io.sriov.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * One API call the daemons made at the cluster-in-a-JVM's API server, a line of sriov-cluster's
 * {@code target/api-calls/<suite>.tsv} (written by its test harness, {@code ApiCallLog}): verb,
 * group ({@code core} for the core group), resource, subresource ({@code -}: none), scope ({@code
 * cluster}: a cluster-scoped object or all namespaces; {@code own-namespace}: the daemon's, the
 * release namespace; {@code other-namespace}).
 */
record ApiCall(String verb, String group, String resource, String subresource, Scope scope) {

  enum Scope {
    CLUSTER,
    OWN_NAMESPACE,
    OTHER_NAMESPACE
  }

  static List<ApiCall> parseAll(String source, String text) {
    return parse(source, text, false);
  }

  /** {@code rbac/unrecorded-calls.tsv}: a record's columns and a reason; {@code #} comments. */
  static List<ApiCall> parseUnrecorded(String text) {
    return parse("rbac/unrecorded-calls.tsv", text, true);
  }

  private static List<ApiCall> parse(String source, String text, boolean withReason) {
    List<ApiCall> calls = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    int columns = withReason ? 6 : 5;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || (withReason && line.startsWith("#"))) {
        continue;
      }
      String[] cols = line.split("\t");
      String where = source + " line " + (i + 1) + ": ";
      if (cols.length != columns || (withReason && cols[5].isBlank())) {
        throw new IllegalArgumentException(
            where
                + "needs verb, group, resource, subresource, scope"
                + (withReason ? ", why" : "")
                + "; got "
                + cols.length
                + " columns");
      }
      Scope scope =
          switch (cols[4]) {
            case "cluster" -> Scope.CLUSTER;
            case "own-namespace" -> Scope.OWN_NAMESPACE;
            case "other-namespace" -> Scope.OTHER_NAMESPACE;
            default ->
                throw new IllegalArgumentException(
                    where
                        + "scope must be cluster, own-namespace or other-namespace, got \""
                        + cols[4]
                        + "\"");
          };
      calls.add(new ApiCall(cols[0], cols[1], cols[2], cols[3], scope));
    }
    return calls;
  }

  /** Only a ClusterRole grants it (a Role grants calls in the release namespace). */
  boolean needsClusterRole() {
    return scope != Scope.OWN_NAMESPACE;
  }

  /** The RBAC resource: {@code pods/eviction}. */
  String rbacResource() {
    return subresource.equals("-") ? resource : resource + "/" + subresource;
  }

  String grant() {
    return grant(group, rbacResource(), verb);
  }

  static String grant(String group, String resource, String verb) {
    return group + " " + resource + " " + verb;
  }
}
