#!/bin/sh
# Captures the netlink REQUESTS iproute2 (ip, devlink) sends for operations this kernel cannot
# perform (no SR-IOV PF, no bonding, no devlink device), so the request-pinning tests can compare
# our bytes with iproute2's. Run as root from this directory; needs strace. Each NAME.request.hex
# holds the hex of the last netlink message sent (one line of hex bytes).
set -eu
ns=sriov-capture-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
cap() { # name, command...
  name=$1; shift
  ip netns exec "$ns" strace -f -e trace=sendmsg,sendto -e write=3,4,5 -o "/tmp/$name.strace" "$@" >/dev/null 2>&1 || true
  # hex lines of the LAST dumped buffer
  awk '/send(msg|to)\(/ {buf=""; next} / \| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / {
         sub(/^.*\| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  /, ""); line=substr($0, 1, 49);
         n=split(line, b, " "); for (i=1;i<=n;i++) if (b[i] ~ /^[0-9a-f][0-9a-f]$/) buf=buf b[i] }
       END {print buf}' "/tmp/$name.strace" > "$name.request.hex"
  rm -f "/tmp/$name.strace"
}
cap vf-set ip link set dev lo vf 3 mac 02:11:22:33:44:55 vlan 100 qos 5 proto 802.1ad \
  min_tx_rate 10 max_tx_rate 1000 spoofchk off trust on state disable
# Options in the order RtnlRequests writes them (iproute2 writes them in argument order).
cap bond-add ip link add bond7 type bond mode 802.3ad miimon 100 updelay 200 downdelay 300 \
  fail_over_mac active xmit_hash_policy layer3+4 all_slaves_active 1 min_links 1 \
  lacp_rate fast ad_select bandwidth tlb_dynamic_lb 0
cap bond-arp-add ip link add bond8 type bond mode active-backup arp_interval 250 \
  arp_ip_target 192.0.2.1,192.0.2.2 primary lo
# devlink requests cannot be captured here: this kernel has no devlink family, so the devlink tool
# stops after CTRL_CMD_GETFAMILY. That request is captured instead.
cap genl-getfamily-devlink devlink dev show
