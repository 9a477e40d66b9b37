#!/bin/bash
# The bond CNI plugin (bin/cni/bond) run as a runtime runs it, in one guest boot (needs 2 igb PFs):
#   e2e/vm/run-in-guest.sh --pfs 2 --out DIR -- e2e/vm/scenarios/cni-bond.sh
# A VF of each PF. The Multus sequence of a pod with a bond, as a runtime runs it: the sriov
# plugin (bin/cni/sriov, with the VF's deviceID as the device plugin hands it over) ADDs PF 0's VF as
# net1 and PF 1's VF as net2, then the bond plugin bonds them (linksInContainer): active-backup with
# failOverMac 1 (active: the bond takes the active slave's MAC, the VFs keep their administrative
# MACs), primary and ARP monitoring with arpValidate (the VFs' carrier does not follow QEMU's
# set_link, so an MII monitor cannot see PF 1's link loss; ARP probes can); DEL in reverse order
# (bond, net2, net1); then 802.3ad with lacpRate/xmitHashPolicy over the sriov plugin's VFs again.
# Before both: 802.3ad with lacpRate/xmitHashPolicy/minLinks taking the VFs from the host itself
# (linksInContainer false). Every call's stdout, stderr and exit status, the options read back from
# /sys/class/net/<bond>/bonding and `ip -d`, the active slave around `qmp.sh set_link pf1 off/on`, the
# VFs and their PFs' VF tables before ADD and after DEL are recorded under $SRIOV_E2E_OUT/bond/<step>/;
# BondCniE2E judges them.
set -uo pipefail
R="${SRIOV_E2E_OUT:?run this inside the guest (run-in-guest.sh)}/bond"
rm -rf "$R"
mkdir -p "$R"
# shared: step, rec, val, netdev_of, wait_for
source "$(dirname "$0")/evidence.sh"
ms() { echo $(( ($(date +%s%N) - T0) / 1000000 )); }
# cni NAME COMMAND NETNS IFNAME NETCONF [PLUGIN]: the plugin (bin/cni/bond unless given) as a
# runtime execs it; every attachment of one pod shares its container id, as under Multus
cni() {
  local name="$1" command="$2" netns="$3" ifname="$4" conf="$5" plugin="${6:-bin/cni/bond}"
  printf '%s' "$conf" >"$step_dir/$name.stdin"
  local t=$(date +%s%N)
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_COMMAND="$command" CNI_CONTAINERID="ctr-$netns" \
    CNI_NETNS="/var/run/netns/$netns" CNI_IFNAME="$ifname" CNI_PATH=/usr/lib/cni \
    "$plugin" <"$step_dir/$name.stdin" >"$step_dir/$name.out" 2>"$step_dir/$name.err"
  echo $? >"$step_dir/$name.rc"
  val "$name.ms" $(( ($(date +%s%N) - t) / 1000000 ))
}
# sriov NAME COMMAND NETNS IFNAME VF_PCI [EXTRA]: bin/cni/sriov on one VF, as Multus runs it
sriov() {
  cni "$1" "$2" "$3" "$4" \
    "{\"cniVersion\": \"1.0.0\", \"name\": \"sriov-$3-$4\", \"type\": \"sriov\", \"deviceID\": \"$5\"${6:+, $6}}" \
    bin/cni/sriov
}
bonding() { ip netns exec "$1" cat "/sys/class/net/$2/bonding/$3" 2>/dev/null; }
# vf-state NAME NETNS DEV: what DEL must give back (MAC, MTU, up, master, netns)
vf_state() { ip ${2:+-n "$2"} -j -d link show "$3" >"$step_dir/$1.json" 2>"$step_dir/$1.err"; }
# vfs-state NAME: both VFs (host side) and both PFs' VF tables (the PF-side config: ip -d vfinfo_list)
vfs_state() {
  vf_state "a.$1" "" "$A"; vf_state "b.$1" "" "$B"
  vf_state "pf0.$1" "" "$PF0_DEV"; vf_state "pf1.$1" "" "$PF1_DEV"
}

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

# --- lacp-add: 802.3ad; the plugin takes the VFs from the host (linksInContainer false) --------------
# First, while no administrative MAC was ever set on the VFs: 802.3ad gives every slave the bond's
# MAC, which igb refuses to an untrusted VF once its PF has set one (the sriov plugin's DEL restores
# the admin MAC, as upstream #214, so after the Multus steps only trusted VFs can be bonded so).
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
# --- ab-add: the sriov plugin ADDs a VF of each PF (net1, net2), then active-backup over them --------
# The VFs get administrative MACs from the sriov plugin (trust on: igb takes a VF netdev's own MAC
# change under an admin MAC only from a trusted VF, and the sriov plugin sets the netdev's too;
# spoofchk stays on): failOverMac 1 (active) leaves the slaves' MACs alone and gives the bond the
# active slave's, so the bond's frames always carry the sending VF's own MAC.
step ab-add
MAC1=02:00:00:00:ab:01 MAC2=02:00:00:00:ab:02
vfs_state before
rec netns ip netns add pod-ab
sriov sriov1-add ADD pod-ab net1 "$VFA_PCI" "\"mac\": \"$MAC1\", \"trust\": \"on\""
sriov sriov2-add ADD pod-ab net2 "$VFB_PCI" "\"mac\": \"$MAC2\", \"trust\": \"on\""
vfs_state sriov-added
AB='{"cniVersion": "1.0.0", "name": "bond-ab", "type": "bond",
 "mode": "active-backup", "miimon": "0", "failOverMac": 1, "linksInContainer": true,
 "links": [{"name": "net1"}, {"name": "net2"}], "primary": "net2",
 "arpInterval": 100, "arpIpTargets": ["10.56.0.254"], "arpValidate": "active",
 "ipam": {"type": "static", "addresses": [{"address": "10.56.0.1/24"}]}}'
cni add ADD pod-ab bond0 "$AB"
active_is() { [[ "$(bonding pod-ab bond0 active_slave)" == "$1" ]]; }
wait_for 15 active_is net2
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
pod_mac() { ip netns exec pod-ab cat "/sys/class/net/$1/address"; }
val bond.mac.before "$(pod_mac bond0)"
t=$(date +%s%N)
rec off qmp.sh set_link pf1 off
wait_for 20 active_is net1
val off.active "$(bonding pod-ab bond0 active_slave)"
val off.after-ms $(( ($(date +%s%N) - t) / 1000000 ))
val off.b.carrier "$(ip netns exec pod-ab cat /sys/class/net/net2/carrier)"
val off.b.mii "$(ip netns exec pod-ab cat /sys/class/net/net2/bonding_slave/mii_status)"
val bond.mac.off "$(pod_mac bond0)"
val off.a.mac "$(pod_mac net1)"; val off.b.mac "$(pod_mac net2)"
rec off-ping ip netns exec pod-ab busybox ping -c 2 -W 3 10.56.0.254
t=$(date +%s%N)
rec on qmp.sh set_link pf1 on
wait_for 20 active_is net2
val on.active "$(bonding pod-ab bond0 active_slave)"
val on.after-ms $(( ($(date +%s%N) - t) / 1000000 ))
val bond.mac.on "$(pod_mac bond0)"
val a.mac "$(pod_mac net1)"
val b.mac "$(pod_mac net2)"

# --- ab-del: DEL in the reverse order of ADD: the bond, then the sriov plugin's net2 and net1 ---------
step ab-del
cni del DEL pod-ab bond0 "$CHECK_CONF"
rec links ip -n pod-ab -j link show
cni del-again DEL pod-ab bond0 "$CHECK_CONF"
sriov sriov2-del DEL pod-ab net2 "$VFB_PCI" "\"mac\": \"$MAC2\", \"trust\": \"on\""
sriov sriov1-del DEL pod-ab net1 "$VFA_PCI" "\"mac\": \"$MAC1\", \"trust\": \"on\""
rec pod-links ip -n pod-ab -j link show
vfs_state after
rec netns-del ip netns del pod-ab

# --- lacp-sriov-add: 802.3ad over the sriov plugin's VFs (trusted: the bond gives every slave its MAC) --
step lacp-sriov-add
vfs_state before
rec netns ip netns add pod-lacp2
SRIOV_LACP='"trust": "on", "spoofchk": "off"'
sriov sriov1-add ADD pod-lacp2 net1 "$VFA_PCI" "$SRIOV_LACP"
sriov sriov2-add ADD pod-lacp2 net2 "$VFB_PCI" "$SRIOV_LACP"
vfs_state sriov-added
LACP2='{"cniVersion": "1.0.0", "name": "bond-lacp2", "type": "bond",
 "mode": "802.3ad", "miimon": "100", "lacpRate": "fast", "xmitHashPolicy": "layer2+3",
 "linksInContainer": true, "links": [{"name": "net1"}, {"name": "net2"}]}'
cni add ADD pod-lacp2 bond0 "$LACP2"
for f in mode miimon lacp_rate xmit_hash_policy slaves; do
  val "sys.$f" "$(bonding pod-lacp2 bond0 $f)"
done
rec show ip -n pod-lacp2 -j -d link show bond0
cni check CHECK pod-lacp2 bond0 "$LACP2"

# --- lacp-sriov-del: the bond's DEL, then the sriov plugin's, in reverse order -------------------------
step lacp-sriov-del
cni del DEL pod-lacp2 bond0 "$LACP2"
rec links ip -n pod-lacp2 -j link show
sriov sriov2-del DEL pod-lacp2 net2 "$VFB_PCI" "$SRIOV_LACP"
sriov sriov1-del DEL pod-lacp2 net1 "$VFA_PCI" "$SRIOV_LACP"
rec pod-links ip -n pod-lacp2 -j link show
vfs_state after
rec netns-del ip netns del pod-lacp2
touch "$R/complete"
echo "== done (at $(ms) ms)"
