#!/bin/bash
# The bond CNI plugin (bin/cni/bond) run as a runtime runs it, in one guest boot (needs 2 igb PFs):
#   e2e/vm/run-in-guest.sh --pfs 2 --out DIR -- e2e/vm/scenarios/cni-bond.sh
# A VF of each PF, moved into a pod's netns as the sriov plugin would (ip link set netns), bonded by
# the plugin: active-backup with failOverMac, primary and ARP monitoring with arpValidate (the VFs' carrier does not
# follow QEMU's set_link, so an MII monitor cannot see PF 1's link loss; ARP probes can), then
# 802.3ad with lacpRate/xmitHashPolicy/minLinks taking the VFs from the host itself. Every call's
# stdout, stderr and exit status, the options read back from /sys/class/net/<bond>/bonding and
# `ip -d`, the active slave around `qmp.sh set_link pf1 off/on`, and the VFs before ADD and after
# DEL are recorded under $SRIOV_E2E_OUT/bond/<step>/; BondCniE2E judges them.
set -uo pipefail
R="${SRIOV_E2E_OUT:?run this inside the guest (run-in-guest.sh)}/bond"
rm -rf "$R"
mkdir -p "$R"
# shared: step, rec, val, netdev_of, wait_for
source "$(dirname "$0")/evidence.sh"
ms() { echo $(( ($(date +%s%N) - T0) / 1000000 )); }
# cni NAME COMMAND NETNS IFNAME NETCONF: bin/cni/bond as a runtime execs it
cni() {
  local name="$1" command="$2" netns="$3" ifname="$4" conf="$5"
  printf '%s' "$conf" >"$step_dir/$name.stdin"
  local t=$(date +%s%N)
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_COMMAND="$command" CNI_CONTAINERID="ctr-$netns" \
    CNI_NETNS="/var/run/netns/$netns" CNI_IFNAME="$ifname" CNI_PATH=/usr/lib/cni \
    bin/cni/bond <"$step_dir/$name.stdin" >"$step_dir/$name.out" 2>"$step_dir/$name.err"
  echo $? >"$step_dir/$name.rc"
  val "$name.ms" $(( ($(date +%s%N) - t) / 1000000 ))
}
bonding() { ip netns exec "$1" cat "/sys/class/net/$2/bonding/$3" 2>/dev/null; }
# vf-state NAME NETNS DEV: what DEL must give back (MAC, MTU, up, master, netns)
vf_state() { ip ${2:+-n "$2"} -j -d link show "$3" >"$step_dir/$1.json" 2>"$step_dir/$1.err"; }

# --- setup: one VF per PF, with carrier; PF 0 answers ARP as 10.56.0.254 -------------------------
step setup
mapfile -t PFS < <(cd /sys/bus/pci/drivers/igb && ls -d 0000:* | sort)
PF0="${PFS[0]}" PF1="${PFS[1]}"
PF0_DEV="$(netdev_of "$PF0")" PF1_DEV="$(netdev_of "$PF1")"
rec pf0-up ip link set "$PF0_DEV" up
rec pf1-up ip link set "$PF1_DEV" up
wait_for 10 grep -qx 1 "/sys/class/net/$PF0_DEV/carrier"
wait_for 10 grep -qx 1 "/sys/class/net/$PF1_DEV/carrier"
rec pf0-addr ip addr add 10.56.0.254/24 dev "$PF0_DEV"
printf 1 >"/sys/bus/pci/devices/$PF0/sriov_numvfs"
printf 1 >"/sys/bus/pci/devices/$PF1/sriov_numvfs"
VFA_PCI="$(basename "$(readlink "/sys/bus/pci/devices/$PF0/virtfn0")")"
VFB_PCI="$(basename "$(readlink "/sys/bus/pci/devices/$PF1/virtfn0")")"
wait_for 30 bash -c "[[ -d /sys/bus/pci/devices/$VFA_PCI/net && -d /sys/bus/pci/devices/$VFB_PCI/net ]]"
A="$(netdev_of "$VFA_PCI")" B="$(netdev_of "$VFB_PCI")"
val a "$A"; val b "$B"; val pf0 "$PF0_DEV"; val pf1 "$PF1_DEV"
rec a-up ip link set "$A" up
rec b-up ip link set "$B" up
carrier() { grep -qx 1 "/sys/class/net/$1/carrier" 2>/dev/null; }
# igbvf heals a VF whose reset handshake timed out under load by itself (its reset task, ~10 s)
wait_for 30 carrier "$A"; wait_for 30 carrier "$B"
val a.carrier "$(cat /sys/class/net/$A/carrier)"; val b.carrier "$(cat /sys/class/net/$B/carrier)"
rec version env -i CNI_COMMAND=VERSION bin/cni/bond
# STATUS (CNI 1.1): the driver loaded, then unloaded but loadable (modules.alias has rtnl-link-bond)
STATUS_CONF='{"cniVersion": "1.1.0", "name": "bond-status", "type": "bond", "mode": "active-backup"}'
status() { rec "$1" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_COMMAND=STATUS CNI_PATH=/usr/lib/cni bin/cni/bond <<<"$STATUS_CONF"; }
status status
rec rmmod modprobe -r bonding
val unloaded.masters "$(ls /sys/class/net/bonding_masters 2>&1)"
status status-unloaded
rec modprobe modprobe bonding max_bonds=0
val reloaded.masters "$(ls /sys/class/net/bonding_masters 2>&1)"

# --- ab-add: active-backup over the VFs the "sriov plugin" moved into pod-ab ----------------------
step ab-add
vf_state a.before "" "$A"; vf_state b.before "" "$B"
rec netns ip netns add pod-ab
for v in "$A" "$B"; do rec "move-$v" ip link set "$v" netns pod-ab; done
AB='{"cniVersion": "1.0.0", "name": "bond-ab", "type": "bond",
 "mode": "active-backup", "miimon": "0", "failOverMac": 1, "linksInContainer": true,
 "links": [{"name": "'$A'"}, {"name": "'$B'"}], "primary": "'$B'",
 "arpInterval": 100, "arpIpTargets": ["10.56.0.254"], "arpValidate": "active",
 "ipam": {"type": "static", "addresses": [{"address": "10.56.0.1/24"}]}}'
cni add ADD pod-ab bond0 "$AB"
active_is() { [[ "$(bonding pod-ab bond0 active_slave)" == "$1" ]]; }
wait_for 15 active_is "$B"
for f in mode miimon fail_over_mac arp_interval arp_ip_target arp_validate primary active_slave slaves; do
  val "sys.$f" "$(bonding pod-ab bond0 $f)"
done
rec show ip -n pod-ab -j -d link show bond0
rec addr ip -n pod-ab -j addr show bond0
rec ping ip netns exec pod-ab busybox ping -c 2 -W 3 10.56.0.254
CHECK_CONF="$(printf '%s' "$AB" | sed '$ s/}$//'), \"prevResult\": $(cat "$step_dir/add.out")}"
cni check CHECK pod-ab bond0 "$CHECK_CONF"

# --- failover: PF 1's link off and on; the ARP monitor moves the active slave ----------------------
step failover
val bond.mac.before "$(ip netns exec pod-ab cat /sys/class/net/bond0/address)"
t=$(date +%s%N)
rec off qmp.sh set_link pf1 off
wait_for 20 active_is "$A"
val off.active "$(bonding pod-ab bond0 active_slave)"
val off.after-ms $(( ($(date +%s%N) - t) / 1000000 ))
val off.b.carrier "$(ip netns exec pod-ab cat /sys/class/net/$B/carrier)"
val off.b.mii "$(ip netns exec pod-ab cat /sys/class/net/$B/bonding_slave/mii_status)"
val bond.mac.off "$(ip netns exec pod-ab cat /sys/class/net/bond0/address)"
rec off-ping ip netns exec pod-ab busybox ping -c 2 -W 3 10.56.0.254
t=$(date +%s%N)
rec on qmp.sh set_link pf1 on
wait_for 20 active_is "$B"
val on.active "$(bonding pod-ab bond0 active_slave)"
val on.after-ms $(( ($(date +%s%N) - t) / 1000000 ))
val a.mac "$(ip netns exec pod-ab cat /sys/class/net/$A/address)"
val b.mac "$(ip netns exec pod-ab cat /sys/class/net/$B/address)"

# --- ab-del: DEL, then the "sriov plugin's" DEL returns the VFs --------------------------------------
step ab-del
cni del DEL pod-ab bond0 "$CHECK_CONF"
rec links ip -n pod-ab -j link show
cni del-again DEL pod-ab bond0 "$CHECK_CONF"
for v in "$A" "$B"; do rec "back-$v" ip -n pod-ab link set "$v" netns 1; done
rec a-up ip link set "$A" up
rec b-up ip link set "$B" up
vf_state a.after "" "$A"; vf_state b.after "" "$B"
rec netns-del ip netns del pod-ab

# --- lacp-add: 802.3ad; the plugin takes the VFs from the host (linksInContainer false) --------------
step lacp-add
vf_state a.before "" "$A"; vf_state b.before "" "$B"
rec netns ip netns add pod-lacp
LACP='{"cniVersion": "0.4.0", "name": "bond-lacp", "type": "bond",
 "mode": "802.3ad", "miimon": 100, "lacpRate": "fast", "xmitHashPolicy": "layer3+4",
 "minLinks": 1, "mtu": 1400, "links": [{"name": "'$A'"}, {"name": "'$B'"}]}'
cni add ADD pod-lacp bond1 "$LACP"
for f in mode miimon lacp_rate xmit_hash_policy min_links ad_select slaves; do
  val "sys.$f" "$(bonding pod-lacp bond1 $f)"
done
rec show ip -n pod-lacp -j -d link show bond1
rec host-links ip -j link show
cni check CHECK pod-lacp bond1 "$LACP"
cni bad ADD pod-lacp bond2 "$(printf '%s' "$LACP" | sed 's/"802.3ad"/"active-backup"/')"

# --- lacp-del: DEL gives the VFs back to the host as they were ----------------------------------------
step lacp-del
cni del DEL pod-lacp bond1 "$LACP"
rec links ip -n pod-lacp -j link show
vf_state a.after "" "$A"; vf_state b.after "" "$B"
rec netns-del ip netns del pod-lacp
touch "$R/complete"
echo "== done (at $(ms) ms)"
