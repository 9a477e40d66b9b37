#!/bin/sh
# Builds and runs the C baseline for the get-link round trip (see src/test/c/getlink_bench.c).
# usage: sriov-netlink/bench/run-c-bench.sh [IFINDEX] [ITERATIONS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${TMPDIR:-/tmp}/sriov-getlink-bench
gcc -O2 -Wall -o "$out" "$here/../src/test/c/getlink_bench.c"
"$out" "${1:-1}" "${2:-200000}" 1
"$out" "${1:-1}" "${2:-200000}" 0
