#!/bin/sh
# Runs RtnlBenchmark (JMH) on the toolchain JDK. Equivalent to the project's
#   ./mvnw -B -Pbench -pl sriov-netlink -am clean verify -DskipTests -Djmh.args="RtnlBenchmark ..."
# but without running other modules' benchmarks (with -am, a module whose benchmarks do not match
# the regex makes JMH exit 1). Run as root from the repository root.
# usage: sriov-netlink/bench/run-java-bench.sh [JMH ARGS...]
set -eu
./mvnw -B -q -o -Pbench -pl sriov-netlink -am clean test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
cp_file=sriov-netlink/target/bench.cp
java_bin=${JAVA21_HOME:-$(ls -d /usr/lib/jvm/temurin-2[1-9]* /usr/lib/jvm/*-2[1-9]* 2>/dev/null | sort -V | tail -1)}/bin/java
cp="sriov-netlink/target/test-classes:sriov-netlink/target/classes:$(cat "$cp_file")"
if [ $# -eq 0 ]; then set -- RtnlBenchmark -f 1 -wi 3 -i 5 -w 2s -r 3s; fi
exec "$java_bin" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main "$@"
