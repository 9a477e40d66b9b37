#!/usr/bin/env bash
# The C floor of the sysfs discovery walk: what the reads of one full walk cost from C (see
# sriov-sysfs/src/test/c/discovery_floor.c for exactly which reads), to compare with the Java walk
# (SysfsDeviceDiscovery, JMH DiscoveryBenchmark).
#
# Default: generates a SIMULATED node of 8 PFs x 256 VFs (2,056 PCI functions) with the project's
# own generator (io.sriov.simulator.SimulatedNode, Topology.scale) in /dev/shm, runs the C walk
# with 1 and 2 threads, openat-relative and --abs, checks every run saw 2,056 devices with every
# VF's reads succeeding, and removes the tree.
# --sys: runs the C walk on this machine's real /sys instead (read-only; few devices on a VM, but
# the per-device and per-syscall cost is the figure that matters).
#
# Prerequisites: gcc; for the simulated node the modules must be built and installed first,
# from the repository root:   ./mvnw -B -q install -DskipTests
# (the generator runs from sriov-simulator/target/classes with the module's dependency classpath,
# which resolves sriov-core from the local Maven repository).
#
# Usage: sriov-sysfs/bench/run-c-floor.sh [--sys] [--dir DIR] [--pfs N] [--vfs N]
#                                         [--warmup W] [--walks M]
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=/dev/shm pfs=8 vfs=256 warmup=3 walks=20 sys=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sys) sys=1 ;;
    --dir) dir=${2:?--dir needs a directory}; shift ;;
    --pfs) pfs=${2:?--pfs needs a number}; shift ;;
    --vfs) vfs=${2:?--vfs needs a number}; shift ;;
    --warmup) warmup=${2:?--warmup needs a number}; shift ;;
    --walks) walks=${2:?--walks needs a number}; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run-c-floor: unknown argument: $1 (see --help)" >&2; exit 64 ;;
  esac
  shift
done

work=$(mktemp -d "${TMPDIR:-/tmp}/c-floor.XXXXXX")
node=""
cleanup() {
  if [ -n "$node" ]; then rm -rf -- "$node"; fi
  rm -rf -- "$work"
}
trap cleanup EXIT

bin="$work/discovery_floor"
gcc -O2 -pthread -Wall -Wextra -o "$bin" "$repo/sriov-sysfs/src/test/c/discovery_floor.c"

echo "# machine: $(nproc) CPUs, $(uname -r); load before: $(uptime)"

# Runs one configuration; checks the device count (and, on the simulated node, that every VF's
# reads succeeded).
run() { # <root> <expected devices or -> <args...>
  local root=$1 expected=$2 out devices vfs_seen vf_ok
  shift 2
  echo
  echo "## discovery_floor $* $root"
  out=$("$bin" --warmup "$warmup" --walks "$walks" "$@" "$root") || {
    echo "$out"; echo "run-c-floor: FAILED: the walk reported failures (see above)" >&2; exit 1; }
  echo "$out"
  devices=$(sed -n 's/^devices=\([0-9]*\) .*/\1/p' <<<"$out")
  vfs_seen=$(sed -n 's/.* vfs=\([0-9]*\) .*/\1/p' <<<"$out")
  vf_ok=$(sed -n 's/.* vf_ok=\([0-9]*\) .*/\1/p' <<<"$out")
  if [ "$expected" != - ]; then
    if [ "$devices" != "$expected" ] || [ "$vfs_seen" != $((pfs * vfs)) ] || [ "$vf_ok" != "$vfs_seen" ]; then
      echo "run-c-floor: FAILED: expected $expected devices and $((pfs * vfs)) VFs all read fully;" \
        "got devices=$devices vfs=$vfs_seen vf_ok=$vf_ok" >&2
      exit 1
    fi
    echo "check: OK devices=$devices (= $pfs PFs + $((pfs * vfs)) VFs), every VF's reads succeeded"
  fi
}

if [ "$sys" = 1 ]; then
  # Few devices: more walks for a stable figure.
  [ "$walks" = 20 ] && walks=2000
  [ "$warmup" = 3 ] && warmup=200
  for t in 1 2; do
    run / - --threads "$t"
    run / - --threads "$t" --abs
  done
else
  classes="$repo/sriov-simulator/target/classes"
  if [ ! -f "$classes/io/sriov/simulator/SimulatedNode.class" ]; then
    echo "run-c-floor: $classes has no SimulatedNode: build first, from $repo:" \
      "./mvnw -B -q install -DskipTests" >&2
    exit 2
  fi
  jdk=$("$repo/bin/find-jdk")
  (cd "$repo" && ./mvnw -B -q -pl sriov-simulator dependency:build-classpath \
    -Dmdep.outputFile="$work/classpath" >/dev/null)
  cat >"$work/GenNode.java" <<'EOF'
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.topology.Topology;
import java.nio.file.Path;

/** Generates a SIMULATED node: args = directory, PF count, VFs per PF. */
public class GenNode {
  public static void main(String[] args) throws Exception {
    SimulatedNode node =
        SimulatedNode.create(
            Path.of(args[0]),
            Topology.scale(Integer.parseInt(args[1]), Integer.parseInt(args[2])));
    System.out.println("generated " + node);
  }
}
EOF
  node=$(mktemp -d "$dir/sriov-c-floor.XXXXXX")
  "$jdk/bin/java" -cp "$classes:$(cat "$work/classpath")" "$work/GenNode.java" "$node" "$pfs" "$vfs"
  expected=$((pfs + pfs * vfs))
  for t in 1 2; do
    run "$node" "$expected" --threads "$t"
    run "$node" "$expected" --threads "$t" --abs
  done
fi

echo
echo "# load after: $(uptime)"
