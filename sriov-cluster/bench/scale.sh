#!/bin/sh
# The scale benchmark of issue #19 (io.sriov.cluster.bench.ScaleBenchmark): N daemons on small
# simulated nodes in one JVM against fabric8's mock API server; convergence time of a policy
# change, API requests per node per change counted at the server (burst and idle), and the drain
# of a pool with maxUnavailable 10%. Not root; no kernel needed. Run from the repository root:
#   sriov-cluster/bench/scale.sh [--nodes 10,50,100] [--idle-s 10] [--quiet-ms 1500] [--report FILE]
# Exits 1 when a target is not met (the report says which). Heap: SCALE_BENCH_XMX (default 1g);
# more JVM options (e.g. -Xlog:gc): SCALE_BENCH_JAVA_OPTS.
set -eu
./mvnw -B -q -o -pl sriov-cluster -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
java_bin=${JAVA21_HOME:-$(ls -d /usr/lib/jvm/temurin-2[1-9]* /usr/lib/jvm/*-2[1-9]* 2>/dev/null | sort -V | tail -1)}/bin/java
work=$(mktemp -d /tmp/sriov-scale-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
# run from a copy: a rebuild of the module during a run does not change the classes under it
cp -r sriov-cluster/target/test-classes "$work/test-classes"
cp -r sriov-cluster/target/classes "$work/classes"
cp="$work/test-classes:$work/classes:$(cat sriov-cluster/target/bench.cp)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs" >&2
# shellcheck disable=SC2086
"$java_bin" -Xmx"${SCALE_BENCH_XMX:-1g}" ${SCALE_BENCH_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$cp" io.sriov.cluster.bench.ScaleBenchmark --work "$work/nodes" "$@"
