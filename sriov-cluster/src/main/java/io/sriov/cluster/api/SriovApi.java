package io.sriov.cluster.api;

import java.util.List;

/** The {@code sriovnetwork.openshift.io/v1} API: group, version and its CRD resources. */
public final class SriovApi {
  private SriovApi() {}

  public static final String GROUP = "sriovnetwork.openshift.io";
  public static final String VERSION = "v1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /**
   * The CRD documents on the class path of this module, one per kind ({@code
   * crds/sriovnetwork.openshift.io_<plural>.yaml}); the chart's {@code crds/} copies them.
   */
  public static final List<String> CRD_RESOURCES =
      List.of(
          "crds/sriovnetwork.openshift.io_sriovnetworknodepolicies.yaml",
          "crds/sriovnetwork.openshift.io_sriovnetworknodestates.yaml",
          "crds/sriovnetwork.openshift.io_sriovnetworks.yaml",
          "crds/sriovnetwork.openshift.io_sriovibnetworks.yaml",
          "crds/sriovnetwork.openshift.io_ovsnetworks.yaml",
          "crds/sriovnetwork.openshift.io_sriovnetworkpoolconfigs.yaml",
          "crds/sriovnetwork.openshift.io_sriovoperatorconfigs.yaml");
}
