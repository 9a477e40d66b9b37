#!/usr/bin/env bash
# IpamDelegate's ProcessBuilder fallback against its posix_spawn path, interleaved, in the daemon's
# JVM (its flags, its jar's class path): host-local DELs, ms per IPAM call. Build first:
#   ./mvnw -B -o -q package -DskipTests -pl config-daemon-app,sriov-cni,sriov-bond,cni-server -am
# Host:  flock /work/wt/bench.lock cni-server/bench/spawn-bench.sh [ROUNDS]
# Guest: flock /work/wt/bench.lock flock /work/wt/vm.lock e2e/vm/run-in-guest.sh --pfs 0 \
#          --timeout 900 -- cni-server/bench/spawn-bench.sh [ROUNDS]
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
jar=$(ls "$top"/config-daemon-app/target/config-daemon-app-*.jar | grep -v -e '-tests.jar' -e '-sources.jar' | head -1)
jdk="$("$top/bin/find-jdk")"
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")
export MALLOC_ARENA_MAX=2
opts=()
. "$top/bin/lib/jvm-flags.sh"
jvm_flags_into opts "$top/config-daemon-app/src/main/resources/io/sriov/daemon/app/daemon-jvm.flags" "${feature:-0}"
# compiled beside the daemon's classes (same class loader: it uses IpamDelegate's package-private
# constructor to pick the way)
classes=$(mktemp -d)
"$jdk/bin/javac" -d "$classes" -cp "$jar" "$top/cni-server/bench/src/io/sriov/cni/plugin/IpamSpawnBench.java"
rm -rf /tmp/spawn-bench
uptime
"$jdk/bin/java" "${opts[@]}" -cp "$jar:$classes" io.sriov.cni.plugin.IpamSpawnBench "${1:-40}"
uptime
rm -rf "$classes"
