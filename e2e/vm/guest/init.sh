#!/bin/bash
# Stage 2 of the SR-IOV test guest: PID 1 after switch_root, running from the shared host root.
# Prepares writable places and the guest kernel's modules, runs the job that run-in-guest.sh
# wrote into the output share, records its exit status, and powers the guest off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
OUT=/run/sriov-e2e/out
VM="$OUT/.vm"
HERE="$(dirname "$(readlink -f "$0")")"
exec </dev/null >>"$VM/guest.log" 2>&1

poweroff_now() {
  sync
  # reboot(2) directly: the host's /sbin/poweroff talks to systemd, which is not running here.
  /bin/busybox poweroff -f
  echo o >/proc/sysrq-trigger
  sleep 30
}
trap poweroff_now EXIT

log() { printf '[%6s] %s\n' "$(cut -d' ' -f1 /proc/uptime)" "$*"; }

modules=""
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    sriov_e2e.modules=*) modules="${arg#sriov_e2e.modules=}" ;;
  esac
done
log "stage2: kernel $(uname -r), modules from $modules"

# Writable places the stack uses. The root is already an overlay whose upper layer is tmpfs, so
# /tmp and /var/tmp are writable (writes never reach the host) while the host's own /tmp stays
# readable: a checkout under the host's /tmp (a CI clone, say) is visible to the job. /var/lib/cni
# is a fresh tmpfs so it is empty at boot, as on a node; /run/netns can hold netns bind mounts.
mkdir -p /tmp /var/lib/cni /etc/cni/net.d /run/netns /run/lock /var/tmp
mount -t tmpfs -o mode=0755 tmpfs /var/lib/cni
mount --make-shared /run 2>/dev/null || true
mkdir -p /dev/pts /dev/shm /sys/kernel/debug
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
ln -sfn /proc/self/fd /dev/fd
ln -sfn /proc/self/fd/0 /dev/stdin
ln -sfn /proc/self/fd/1 /dev/stdout
ln -sfn /proc/self/fd/2 /dev/stderr
hostname sriov-e2e

# The guest kernel's modules live in the setup cache on the host root.
mkdir -p "/usr/lib/modules"
ln -sfn "$modules" "/usr/lib/modules/$(uname -r)"
echo "options bonding max_bonds=0" >/etc/modprobe.d/sriov-e2e.conf
for m in igb igbvf bonding 8021q vfio-pci dummy veth; do
  modprobe "$m" || log "stage2: modprobe $m failed"
done
ip link set lo up

# The QMP port (virtio-serial) wired to this VM's own QEMU monitor: set_link and friends.
qmp=""
for p in /sys/class/virtio-ports/*; do
  [[ -r "$p/name" && "$(cat "$p/name")" == org.sriov.qmp ]] && qmp="/dev/$(basename "$p")"
done

# Wait (bounded) for the PF netdevs the host asked for.
want="$(cat "$VM/pfs" 2>/dev/null || echo 0)"
for _ in $(seq 100); do
  have=$(ls -d /sys/bus/pci/drivers/igb/0000:* 2>/dev/null | wc -l)
  [[ $have -ge $want ]] && break
  sleep 0.1
done
log "stage2: ready, igb PFs=$have (wanted $want), qmp=${qmp:-none}"

export SRIOV_E2E_OUT="$OUT" SRIOV_E2E_QMP="$qmp" SRIOV_E2E_GUEST_BIN="$HERE"
export HOME=/root TERM=dumb
start=$(date +%s%N)
bash "$VM/job.sh" >"$VM/stdout" 2>"$VM/stderr"
status=$?
end=$(date +%s%N)
log "stage2: job exited $status after $(( (end - start) / 1000000 )) ms"
echo "$status" >"$VM/exit-status.tmp" && mv "$VM/exit-status.tmp" "$VM/exit-status"
