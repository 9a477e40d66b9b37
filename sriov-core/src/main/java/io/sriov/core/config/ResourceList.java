package io.sriov.core.config;

import java.util.List;

/**
 * A parsed device-plugin configuration.
 *
 * @param resources the pools in file order (the order decides which pool gets a device). May be
 *     empty: the parser does not reject an empty {@code resourceList}, the caller decides (upstream
 *     exits with "no resource configuration").
 * @param warnings things that upstream silently ignores and we accept but report, each naming its
 *     path ({@code resourceList[0].selectors.vendor: unknown key, ignored})
 */
public record ResourceList(List<ResourceConfig> resources, List<String> warnings) {
  public ResourceList {
    resources = List.copyOf(resources);
    warnings = List.copyOf(warnings);
  }

  public boolean isEmpty() {
    return resources.isEmpty();
  }
}
