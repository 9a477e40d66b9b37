#!/usr/bin/env python3
"""Medians of a cni-fastpath-profile.sh guest run, per daemon configuration.

    python3 cni-server/bench/profile-summary.py OUT_DIR   (run-in-guest.sh's --out)

Per call (ms): the wall time as the caller saw it; for the shim's calls, paired in call order with
the daemon's log line: the daemon's total_ms (accept to answer written), the plugin's ms, the part
outside the daemon (wall - total_ms) and the server's part around the plugin (total_ms - ms).
"""
import os
import re
import statistics
import sys


def values(path):
    with open(path) as f:
        return [float(x) for x in f if x.strip()]


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def field(line, key):
    m = re.search(rf" {key}=([0-9.]+)", line)
    return float(m.group(1)) if m else None


def summary(d):
    def read(name):
        p = os.path.join(d, name)
        return open(p).read().strip() if os.path.exists(p) else "-"

    print(f"== {os.path.basename(d)} java-opts=[{read('java-opts')}] start={read('start.ms')} ms "
          f"load {read('load-before')} -> {read('load-after')}; daemon passes "
          f"{read('apply-count.before')} -> {read('apply-count.after')}; {read('rss')}")
    walls = {}
    for s in ("true", "hd-version", "shim-version", "hd-add", "hd-del", "shim-add", "shim-del",
              "host-device", "shim"):
        p = os.path.join(d, s + ".ms")
        if os.path.exists(p):
            walls[s] = values(p)
            v = walls[s]
            print(f"  {s:13} wall median {med(v):7.1f}  (min {min(v):.1f}, max {max(v):.1f}, n {len(v)})")
    with open(os.path.join(d, "daemon.err")) as f:
        lines = [l for l in f if "CNI call plugin=sriov" in l]
    for cmd, series in (("VERSION", "shim-version"), ("ADD", "shim-add"), ("DEL", "shim-del")):
        w = walls.get(series, [])
        ls = [l for l in lines if f" command={cmd} " in l]
        # VERSION: the last n (the readiness probes come first); ADD, DEL: after the 3 warm-ups
        ls = ls[-len(w):] if cmd == "VERSION" else ls[3:3 + len(w)]
        if not w or len(ls) != len(w) or field(ls[0], "total_ms") is None:
            print(f"  {cmd}: no per-call pairing (no total_ms in the daemon's log, or a count differs)")
            continue
        total = [field(l, "total_ms") for l in ls]
        ms = [field(l, "ms") for l in ls]
        parts = " ".join(f"{k[:-3]} {med([field(l, k) for l in ls]):.1f}"
                         for k in ("peer_ms", "queue_ms", "read_ms", "reply_ms"))
        print(f"  shim {cmd:7} daemon total {med(total):6.1f}, plugin {med(ms):6.1f}; per call: outside "
              f"the daemon {med([a - b for a, b in zip(w, total)]):6.1f}, server around the plugin "
              f"{med([a - b for a, b in zip(total, ms)]):5.1f} ({parts})")
    gc = os.path.join(d, "gc.log")
    if os.path.exists(gc):
        pauses = [float(m.group(1)) for m in re.finditer(r"Pause.* ([0-9.]+)ms", open(gc).read())]
        if pauses:
            print(f"  gc: {len(pauses)} pauses over the daemon's life, median {med(pauses):.1f} ms, "
                  f"sum {sum(pauses):.0f} ms")


root = os.path.join(sys.argv[1], "cni-fastpath-profile")
for name in sorted(os.listdir(root)):
    if os.path.exists(os.path.join(root, name, "daemon.err")):
        summary(os.path.join(root, name))
