package io.sriov.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code spec} of the {@code default} {@link SriovOperatorConfig} (every upstream field). The
 * daemons read {@code configDaemonNodeSelector}, {@code disableDrain}, {@code logLevel}, {@code
 * featureGates} and {@code useCDI}; the rest is kept for compatibility.
 *
 * @param logLevel 0-2
 * @param configurationMode {@code daemon} or {@code systemd}
 * @param disablePlugins plugin names ({@code mellanox})
 * @param featureGates e.g. {@code parallelNicConfig: true}
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record SriovOperatorConfigSpec(
    Map<String, String> configDaemonNodeSelector,
    boolean enableInjector,
    boolean enableOperatorWebhook,
    int logLevel,
    boolean disableDrain,
    boolean enableOvsOffload,
    String configurationMode,
    @JsonProperty("useCDI") boolean useCDI,
    List<String> disablePlugins,
    Map<String, Boolean> featureGates,
    Map<String, String> configDaemonEnvVars) {

  public SriovOperatorConfigSpec {
    configDaemonNodeSelector = GoZero.map(configDaemonNodeSelector);
    configurationMode = GoZero.string(configurationMode);
    disablePlugins = GoZero.list(disablePlugins);
    featureGates = GoZero.map(featureGates);
    configDaemonEnvVars = GoZero.map(configDaemonEnvVars);
  }
}
