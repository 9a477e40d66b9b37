#!/bin/bash
# ScrapeBenchmark of this tree (node=ice and node=igb) side by side with the same benchmark of an
# earlier revision of sriov-observability (default a72caca, before the scrape path wrote the node's
# series itself and walked pod namespaces on one thread), compiled against this tree's classpath.
# Alternates after/before for ROUNDS rounds, each run under /work/wt/bench.lock with `uptime`
# before and after. Run from the repository root (root is not needed).
# usage: sriov-observability/bench/run-scrape-bench.sh [BEFORE_REV [ROUNDS]]
# One round takes about 2.5 min on the 2-vCPU machine (after: 2 x ~45 s, before: ~45 s).
set -euo pipefail
before_rev=${1:-a72caca}
rounds=${2:-2}
lock=${BENCH_LOCK:-/work/wt/bench.lock}
./mvnw -B -q -o -Pbench -pl sriov-observability -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
J=$(bin/find-jdk)/bin/java
javac=$(dirname "$J")/javac
m=sriov-observability
cp_deps=$(cat $m/target/bench.cp)
after_cp="$m/target/test-classes:$m/target/classes:$cp_deps"
# the earlier revision's classes: its main sources and benchmark, this tree's dependencies
old=$(mktemp -d /tmp/scrape-before-XXXXXX)
trap 'rm -rf "$old"' EXIT
git archive "$before_rev" $m/src | tar -x -C "$old"
jmh_ap=$(ls ~/.m2/repository/org/openjdk/jmh/jmh-generator-annprocess/*/jmh-generator-annprocess-*.jar | tail -1)
"$javac" -nowarn -d "$old/classes" -cp "$cp_deps" $(find "$old/$m/src/main/java" -name '*.java')
"$javac" -nowarn -d "$old/test-classes" -cp "$old/classes:$cp_deps" -processorpath "$jmh_ap:$cp_deps" \
  $(find "$old/$m/src/test/java/io/sriov/observability/bench" "$old/$m/src/test/java/io/sriov/observability/testing" -name '*.java')
before_cp="$old/test-classes:$old/classes:$cp_deps"
jmh=(-jvm "$J" -bm avgt -f 1 -wi 3 -i 5 -w 2 -r 2 -prof gc)
show='process CPU|^Scrape|^Benchmark|# Parameters'
for r in $(seq "$rounds"); do
  for side in after before; do
    if [ $side = after ]; then cp=$after_cp; else cp=$before_cp; fi
    flock "$lock" bash -c "echo '=== round $r $side'; uptime
      '$J' -Djmh.ignoreLock=true -cp '$cp' org.openjdk.jmh.Main ScrapeBenchmark ${jmh[*]} 2>&1 | grep -E '$show'
      uptime"
  done
done
