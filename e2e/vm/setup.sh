#!/usr/bin/env bash
# Installs what the SR-IOV test VM needs and builds its boot files, idempotently.
#
#   e2e/vm/setup.sh            # as root; safe to run again (skips work already done)
#
# - Debian packages: qemu-system-x86 (10.x, from bookworm-backports: emulates the igb SR-IOV
#   NIC), busybox-static, kmod, cpio, pciutils, iproute2, xz-utils, ethtool (the VF's own
#   hardware counters in the guest's datapath scenario).
# - The guest kernel: the newest linux-image-6.12.*+deb12-amd64 from bookworm-backports,
#   downloaded (not installed) and unpacked into the cache, with depmod run there.
# - The initramfs: busybox + the modules needed to mount the host root over virtio-9p.
#
# Environment:
#   SRIOV_E2E_CACHE   cache folder (default /var/cache/sriov-e2e)
#   SRIOV_E2E_REFRESH=1  look for a newer guest kernel even if one is cached
set -euo pipefail
# Under pipefail a reader that stops early (grep -q, head) can kill the writer with SIGPIPE and
# fail the pipeline (exit 141) depending on timing: every pipeline here reads its input to the end.

CACHE="${SRIOV_E2E_CACHE:-/var/cache/sriov-e2e}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
START=$(date +%s)
DID=()

log() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }
elapsed() { echo "$(( $(date +%s) - START ))s"; }

[[ $(id -u) -eq 0 ]] || die "must run as root (installs Debian packages into the system)"
[[ -r /etc/os-release ]] && . /etc/os-release
[[ "${VERSION_CODENAME:-}" == bookworm ]] || die "expects Debian 12 (bookworm), found '${VERSION_CODENAME:-unknown}'"

# --- 1. apt source for bookworm-backports --------------------------------------------------------
BACKPORTS_FILE=/etc/apt/sources.list.d/bookworm-backports.sources
need_update=0
if ! grep -rqsE '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; then
  cat >"$BACKPORTS_FILE" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  DID+=("added $BACKPORTS_FILE")
  need_update=1
fi

# --- 2. packages -----------------------------------------------------------------------------------
qemu_ok() {
  command -v qemu-system-x86_64 >/dev/null 2>&1 &&
    qemu-system-x86_64 -device help 2>/dev/null | grep '"igb"' >/dev/null
}
tools_ok() {
  for t in busybox cpio depmod modprobe lspci ip xz ethtool; do command -v "$t" >/dev/null 2>&1 || return 1; done
  [[ -x /bin/busybox ]] && /bin/busybox --list | grep -x switch_root >/dev/null
}
apt_updated=0
apt_update() {
  if [[ $apt_updated -eq 0 ]]; then
    log "apt-get update"
    apt-get -q -o DPkg::Lock::Timeout=600 update >/dev/null
    apt_updated=1
  fi
}
[[ $need_update -eq 1 ]] && apt_update
if ! tools_ok; then
  apt_update
  log "installing busybox-static kmod cpio pciutils iproute2 xz-utils ethtool"
  apt-get install "${APT_OPTS[@]}" --no-install-recommends busybox-static kmod cpio pciutils iproute2 xz-utils ethtool >/dev/null
  DID+=("installed busybox-static kmod cpio pciutils iproute2 xz-utils ethtool")
fi
if ! qemu_ok; then
  apt_update
  log "installing qemu-system-x86 from bookworm-backports"
  apt-get install "${APT_OPTS[@]}" --no-install-recommends -t bookworm-backports qemu-system-x86 >/dev/null
  DID+=("installed qemu-system-x86 $(dpkg-query -W -f='${Version}' qemu-system-x86)")
fi
qemu_ok || die "qemu-system-x86_64 has no igb device (needs QEMU >= 8 from bookworm-backports)"

# --- 3. guest kernel -------------------------------------------------------------------------------
mkdir -p "$CACHE/debs" "$CACHE/kernel"
current_kver() { [[ -r "$CACHE/vm.env" ]] && sed -n 's/^KERNEL_VERSION=//p' "$CACHE/vm.env"; }
KVER="$(current_kver || true)"
if [[ -z "$KVER" || ! -d "$CACHE/kernel/$KVER" || "${SRIOV_E2E_REFRESH:-0}" == 1 ]]; then
  apt_update
  pkg="$(apt-cache pkgnames linux-image-6.12. | grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' | sort -V | tail -n1)"
  [[ -n "$pkg" ]] || die "no linux-image-6.12.*+deb12-amd64 package found (is bookworm-backports reachable?)"
  KVER="${pkg#linux-image-}"
  if [[ ! -f "$CACHE/kernel/$KVER/.unpacked" ]]; then
    log "downloading $pkg"
    rm -rf "$CACHE/kernel/$KVER" "$CACHE/debs/tmp"
    mkdir -p "$CACHE/debs/tmp"
    chown _apt "$CACHE/debs/tmp" 2>/dev/null || true  # apt-get download drops privileges to _apt
    (cd "$CACHE/debs/tmp" && apt-get -q download "$pkg" >/dev/null)
    deb="$(ls "$CACHE/debs/tmp"/*.deb)"
    log "unpacking $(basename "$deb")"
    dpkg-deb -x "$deb" "$CACHE/kernel/$KVER"
    rm -f "$CACHE/debs"/*.deb
    mv "$deb" "$CACHE/debs/"
    rmdir "$CACHE/debs/tmp"
    touch "$CACHE/kernel/$KVER/.unpacked"
    DID+=("unpacked guest kernel $KVER")
  fi
fi
KROOT="$CACHE/kernel/$KVER"
# Debian kernels ship modules under /lib/modules (usrmerge moves them to /usr/lib/modules later).
if [[ -d "$KROOT/lib/modules/$KVER" ]]; then MODDIR_REL=lib/modules; else MODDIR_REL=usr/lib/modules; fi
[[ -d "$KROOT/$MODDIR_REL/$KVER" ]] || die "no modules in $KROOT"
[[ -f "$KROOT/boot/vmlinuz-$KVER" ]] || die "no vmlinuz in $KROOT/boot"
if [[ ! -s "$KROOT/$MODDIR_REL/$KVER/modules.dep" ]]; then
  log "depmod $KVER"
  if [[ $MODDIR_REL == lib/modules ]]; then depmod -b "$KROOT" "$KVER"; else
    # depmod -b looks under <base>/lib/modules; point it at usr/lib/modules.
    mkdir -p "$KROOT/lib" && ln -sfn ../usr/lib/modules "$KROOT/lib/modules" && depmod -b "$KROOT" "$KVER"
  fi
  DID+=("ran depmod for $KVER")
fi

# --- 4. initramfs ----------------------------------------------------------------------------------
# Modules to mount the root: 9p over virtio, and overlayfs for a writable root on top of it.
INITRD_MODULES=(9p 9pnet_virtio overlay)
INIT_SRC="$HERE/initramfs-init.sh"
stamp="$( (cat "$INIT_SRC"; printf '%s\n' "$KVER" "${INITRD_MODULES[@]}"; /bin/busybox | sed -n 1p) | sha256sum | cut -c1-16)"
INITRD="$CACHE/initrd-$KVER-$stamp.cpio.gz"
if [[ ! -s "$INITRD" ]]; then
  log "building initramfs $INITRD"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work"/{bin,dev,proc,sys,modules,newroot}
  cp /bin/busybox "$work/bin/busybox"
  ln -s busybox "$work/bin/sh"
  install -m 0755 "$INIT_SRC" "$work/init"
  : >"$work/modules/order"
  for mod in "${INITRD_MODULES[@]}"; do
    # In load order, dependencies first; builtin modules print "builtin" and are skipped.
    while read -r verb path _; do
      [[ $verb == insmod ]] || continue
      name="$(basename "$path")"; name="${name%.xz}"; name="${name%.zst}"
      [[ -f "$work/modules/$name" ]] && continue
      case "$path" in
        *.xz) xz -dc "$path" >"$work/modules/$name" ;;
        *.zst) zstd -qdc "$path" >"$work/modules/$name" ;;
        *) cp "$path" "$work/modules/$name" ;;
      esac
      echo "$name" >>"$work/modules/order"
    done < <(modprobe -d "$KROOT" -S "$KVER" --show-depends "$mod")
  done
  (cd "$work" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$INITRD.tmp"
  mv "$INITRD.tmp" "$INITRD"
  rm -rf "$work"; trap - EXIT
  # Older initramfs builds of this kernel are stale now.
  find "$CACHE" -maxdepth 1 -name "initrd-*.cpio.gz" ! -name "$(basename "$INITRD")" -delete
  DID+=("built initramfs ($(tr '\n' ' ' <<<"${INITRD_MODULES[*]}"))")
fi

# --- 5. what run-in-guest.sh reads -----------------------------------------------------------------
envtmp="$CACHE/vm.env.tmp"
cat >"$envtmp" <<EOF
KERNEL_VERSION=$KVER
VMLINUZ=$KROOT/boot/vmlinuz-$KVER
INITRD=$INITRD
MODULES=$KROOT/$MODDIR_REL/$KVER
QEMU_VERSION=$(qemu-system-x86_64 --version | awk 'NR == 1 {print $4}')
EOF
if ! cmp -s "$envtmp" "$CACHE/vm.env" 2>/dev/null; then mv "$envtmp" "$CACHE/vm.env"; DID+=("wrote $CACHE/vm.env"); else rm -f "$envtmp"; fi

if [[ ${#DID[@]} -eq 0 ]]; then
  log "nothing to do: cache $CACHE is ready (kernel $KVER, $(sed -n 's/^QEMU_VERSION=/QEMU /p' "$CACHE/vm.env")) [$(elapsed)]"
else
  for d in "${DID[@]}"; do log "did: $d"; done
  log "ready: cache $CACHE (kernel $KVER) [$(elapsed)]"
fi
