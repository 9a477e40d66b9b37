#!/usr/bin/env bash
# Start-up cost of the standalone plugin on the host (no VF needed), interleaved rounds:
#   sriov-cni/bench/startup.sh [ROUNDS]        (default 5; root: STATUS opens rtnetlink)
# Rows: bin/cni/sriov as installed (after its --build-archive), the same JVM with the start-up
# as it was before (jnr-ffi's ASM stubs, jffi's library extracted to /tmp, dynamic AppCDS archive
# trained the same way), `java -version` with the launcher's flags (the floor of any JVM plugin),
# and Debian's host-device (Go) VERSION as the peer. Each cell: wall ms and CPU ms (user+sys), as
# min / median / max over the rounds; the load average before and after is printed. Build first:
# ./mvnw -B -q package -pl sriov-cni -am -DskipTests && bin/cni/sriov --build-archive
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
rounds="${1:-5}"
plugin="$top/bin/cni/sriov"
jar=$(ls "$top"/sriov-cni/target/sriov-cni-*.jar | grep -v -e '-tests.jar' -e '-sources.jar' | head -1)
[ -s "${jar%.jar}.aot" ] || [ -s "${jar%.jar}.jsa" ] || { echo "run bin/cni/sriov --build-archive first" >&2; exit 1; }
cp="$jar"; for lib in "$(dirname "$jar")"/lib/*.jar; do cp="$cp:$lib"; done
jdk="$("$top/bin/find-jdk")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
st='{"cniVersion":"1.1.0","name":"bench","type":"sriov"}'
# The start-up before this change: default jnr-ffi (ASM stubs), jffi extracting its library.
before=(-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss512k
        -Xlog:cds=off -Xlog:cds+dynamic=off --enable-native-access=ALL-UNNAMED
        --sun-misc-unsafe-memory-access=allow)
echo "$st" | CNI_COMMAND=STATUS CNI_PATH=/nonexistent "$jdk/bin/java" "${before[@]}" \
  "-XX:ArchiveClassesAtExit=$work/before.jsa" -cp "$cp" io.sriov.cni.sriov.SriovCniMain >/dev/null
# one NAME COMMAND...: one timed call, stdin = the STATUS netconf; appends "wall cpu" to NAME
one() {
  local name="$1"; shift
  /usr/bin/time -f '%e %U %S' -o "$work/t" "$@" <"$work/st.json" >/dev/null 2>&1 || { echo "$name failed" >&2; exit 1; }
  awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' "$work/t" >>"$work/$name"
}
printf '%s' "$st" >"$work/st.json"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq 1 "$rounds"); do
  one launcher-STATUS env CNI_COMMAND=STATUS CNI_PATH=/usr/lib/cni "$plugin"
  one launcher-VERSION env CNI_COMMAND=VERSION "$plugin"
  one before-STATUS env CNI_COMMAND=STATUS CNI_PATH=/usr/lib/cni "$jdk/bin/java" "${before[@]}" \
    "-XX:SharedArchiveFile=$work/before.jsa" -cp "$cp" io.sriov.cni.sriov.SriovCniMain
  one java-version "$jdk/bin/java" "${before[@]}" -version
  one host-device-VERSION env CNI_COMMAND=VERSION /usr/lib/cni/host-device
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %-22s %-22s\n' call "wall ms min/med/max" "cpu ms min/med/max"
for name in launcher-STATUS launcher-VERSION before-STATUS java-version host-device-VERSION; do
  stat() { cut -d' ' -f"$1" "$work/$name" | sort -n | awk '{ a[NR] = $1 } END { printf "%d / %d / %d", a[1], a[int((NR + 1) / 2)], a[NR] }'; }
  printf '%-22s %-22s %-22s\n' "$name" "$(stat 1)" "$(stat 2)"
done
