#!/usr/bin/env bash
# Builds the image's files beyond the Java application (which Jib adds under /app):
#   /opt/java                    a jlink'd runtime of MODULES, with its CDS archive
#   /lib64, /lib/x86_64-linux-gnu the loader and the glibc libraries that runtime links (from this
#                                 build machine, Debian 12's glibc); the image has no other libc
#   /opt/sriov-node/cni          the CNI executables the init container installs on the host
#   /opt/sriov-node/daemon.jvm-args  the daemon's JVM flags for that runtime's version, a java
#                                 argument file the entrypoint names (@FILE): DAEMON_JVM_FLAGS, the
#                                 list bin/sriov-node reads too (config-daemon-app's daemon-jvm.flags)
#   /tmp                         for the JVM's native helpers (the chart mounts an emptyDir there)
# Usage: rootfs.sh JDK_HOME OUT_DIR MODULES DAEMON_JVM_FLAGS [CNI_FILE[=NAME]...]
#   CNI_FILE=NAME installs CNI_FILE under NAME (one shim executable as both sriov and bond).
set -euo pipefail
jdk=$1 out=$2 modules=$3 daemon_flags=$4
shift 4
top="$(cd "$(dirname "$0")/../../.." && pwd)"
rm -rf "$out"
mkdir -p "$out/opt/sriov-node/cni" "$out/tmp" "$out/lib64" "$out/etc"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --generate-cds-archive --output "$out/opt/java" \
  --exclude-files='glob:/java.desktop/lib/**' >/dev/null
# No --compress: HotSpot reads an uncompressed class with pread but decompresses a compressed one
# straight from its mapping of lib/modules, which leaves the pages it touched resident: 10-19 MiB
# more RSS in the serving daemon (config-daemon/README.md, "Idle cost"). Uncompressed, lib/modules
# is 61 MB instead of 28 MB on disk but gzips (a registry's layer) to 19 MB instead of 27 MB.
# java.desktop is there for java.beans (Jackson, SnakeYAML, Micrometer use it); its native
# libraries (AWT, sound, fonts) would pull X11 and ALSA into the image and are never loaded.
# The archive for heaps over 32 GB (no compressed oops): a node daemon never has one; saves 14 MB.
rm -f "$out/opt/java/lib/server/classes_nocoops.jsa"

# The daemon's JVM flags for this runtime, one per line (java reads @FILE's words as arguments).
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$out/opt/java/release")
flags=()
. "$top/bin/lib/jvm-flags.sh"
jvm_flags_into flags "$daemon_flags" "${feature:?no JAVA_VERSION in the release file of the runtime}"
printf '%s\n' "${flags[@]}" >"$out/opt/sriov-node/daemon.jvm-args"

# The libraries the runtime's executables and shared objects need, resolved as the loader would.
libs=$(find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \) \
  -exec ldd {} \; 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u)
# jnr-ffi (sriov-os's libc binding) and netty load libc and libdl at run time by name.
libs="$libs /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/libdl.so.2"
for lib in $(printf '%s\n' $libs | sort -u); do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
cp -L /lib64/ld-linux-x86-64.so.2 "$out/lib64/ld-linux-x86-64.so.2"
# Without /etc/passwd the JDK cannot name uid 0 (user.name "?"); a minimal one names root.
printf 'root:x:0:0:root:/root:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\n' > "$out/etc/group"

for f in "$@"; do
  src=${f%%=*}
  name=$(basename "$src")
  if [ "$src" != "$f" ]; then name=${f#*=}; fi
  cp -L "$src" "$out/opt/sriov-node/cni/$name"
done
