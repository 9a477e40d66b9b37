#!/usr/bin/env bash
# IpamDelegate's ProcessBuilder fallback against its posix_spawn path, interleaved, in the daemon's
# JVM (its flags, its jar's class path): host-local DELs, ms per IPAM call. Build first:
#   ./mvnw -B -o -q package -DskipTests -pl config-daemon-app,sriov-cni,sriov-bond,cni-server -am
# Host:  flock /work/wt/bench.lock cni-server/bench/spawn-bench.sh [ROUNDS]
# Guest: flock /work/wt/bench.lock flock /work/wt/vm.lock e2e/vm/run-in-guest.sh --pfs 0 \
#          --timeout 900 -- cni-server/bench/spawn-bench.sh [ROUNDS]
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
. "$top/bin/lib/daemon-bench-jvm.sh" # jar, jdk, opts: the daemon's
# compiled beside the daemon's classes (same class loader: it uses IpamDelegate's package-private
# constructor to pick the way)
classes=$(mktemp -d)
"$jdk/bin/javac" -d "$classes" -cp "$jar" "$top/cni-server/bench/src/io/sriov/cni/plugin/IpamSpawnBench.java"
rm -rf /tmp/spawn-bench
uptime
"$jdk/bin/java" "${opts[@]}" -cp "$jar:$classes" io.sriov.cni.plugin.IpamSpawnBench "${1:-40}"
uptime
rm -rf "$classes"
