#!/usr/bin/env bash
# Builds the project, resolves the bench classpath, and runs one benchmark (or all).
#   bench/run.sh LifecycleOverheadBench [--quick] [flags...]
#   bench/run.sh all [--quick]
#   bench/run.sh OptimizationBench [--quick]   (time to 1% of the optimum; glpsol/cbc columns need glpk-utils, coinor-cbc)
# Kernel latency (kernel_info, cell round trips, first chart; Java 17 and Temurin 25): bench/kernel/run.sh
# Environment: MVN (default "mvn -q -o"; set MVN="mvn -q" to allow downloads), JAVA (default java),
#              BENCH_SKIP_BUILD=1 to reuse the last build, MODELWORK_ASSETS (data root; default: a "shared" folder beside the checkout or a parent).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
MVN="${MVN:-mvn -q -o}"
JAVA="${JAVA:-java}"
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 || ! -f "$HERE/target/classpath.txt" ]]; then
  # a reactor build: the classpath points at this checkout's library jar, not whatever ~/.m2 holds
  (cd "$ROOT" && $MVN -DskipTests -pl bench -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
fi
CP="$HERE/target/classes:$(cat "$HERE/target/classpath.txt")"
# OpenMP workers sleep instead of spinning while waiting: on a shared 2-core machine spinning threads steal the
# cores the other worker needs (set OMP_WAIT_POLICY=active to override)
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"
JOPTS=(-Xmx4g)
# the data root: MODELWORK_ASSETS, else the library finds a "shared" folder beside the checkout or a parent
if [[ -n "${MODELWORK_ASSETS:-}" ]]; then JOPTS+=(-Dmodelwork.assets="$MODELWORK_ASSETS"); fi
cd "$ROOT"
run() { echo "== $1"; "$JAVA" "${JOPTS[@]}" -cp "$CP" "io.modelwork.bench.$1" "${@:2}"; }
name="${1:-all}"; shift || true
if [[ "$name" == all ]]; then
  for b in LifecycleOverheadBench IngestBench OnnxPredictBench PythonXgboostBench; do run "$b" "$@"; done
else
  run "$name" "$@"
fi
