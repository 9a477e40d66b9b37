#!/usr/bin/env bash
# Runs one command as root in a fresh SR-IOV guest and returns its exit status.
#
#   e2e/vm/run-in-guest.sh [options] -- <command...>
#
#   --pfs N        emulated Intel 82576 (igb) SR-IOV PFs, 0..6 (default 2). PF i is PCI
#                  0000:00:0<2+2i>.0 (00:02.0, 00:04.0, ...), QEMU NIC id "pf<i>" (for set_link).
#   --kvm          use KVM instead of TCG (nested KVM fails on some hosts; TCG is the default)
#   --out DIR      host folder shared writable with the guest (as $SRIOV_E2E_OUT); kept after the
#                  run. Without it a temporary folder is used and removed.
#   --timeout SEC  power the guest off after SEC seconds (default 600); exit status 124
#   --mem MIB      guest memory (default 2048)       --smp N   guest vCPUs (default 2)
#   --env K=V      set an environment variable for the command (repeatable)
#   --console      show the guest's serial console live (kernel and stage-2 messages)
#   --trace EVENT  enable a QEMU trace event or pattern (repeatable), e.g. igb_set_vfmailbox or
#                  'igb_*'; the trace lands in DIR/.vm/qemu-trace.log (see qemu -trace help)
#
# The network: every PF's port is on one QEMU hub (-netdev hubport,hubid=0), a shared Ethernet
# segment inside QEMU with nothing else on it: a VF of PF 0 reaches a VF of PF 1 across it, and VFs
# of one PF reach each other through the PF's own switch. Every frame at PF i's port is captured in
# DIR/.vm/pf<i>.pcap (QEMU filter-dump).
#
# The guest: the host root shared read-only over virtio-9p under a tmpfs overlay (writes stay in
# the guest; /tmp is writable through it), tmpfs on /run /var/lib/cni, modules igb igbvf bonding(max_bonds=0) 8021q
# vfio-pci loaded, an emulated Intel IOMMU (vfio works). The command runs in the host's current
# directory (so repository paths work), with $SRIOV_E2E_OUT (the output folder) and
# $SRIOV_E2E_QMP (a character device speaking QMP to this VM's QEMU: see guest/qmp.sh).
#
# Output: the command's stdout and stderr are printed after the guest powers off, and kept in
# DIR/.vm/{stdout,stderr}; its exit status is DIR/.vm/exit-status and this script's status.
# DIR/.vm/console.log has the serial console, DIR/.vm/guest.log the guest set-up log.
# Exit status: the command's; 124 on timeout; 125 when the harness or the guest failed.
set -euo pipefail

CACHE="${SRIOV_E2E_CACHE:-/var/cache/sriov-e2e}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PFS=2 KVM=0 OUT="" TIMEOUT=600 MEM=2048 SMP=2 CONSOLE=0
ENVS=() TRACES=()

die() { printf 'run-in-guest: %s\n' "$*" >&2; exit 125; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --pfs) PFS="${2:?}"; shift 2 ;;
    --kvm) KVM=1; shift ;;
    --out) OUT="${2:?}"; shift 2 ;;
    --timeout) TIMEOUT="${2:?}"; shift 2 ;;
    --mem) MEM="${2:?}"; shift 2 ;;
    --smp) SMP="${2:?}"; shift 2 ;;
    --env) [[ "${2:-}" == *=* ]] || die "--env needs NAME=VALUE, got '${2:-}'"; ENVS+=("$2"); shift 2 ;;
    --console) CONSOLE=1; shift ;;
    --trace)
      [[ "${2:-}" =~ ^[A-Za-z0-9_*]+$ ]] || die "--trace needs a QEMU trace event name or pattern like 'igb_*', got '${2:-}'"
      TRACES+=("$2"); shift 2 ;;
    -h|--help) usage ;;
    --) shift; break ;;
    *) die "unknown option '$1' (the command goes after --; see --help)" ;;
  esac
done
[[ $# -gt 0 ]] || die "no command given: run-in-guest.sh [options] -- <command...>"
[[ "$PFS" =~ ^[0-6]$ ]] || die "--pfs must be 0..6, got '$PFS'"
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive number of seconds, got '$TIMEOUT'"
[[ "$MEM" =~ ^[1-9][0-9]*$ ]] || die "--mem must be MiB, got '$MEM'"
[[ "$SMP" =~ ^[1-9][0-9]*$ ]] || die "--smp must be a positive number, got '$SMP'"
[[ -r "$CACHE/vm.env" ]] || die "no VM cache at $CACHE: run e2e/vm/setup.sh first (as root)"
# shellcheck source=/dev/null
. "$CACHE/vm.env"
for f in "$VMLINUZ" "$INITRD" "$MODULES/modules.dep"; do
  [[ -r "$f" ]] || die "missing $f: run e2e/vm/setup.sh again"
done
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found: run e2e/vm/setup.sh"
[[ $KVM -eq 0 || -w /dev/kvm ]] || die "--kvm needs a writable /dev/kvm"

KEEP_OUT=1
if [[ -z "$OUT" ]]; then OUT="$(mktemp -d /tmp/sriov-e2e-out.XXXXXX)"; KEEP_OUT=0; fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
RUN="$(mktemp -d /tmp/sriov-e2e-run.XXXXXX)"
cleanup() {
  rm -rf "$RUN"
  [[ $KEEP_OUT -eq 1 ]] || rm -rf "$OUT"
}
trap cleanup EXIT
rm -rf "$OUT/.vm"
mkdir -p "$OUT/.vm"
echo "$PFS" >"$OUT/.vm/pfs"

# The job: the host's working directory, the requested environment, the command, quoted.
{
  printf 'cd -- %q || exit 125\n' "$PWD"
  for e in "${ENVS[@]}"; do printf 'export %q\n' "$e"; done
  printf 'export PATH=%q\n' "$HERE/guest:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  printf 'exec'; printf ' %q' "$@"; printf '\n'
} >"$OUT/.vm/job.sh"

if [[ $KVM -eq 1 ]]; then ACCEL=(-accel kvm -cpu host); else ACCEL=(-accel tcg,thread=multi -cpu max); fi
if [[ $CONSOLE -eq 1 ]]; then
  SERIAL=(-chardev "stdio,id=con,logfile=$OUT/.vm/console.log,signal=off" -serial chardev:con)
else
  SERIAL=(-serial "file:$OUT/.vm/console.log")
fi
NICS=()
for ((i = 0; i < PFS; i++)); do
  # PFs two slots apart: igb's VFs sit at devfn PF+0x80 (stride 2), so 7 VFs need 2 slots.
  # All ports on hub 0: the PFs share one Ethernet segment (the "wire" between the NICs).
  NICS+=(-netdev "hubport,id=n$i,hubid=0"
    -object "filter-dump,id=dump$i,netdev=n$i,file=$OUT/.vm/pf$i.pcap"
    -device "igb,netdev=n$i,id=pf$i,addr=$(printf '0x%x' $((2 + 2 * i))).0")
done
TRACE=()
if [[ ${#TRACES[@]} -gt 0 ]]; then
  TRACE=(-trace "file=$OUT/.vm/qemu-trace.log")
  for t in "${TRACES[@]}"; do TRACE+=(-trace "enable=$t"); done
fi
# no_timer_check: under TCG on a busy host the kernel's IO-APIC timer probe can time out and panic
# ("timer doesn't work through Interrupt-remapped IO-APIC").
APPEND="console=ttyS0 quiet loglevel=4 panic=-1 no_timer_check intel_iommu=on iommu=pt"
APPEND+=" sriov_e2e.init=$HERE/guest/init.sh sriov_e2e.modules=$MODULES"

QEMU=(qemu-system-x86_64 -nodefaults -no-user-config -nographic -no-reboot
  "${ACCEL[@]}" -m "$MEM" -smp "$SMP"
  -machine q35,kernel-irqchip=split
  # No 64-bit PCI window: the guest then places the igb VF BARs (64-bit, prefetchable) below 4 GiB.
  # QEMU 10.0 realizes the VFs before igb declares their BAR types, so it decodes the VF BARs as
  # 32-bit: a VF BAR above 4 GiB is cut to its low half (BAR 0 at 0x1_00000000 becomes 0, unmapped)
  # and igbvf's register accesses reach nothing ("PF still in reset state", no carrier).
  # Upstream fix: "pcie_sriov: Fix broken MMIO accesses from SR-IOV VFs" (2025-09). See README.
  -global q35-pcihost.pci-hole64-size=0
  -device intel-iommu,intremap=on,caching-mode=on
  -kernel "$VMLINUZ" -initrd "$INITRD" -append "$APPEND"
  "${SERIAL[@]}"
  -fsdev "local,id=fsroot,path=/,security_model=none,readonly=on,multidevs=remap"
  -device "virtio-9p-pci,fsdev=fsroot,mount_tag=hostroot,addr=0x3.0"
  -fsdev "local,id=fsout,path=$OUT,security_model=none,multidevs=remap"
  -device "virtio-9p-pci,fsdev=fsout,mount_tag=out,addr=0x5.0"
  # QMP for the guest: a monitor server and a client chardev of the same QEMU, the client
  # exposed to the guest as a virtio-serial port named org.sriov.qmp.
  -chardev "socket,id=qmpsrv,path=$RUN/qmp-guest.sock,server=on,wait=off"
  -mon chardev=qmpsrv,mode=control
  -chardev "socket,id=qmpcli,path=$RUN/qmp-guest.sock"
  -device virtio-serial-pci,addr=0x7.0
  -device virtserialport,chardev=qmpcli,name=org.sriov.qmp
  "${NICS[@]}" "${TRACE[@]}")

start=$(date +%s%N)
boot() {
  if [[ $CONSOLE -eq 1 ]]; then
    timeout -k 10 "$1" "${QEMU[@]}"
  else
    timeout -k 10 "$1" "${QEMU[@]}" </dev/null >>"$OUT/.vm/qemu.log" 2>&1
  fi
}
set +e
boot "$TIMEOUT"
qrc=$?
# A guest that died before stage 2 started (a kernel panic at boot, seen under heavy host load)
# is booted once more; the first console log is kept as console-boot1.log.
if [[ $qrc -ne 124 && ! -f "$OUT/.vm/guest.log" ]]; then
  left=$(( TIMEOUT - ($(date +%s%N) - start) / 1000000000 ))
  if [[ $left -gt 5 ]]; then
    mv "$OUT/.vm/console.log" "$OUT/.vm/console-boot1.log"
    printf 'run-in-guest: the guest died before it started the command; booting again\n' >&2
    boot "$left"
    qrc=$?
  fi
fi
set -e
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "$ms" >"$OUT/.vm/elapsed-ms"

[[ -f "$OUT/.vm/stdout" ]] && cat "$OUT/.vm/stdout"
[[ -f "$OUT/.vm/stderr" ]] && cat "$OUT/.vm/stderr" >&2
if [[ $qrc -eq 124 ]]; then
  printf 'run-in-guest: timed out after %ss; console tail:\n' "$TIMEOUT" >&2
  tail -n 20 "$OUT/.vm/console.log" >&2 || true
  exit 124
fi
if [[ ! -f "$OUT/.vm/exit-status" ]]; then
  printf 'run-in-guest: the guest stopped without running the command (qemu status %s)\n' "$qrc" >&2
  for f in qemu.log guest.log console.log; do
    [[ -s "$OUT/.vm/$f" ]] && { printf -- '--- %s (tail)\n' "$f" >&2; tail -n 20 "$OUT/.vm/$f" >&2; }
  done
  exit 125
fi
exit "$(cat "$OUT/.vm/exit-status")"
