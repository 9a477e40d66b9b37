package io.sriov.cluster.api;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code SriovOperatorConfig}: cluster-wide settings; only the object named {@link #DEFAULT_NAME}
 * in the daemons' namespace is used.
 */
@Group(SriovApi.GROUP)
@Version(SriovApi.VERSION)
@Kind("SriovOperatorConfig")
@Plural("sriovoperatorconfigs")
public final class SriovOperatorConfig
    extends CustomResource<SriovOperatorConfigSpec, SriovOperatorConfigStatus>
    implements Namespaced {
  private static final long serialVersionUID = 1L;

  /**
   * The only name upstream accepts (its webhook rejects others); the daemons read only this one.
   */
  public static final String DEFAULT_NAME = "default";
}
