#!/usr/bin/env bash
# The image benchmark: size of the OCI archive and of the unpacked root filesystem (with the jlink
# runtime's share), and the daemon's start-to-ready time from the unpacked image: process start
# until /readyz on its metrics port answers 200 (`--simulated-node`: the first apply done, the
# device plugin serving), RUNS times, each line with the load average.
# Needs root, skopeo, umoci, unshare, curl, and the archive: ./mvnw -B -o package -pl node-image -am -DskipTests
# Usage: sudo node-image/bench/image-bench.sh [RUNS] (default 3)
set -euo pipefail
runs=${1:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
tar="$here/target/sriov-node-image.tar"
[ -f "$tar" ] || { echo "no $tar: build it first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
skopeo copy --quiet "oci-archive:$tar" "oci:$work/layout:bench"
umoci unpack --image "$work/layout:bench" "$work/bundle" >/dev/null
root="$work/bundle/rootfs"
mb() { du -sb "$@" | awk '{s += $1} END {printf "%.1f", s / 1e6}'; }
echo "archive $(mb "$tar") MB; rootfs $(mb "$root") MB: runtime /opt/java $(mb "$root/opt/java") MB" \
  "(libjvm.so $(mb "$root/opt/java/lib/server/libjvm.so"), modules $(mb "$root/opt/java/lib/modules")," \
  "CDS $(mb "$root/opt/java/lib/server/classes.jsa")), glibc $(mb "$root/lib" "$root/lib64") MB," \
  "/app $(mb "$root/app") MB, CNI $(mb "$root/opt/sriov-node/cni") MB"
# The entrypoint as the image declares it (config.json's process.args).
mapfile -t entry < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["process"]["args"]))' "$work/bundle/config.json")
mkdir -p "$root/proc" "$root/dev"
for i in $(seq 1 "$runs"); do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$root/tmp/kubelet-$i/plugins_registry" "$root/tmp/kubelet-$i/device-plugins"
  start=$(date +%s%N)
  env -i PATH=/opt/java/bin:/usr/sbin:/usr/bin:/sbin:/bin JAVA_HOME=/opt/java \
    unshare --kill-child=SIGTERM --mount --propagation private --fork -- /bin/sh -c \
    'mount -t proc proc "$0/proc" && mount --rbind /dev "$0/dev" && exec chroot "$0" "$@"' "$root" \
    "${entry[@]}" --simulated-node \
    --kubelet-dir "/tmp/kubelet-$i" --metrics-port "$port" --metrics-bind-address 127.0.0.1 \
    >"$work/serve-$i.log" 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/serve-$i.log" >&2; exit 1; }
    sleep 0.01
  done
  end=$(date +%s%N)
  echo "run $i: start-to-ready $(( (end - start) / 1000000 )) ms; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  # SIGTERM to the daemon, unshare's child (unshare itself ignores it while it waits)
  kill -TERM "$(pgrep -P "$pid")"
  wait "$pid" || true
done
