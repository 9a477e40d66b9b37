#!/bin/sh
# C baselines for RtnlBenchmark (see src/test/c/getlink_bench.c). Run as root.
#  1. RTM_GETLINK of lo (ifindex 1) by index, with and without the MSG_PEEK|MSG_TRUNC sizing recv;
#  2. the dump of 1,001 links (500 veth pairs + lo) in a throwaway namespace.
# usage: sriov-netlink/bench/run-c-bench.sh [GETLINK_ITERATIONS] [DUMP_ITERATIONS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${TMPDIR:-/tmp}/sriov-getlink-bench
gcc -O2 -Wall -o "$out" "$here/../src/test/c/getlink_bench.c"
"$out" 1 "${1:-200000}" 1
"$out" 1 "${1:-200000}" 0
ns=sriovcbench-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
i=0
batch=${TMPDIR:-/tmp}/sriov-cbench-$$.batch
: > "$batch"
while [ $i -lt 500 ]; do
  echo "link add bva$i type veth peer name bvb$i" >> "$batch"
  i=$((i + 1))
done
ip -n "$ns" -batch "$batch"
rm -f "$batch"
ip netns exec "$ns" "$out" dump "${2:-300}"
