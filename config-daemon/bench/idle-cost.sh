#!/usr/bin/env bash
# The serving daemon's idle cost (issues 11 and 18): bin/sriov-node --simulated-node with the
# device plugin hosted and 512 VFs advertised (8 PFs x 64 VFs, one pool per PF) to a kubelet
# stand-in (e2e's KubeletStandInMain: registration + ListAndWatch of every pool), then samples the
# daemon's VmRSS (/proc/<pid>/status), its CPU time (utime+stime of /proc/<pid>/stat) and its
# thread count every INTERVAL seconds for DURATION seconds, nothing happening meanwhile.
#
# Usage: config-daemon/bench/idle-cost.sh OUT_DIR [DURATION_S=1800] [INTERVAL_S=30]
# Needs (built in the reactor, no install):
#   ./mvnw -B -o -q package -DskipTests dependency:build-classpath \
#       -Dmdep.outputFile=/tmp/e2e-cp.txt -Dmdep.includeScope=runtime -pl e2e,config-daemon-app -am
#   E2E_CP=/tmp/e2e-cp.txt (default)
# Extra JVM flags for the daemon: SRIOV_JAVA_OPTS (bin/sriov-node's own flags apply first).
# IDLE_IMAGE_BUNDLE=DIR: run the daemon as the container image would instead of bin/sriov-node: DIR
# is the image unpacked by umoci (rootfs/ and config.json; build node-image, then
#   skopeo copy oci-archive:node-image/target/sriov-node-image.tar oci:/tmp/img:idle
#   umoci unpack --image /tmp/img:idle DIR), its entrypoint and environment chrooted into rootfs/.
# IDLE_PODMAN_IMAGE=REF: run the image in podman instead (REF as `podman pull oci-archive:node-image/
#   target/sriov-node-image.tar` named it, e.g. localhost/sriov-node:0.1.0-SNAPSHOT), host network,
#   the chart's memory limit (IDLE_MEMORY_LIMIT, default 512m, values.yaml's resources.limits), the
#   work dir bind-mounted at its own path; podman needs runc here (real-components.md).
# OUT_DIR/samples.tsv: elapsed_s rss_kib cpu_ticks threads load1 wss_kib (the memory cgroup's
# working set as kubelet counts it, usage minus inactive file pages; - outside a container);
# OUT_DIR/summary: the figures.
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
out=${1:?usage: idle-cost.sh OUT_DIR [DURATION_S] [INTERVAL_S]}
duration=${2:-1800}
interval=${3:-30}
cp_file=${E2E_CP:-/tmp/e2e-cp.txt}
[ -s "$cp_file" ] || { echo "idle-cost: no e2e class path in $cp_file (see the header)" >&2; exit 1; }
mkdir -p "$out"
bundle=${IDLE_IMAGE_BUNDLE:-}
podman_image=${IDLE_PODMAN_IMAGE:-}
container=sriov-idle-$$
work=$(mktemp -d /tmp/sriov-idle-XXXXXX)
kubelet_pid='' daemon_pid=''
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  [ -n "$kubelet_pid" ] && kill "$kubelet_pid" 2>/dev/null && wait "$kubelet_pid" 2>/dev/null || true
  rm -rf "$work"
  if [ -n "${bundle:-}" ]; then rmdir "$bundle/rootfs$work" 2>/dev/null || true; fi
  if [ -n "${podman_image:-}" ]; then
    CONTAINERS_CONF="$work.containers.conf" podman rm -f -t 40 "$container" >/dev/null 2>&1 || true
    rm -f "$work.containers.conf"
  fi
}
trap cleanup EXIT
jdk="$("$top/bin/find-jdk")"
"$jdk/bin/java" -Xmx64m -cp "$top/e2e/target/classes:$(cat "$cp_file")" \
  io.sriov.e2e.guest.deviceplugin.KubeletStandInMain "$work/kubelet" \
  >"$out/kubelet.log" 2>&1 &
kubelet_pid=$!
for _ in $(seq 600); do [ -S "$work/kubelet/device-plugins/kubelet.sock" ] && break; sleep 0.1; done
[ -S "$work/kubelet/device-plugins/kubelet.sock" ] || { echo "idle-cost: stand-in did not start" >&2; exit 1; }
port=$((20000 + $$ % 10000))
args=(--simulated-node="$work/topology.yaml" --node-state "$work/node-state.yaml"
  --kubelet-dir "$work/kubelet" --state-dir "$work/state" --metrics-port "$port"
  --metrics-bind-address 127.0.0.1)
cp "$top/config-daemon/bench/topology-8x64.yaml" "$work/topology.yaml"
cp "$top/config-daemon/bench/node-state-8x64.yaml" "$work/node-state.yaml"
if [ -n "$podman_image" ]; then
  printf '[containers]\ndefault_ulimits=["nofile=1024:1024","nproc=1024:1024"]\n[engine]\nruntime="runc"\n' \
    >"$work.containers.conf"
  CONTAINERS_CONF="$work.containers.conf" podman run --rm --name "$container" --network host \
    --memory "${IDLE_MEMORY_LIMIT:-512m}" -v "$work:$work" "$podman_image" "${args[@]}" \
    >"$out/daemon.out" 2>"$out/daemon.err" &
elif [ -n "$bundle" ]; then
  # The work dir is bind-mounted at the same path inside the image's root, as the chart mounts
  # kubelet's directories (the device plugin names its sockets by their paths).
  mkdir -p "$bundle/rootfs/proc" "$bundle/rootfs/dev" "$bundle/rootfs$work"
  mapfile -t image_env < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["process"]["env"]))' "$bundle/config.json")
  mapfile -t image_cmd < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["process"]["args"]))' "$bundle/config.json")
  unshare --kill-child=SIGTERM --mount --propagation private --fork -- /bin/sh -c \
    'mount -t proc proc "$0/proc" && mount --rbind /dev "$0/dev" && mount --bind "$1" "$0$1" && shift && exec /usr/bin/env -i "$@"' \
    "$bundle/rootfs" "$work" "${image_env[@]}" "$(command -v chroot)" "$bundle/rootfs" \
    "${image_cmd[@]}" "${args[@]}" \
    >"$out/daemon.out" 2>"$out/daemon.err" &
else
  "$top/bin/sriov-node" "${args[@]}" >"$out/daemon.out" 2>"$out/daemon.err" &
fi
daemon_pid=$!
# Wait for the 8 pools with 64 healthy devices each.
start=$(date +%s)
until [ "$(grep -c ' 64 devices 64 healthy' "$out/kubelet.log" || true)" -ge 8 ]; do
  kill -0 "$daemon_pid" 2>/dev/null || { echo "idle-cost: daemon exited" >&2; cat "$out/daemon.err" >&2; exit 1; }
  [ $(( $(date +%s) - start )) -lt 600 ] || { echo "idle-cost: pools not advertised in 600 s" >&2; exit 1; }
  sleep 1
done
# The JVM's own pid: bin/sriov-node execs java; in the image it is unshare's child's child.
pid=$daemon_pid
if [ -n "$bundle" ] || [ -n "$podman_image" ]; then
  pid=$(pgrep -f -n "^/opt/java/bin/java .*--kubelet-dir $work/kubelet")
fi
# The memory cgroup the JVM is in (v1 or v2), for the working set; none outside a container.
memcg=''
if [ -n "$podman_image" ]; then
  rel=$(awk -F: '$2 == "memory" || $1 == "0" {print $3; exit}' /proc/$pid/cgroup)
  for d in "/sys/fs/cgroup/memory$rel" "/sys/fs/cgroup$rel"; do
    if [ -f "$d/memory.usage_in_bytes" ] || [ -f "$d/memory.current" ]; then memcg=$d; break; fi
  done
  [ -n "$memcg" ] || { echo "idle-cost: no memory cgroup for pid $pid ($rel)" >&2; exit 1; }
fi
wss() { # the working set in KiB: usage minus inactive file pages, as kubelet's eviction counts it
  if [ -z "$memcg" ]; then echo -; return; fi
  if [ -f "$memcg/memory.current" ]; then
    awk -v u="$(cat "$memcg/memory.current")" '$1 == "inactive_file" {print int((u - $2) / 1024)}' "$memcg/memory.stat"
  else
    awk -v u="$(cat "$memcg/memory.usage_in_bytes")" '$1 == "total_inactive_file" {print int((u - $2) / 1024)}' "$memcg/memory.stat"
  fi
}
echo "ready after $(( $(date +%s) - start )) s; pid $pid; load $(cut -d' ' -f1-3 /proc/loadavg)" >"$out/summary"
cp /proc/$pid/cmdline "$out/cmdline" 2>/dev/null || true
sample() { # elapsed
  local rss ticks threads
  rss=$(awk '/^VmRSS:/ {print $2}' /proc/$pid/status)
  threads=$(awk '/^Threads:/ {print $2}' /proc/$pid/status)
  ticks=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' /proc/$pid/stat)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$rss" "$ticks" "$threads" "$(cut -d' ' -f1 /proc/loadavg)" "$(wss)" >>"$out/samples.tsv"
}
printf 'elapsed_s\trss_kib\tcpu_ticks\tthreads\tload1\twss_kib\n' >"$out/samples.tsv"
t0=$(date +%s)
sample 0
while [ $(( $(date +%s) - t0 )) -lt "$duration" ]; do
  sleep "$interval"
  kill -0 "$pid" 2>/dev/null || { echo "idle-cost: daemon exited" >&2; exit 1; }
  sample $(( $(date +%s) - t0 ))
done
hz=$(getconf CLK_TCK)
awk -v hz="$hz" 'NR==2 {t0=$1; c0=$3} NR>1 {t=$1; c=$3; r=$2; w=$6} END {
  printf "idle window %d s: cpu %.2f s = %.3f %% of one core; rss at end %.1f MiB", t-t0, (c-c0)/hz, 100*(c-c0)/hz/(t-t0), r/1024
  if (w != "-") printf "; cgroup working set at end %.1f MiB", w/1024; printf "\n" }' \
  "$out/samples.tsv" >>"$out/summary"
grep -c . "$out/daemon.err" | sed 's/^/daemon stderr lines: /' >>"$out/summary"
cat "$out/summary"
