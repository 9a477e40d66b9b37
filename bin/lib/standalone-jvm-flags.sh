# Sourced by the standalone CNI plugins' launchers (bin/cni/sriov, bin/cni/bond): reads the
# standalone plugins' one list of JVM flags, cni-plugin's standalone-jvm.flags (node-image's host
# launchers read the same file through StandaloneJvmFlags; it says why each flag is there).
# Usage: standalone_jvm_flags <checkout top> <JDK feature version>; appends to the array `common`.
# A line "NN+ flag" applies from JDK NN on; '#' lines and blank lines are skipped.
standalone_jvm_flags() {
  local word flag
  while read -r word flag; do
    case "$word" in
      '' | '#'*) ;;
      *+) if [ "${2:-0}" -ge "${word%+}" ]; then common+=("$flag"); fi ;;
      *) common+=("$word") ;;
    esac
  done <"$1/cni-plugin/src/main/resources/io/sriov/cni/plugin/standalone-jvm.flags"
}
