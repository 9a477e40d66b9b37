#!/usr/bin/env bash
# AtomicFiles' portable (java.nio) and native (libc, one directory descriptor) writes interleaved in
# the daemon's JVM (its flags, its jar's class path): ms per state file. Build first:
#   ./mvnw -B -o -q package -DskipTests -pl config-daemon-app,sriov-cni,sriov-bond,cni-server -am
# Host:  flock /work/wt/bench.lock sriov-os/bench/atomic-files-bench.sh [ROUNDS] [DIR]
# Guest: flock /work/wt/bench.lock flock /work/wt/vm.lock e2e/vm/run-in-guest.sh --pfs 0 \
#          --timeout 900 -- sriov-os/bench/atomic-files-bench.sh [ROUNDS] [DIR]
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
. "$top/bin/lib/daemon-bench-jvm.sh" # jar, jdk, opts: the daemon's
# compiled beside the daemon's classes (same class loader: it calls AtomicFiles' package-private
# ways directly)
classes=$(mktemp -d)
dir="${2:-/tmp/atomic-files-bench}"
"$jdk/bin/javac" -d "$classes" -cp "$jar" "$top/sriov-os/bench/src/io/sriov/os/files/AtomicFilesBench.java"
rm -rf "$dir"
uptime
"$jdk/bin/java" "${opts[@]}" -cp "$jar:$classes" io.sriov.os.files.AtomicFilesBench "$dir" "${1:-200}"
uptime
rm -rf "$classes" "$dir"
