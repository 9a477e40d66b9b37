#!/usr/bin/env bash
# FFM (java.lang.foreign) against jnr-ffi for the standalone plugin's start-up, on JDK 25+:
#   sriov-cni/bench/ffm-vs-jnr/run.sh [ROUNDS]     (default 10; builds nothing of the project but
#   needs jnr-ffi's jars in sriov-cni/target/lib: ./mvnw -B -q package -pl sriov-cni -am -DskipTests)
# Two throwaway mains do the same work, open an AF_NETLINK socket, send RTM_GETLINK for ifindex 1
# (lo), read the answer: p.FfmMain through Linker.downcallHandle (errno via captureCallState),
# p.JnrMain through jnr-ffi 2.2.17 in reflection mode as sriov-os's JnrLibc binds libc. Both bind
# the same 23 functions JnrLibc binds; "ffm-lazy" binds only the 5 the call uses; "nospec" turns
# off the JDK's specialised downcall stubs. Every variant runs with the standalone plugins' flags
# and its own AOT cache trained on one call. Prints CPU (user+sys) and wall ms, min/med/max.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../../.." && pwd)"
jdk="$("$top/bin/find-jdk")"
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")
[ "$feature" -ge 25 ] || { echo "needs JDK 25+ (AOT cache, final FFM API); find-jdk gave $jdk" >&2; exit 1; }
lib="$top/sriov-cni/target/lib"
ls "$lib"/jnr-ffi-*.jar >/dev/null || { echo "build sriov-cni first (see the header)" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"
jars=$(ls "$lib"/jnr-*.jar "$lib"/jffi-*.jar "$lib"/asm*.jar | tr '\n' ':')
"$jdk/bin/javac" -d out -cp "$jars" "$here"/p/*.java
"$jdk/bin/jar" cf proto.jar -C out .
mkdir native
(cd native && "$jdk/bin/jar" xf "$lib"/jffi-*-native.jar jni/x86_64-Linux/ && mv jni/x86_64-Linux/*.so . && rm -r jni)
J="$jdk/bin/java"
CP="proto.jar:${jars%:}"
common=(-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss512k
  -Djava.locale.providers=HOST -Xlog:cds=off -Xlog:cds+dynamic=off -Xlog:aot=off --enable-native-access=ALL-UNNAMED)
jnr="-Djnr.ffi.asm.enabled=false -Djffi.boot.library.path=$work/native --sun-misc-unsafe-memory-access=allow"
nospec="-Djdk.internal.foreign.DowncallLinker.USE_SPEC=false"
declare -A flags main args
kinds=(ffm ffm-lazy ffm-nospec ffm-lazy-nospec jnr)
flags[ffm]="";        main[ffm]=p.FfmMain; args[ffm]=""
flags[ffm-lazy]="";   main[ffm-lazy]=p.FfmMain; args[ffm-lazy]=lazy
flags[ffm-nospec]="$nospec"; main[ffm-nospec]=p.FfmMain; args[ffm-nospec]=""
flags[ffm-lazy-nospec]="$nospec"; main[ffm-lazy-nospec]=p.FfmMain; args[ffm-lazy-nospec]=lazy
flags[jnr]="$jnr";    main[jnr]=p.JnrMain; args[jnr]=""
for k in "${kinds[@]}"; do
  # shellcheck disable=SC2086 # flags and args are word lists
  "$J" "${common[@]}" ${flags[$k]} -XX:AOTMode=record -XX:AOTConfiguration=$k.conf -cp "$CP" ${main[$k]} ${args[$k]} >/dev/null
  # shellcheck disable=SC2086
  "$J" "${common[@]}" ${flags[$k]} -XX:AOTMode=create -XX:AOTConfiguration=$k.conf -XX:AOTCache=$k.aot -cp "$CP" >/dev/null 2>&1
done
one() { local k=$1; shift; /usr/bin/time -f '%e %U %S' -o t "$@" >/dev/null 2>&1; awk '{printf "%d %d\n", $1*1000, ($2+$3)*1000}' t >>"res.$k"; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq 1 "${1:-10}"); do
  for k in "${kinds[@]}"; do
    # shellcheck disable=SC2086
    one "$k" "$J" "${common[@]}" ${flags[$k]} -XX:AOTCache=$k.aot -cp "$CP" ${main[$k]} ${args[$k]}
  done
  one java-version "$J" "${common[@]}" -version
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-16s %-20s %-20s\n' variant "cpu ms min/med/max" "wall ms min/med/max"
for k in "${kinds[@]}" java-version; do
  stat() { cut -d' ' -f"$1" "res.$k" | sort -n | awk '{a[NR]=$1} END {printf "%d / %d / %d", a[1], a[int((NR+1)/2)], a[NR]}'; }
  printf '%-16s %-20s %-20s\n' "$k" "$(stat 2)" "$(stat 1)"
done
