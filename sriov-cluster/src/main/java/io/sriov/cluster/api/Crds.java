package io.sriov.cluster.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Loads the module's CRD documents ({@link SriovApi#CRD_RESOURCES}) from the class path. */
public final class Crds {
  private Crds() {}

  /** Every CRD of the {@code sriovnetwork.openshift.io/v1} API, parsed. */
  public static List<CustomResourceDefinition> load() {
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<CustomResourceDefinition> out = new ArrayList<>();
    for (String resource : SriovApi.CRD_RESOURCES) {
      try (InputStream in = Crds.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("CRD resource missing from the class path: " + resource);
        }
        out.add(serialization.unmarshal(in, CustomResourceDefinition.class));
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + resource, e);
      }
    }
    return List.copyOf(out);
  }
}
