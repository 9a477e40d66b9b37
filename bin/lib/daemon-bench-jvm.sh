# Sourced by the benches that run a main beside the node daemon's classes in its JVM
# (cni-server/bench/spawn-bench.sh, sriov-os/bench/atomic-files-bench.sh); needs $top, the
# checkout. Sets jar (config-daemon-app's jar, built with package), jdk, opts (daemon-jvm.flags for
# this JDK) and exports MALLOC_ARENA_MAX=2, as the daemon's launchers do.
jar=$(ls "$top"/config-daemon-app/target/config-daemon-app-*.jar | grep -v -e '-tests.jar' -e '-sources.jar' | head -1)
jdk="$("$top/bin/find-jdk")"
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")
export MALLOC_ARENA_MAX=2
opts=()
. "$top/bin/lib/jvm-flags.sh"
jvm_flags_into opts "$top/config-daemon-app/src/main/resources/io/sriov/daemon/app/daemon-jvm.flags" "${feature:-0}"
