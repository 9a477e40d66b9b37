#!/usr/bin/env python3
# Captures the kernel's RTNLGRP_IPV4_ROUTE notifications (event-*route-*.bin) for
# DefaultRouteDecoderTest. Run as root from this directory:
#   ip netns add caproute
#   ip -n caproute link add rc0 type veth peer name rc1
#   ip -n caproute link set rc0 up; ip -n caproute link set rc1 up
#   ip -n caproute addr add 192.0.2.2/24 dev rc0
#   ip netns exec caproute python3 capture-route-events.py .; ip netns del caproute
# Each file holds the datagrams received after one command, back to back (rc0 is ifindex 3).
import os
import socket
import subprocess
import sys

RTMGRP_IPV4_ROUTE = 0x40
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)  # NETLINK_ROUTE
s.bind((0, RTMGRP_IPV4_ROUTE))
s.settimeout(1.0)
steps = [
    ("event-newroute-default.bin", "ip route add default via 192.0.2.1 dev rc0 metric 100"),
    ("event-delroute-default.bin", "ip route del default via 192.0.2.1 dev rc0 metric 100"),
    ("event-newroute-other.bin", "ip route add 198.51.100.0/24 via 192.0.2.1 dev rc0"),
]
for name, cmd in steps:
    subprocess.run(cmd.split(), check=True)
    data = b""
    while True:
        try:
            data += s.recv(65536)
        except socket.timeout:
            break
    with open(os.path.join(sys.argv[1], name), "wb") as f:
        f.write(data)
