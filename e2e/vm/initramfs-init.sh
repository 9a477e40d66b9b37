#!/bin/sh
# Stage 1 of the SR-IOV test guest (PID 1 in the initramfs built by setup.sh; busybox sh).
# Mounts the host root (virtio-9p, read-only) under a tmpfs-backed overlay so the guest root is
# writable while the host stays untouched, mounts the output share, then hands over to stage 2
# (e2e/vm/guest/init.sh from the shared host root, named on the kernel command line).
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

fail() {
  echo "sriov-e2e stage1: $*" >/dev/console
  poweroff -f
}

for m in $(cat /modules/order); do
  insmod "/modules/$m" || fail "insmod $m failed"
done

stage2=""
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    sriov_e2e.init=*) stage2="${arg#sriov_e2e.init=}" ;;
  esac
done
[ -n "$stage2" ] || fail "no sriov_e2e.init= on the kernel command line"

mkdir -p /lower /rw /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,ro hostroot /lower ||
  fail "cannot mount the host root (9p tag hostroot)"
mount -t tmpfs -o mode=0755 rw /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
  fail "cannot mount the overlay root"

mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /newroot/run
mkdir -p /newroot/run/sriov-e2e/out
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out /newroot/run/sriov-e2e/out ||
  fail "cannot mount the output share (9p tag out)"

mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
mount --move /dev /newroot/dev
exec switch_root /newroot "$stage2"
