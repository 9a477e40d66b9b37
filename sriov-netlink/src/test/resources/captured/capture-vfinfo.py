#!/usr/bin/env python3
# Captures a real IFLA_VFINFO_LIST for VfDecodeTest: the RTM_NEWLINK reply of an igb PF whose VFs
# were configured with iproute2, from the emulated-SR-IOV guest (kernel 6.12, QEMU igb, igbvf):
#   e2e/vm/run-in-guest.sh --pfs 1 --out /tmp/vfcap -- \
#     python3 sriov-netlink/src/test/resources/captured/capture-vfinfo.py
# and copy /tmp/vfcap/getlink-igb-vfs*.reply.bin and getlink-igb-vfs.ip.json here. It writes:
#   getlink-igb-vfs.reply.bin        RTM_GETLINK ifindex=PF, IFLA_EXT_MASK = RTEXT_FILTER_VF |
#                                    RTEXT_FILTER_SKIP_STATS (what RtnlClient.vfs(pf, false) asks)
#   getlink-igb-vfs-stats.reply.bin  the same with RTEXT_FILTER_VF only (per-VF stats included)
#   getlink-igb-vfs.ip.json          `ip -j -d link show PF` right after, for the expected values
#   getlink-igb-vfs.commands         the configuration commands run
import json
import os
import socket
import struct
import subprocess
import time

OUT = os.environ["SRIOV_E2E_OUT"]
PF = sorted(os.listdir("/sys/bus/pci/drivers/igb"))
PF = [p for p in PF if p.startswith("0000:")][0]
DEV = os.listdir(f"/sys/bus/pci/devices/{PF}/net")[0]

with open(f"/sys/bus/pci/devices/{PF}/sriov_numvfs", "w") as f:
    f.write("3")
deadline = time.time() + 60
while time.time() < deadline:
    vfs = [f"/sys/bus/pci/devices/{PF}/virtfn{i}" for i in range(3)]
    if all(os.path.isdir(os.path.join(os.path.realpath(v), "net")) for v in vfs):
        break
    time.sleep(0.2)

# igb takes a rate only while the PF is up, and refuses min_tx_rate (EINVAL) and link-state
# (EOPNOTSUPP); one setting per command so a refusal cannot hide the others.
commands = [
    f"ip link set {DEV} up",
    f"ip link set {DEV} vf 0 mac 02:11:22:33:44:55",
    f"ip link set {DEV} vf 0 vlan 100 qos 3",
    f"ip link set {DEV} vf 0 spoofchk off",
    f"ip link set {DEV} vf 0 trust on",
    f"ip link set {DEV} vf 1 mac 02:11:22:33:44:66",
    f"ip link set {DEV} vf 1 vlan 4094",
    f"ip link set {DEV} vf 1 max_tx_rate 100",
]
log = []
for c in commands:
    r = subprocess.run(c.split(), capture_output=True, text=True)
    log.append(f"{c}\n  rc={r.returncode} {r.stderr.strip()}")
with open(os.path.join(OUT, "getlink-igb-vfs.commands"), "w") as f:
    f.write("\n".join(log) + "\n")

ifindex = int(open(f"/sys/class/net/{DEV}/ifindex").read())
NETLINK_ROUTE, RTM_GETLINK, NLM_F_REQUEST = 0, 18, 1
IFLA_EXT_MASK, RTEXT_FILTER_VF, RTEXT_FILTER_SKIP_STATS = 29, 1, 8


def capture(mask, name):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    s.bind((0, 0))
    ifinfo = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, ifindex, 0, 0)
    attr = struct.pack("=HHI", 8, IFLA_EXT_MASK, mask)
    body = ifinfo + attr
    s.send(struct.pack("=IHHII", 16 + len(body), RTM_GETLINK, NLM_F_REQUEST, 1, 0) + body)
    data = s.recv(1 << 20)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    s.close()


capture(RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS, "getlink-igb-vfs.reply.bin")
capture(RTEXT_FILTER_VF, "getlink-igb-vfs-stats.reply.bin")
ipj = subprocess.run(["ip", "-j", "-d", "link", "show", DEV], capture_output=True, text=True)
with open(os.path.join(OUT, "getlink-igb-vfs.ip.json"), "w") as f:
    f.write(json.dumps(json.loads(ipj.stdout), indent=1) + "\n")
print(f"pf={PF} dev={DEV} ifindex={ifindex}")
