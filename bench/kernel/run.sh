#!/usr/bin/env bash
# Kernel latency benchmark (kernel_info after start, trivial cell, %session, first chart) through Debian's
# jupyter_client, on Java 17 and on Temurin 25 (each JDK found is measured; JDKS="path/to/java ..." overrides).
#   bench/kernel/run.sh [kernel_bench.py flags: --starts 5 --n 30 --charts 10 --jvm-flag=-D...]
# Results: one JSON per JDK in bench/kernel/target/ and a summary on stdout.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 || ! -f "$ROOT/kernel-extensions/target/kernel/lib/modelwork-kernel.jar" ]]; then
  (cd "$ROOT" && ${MVN:-mvn -q -o} -pl kernel-extensions -am package -DskipTests)
fi
JDKS="${JDKS:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
mkdir -p "$HERE/target"
for java in $JDKS; do
  [[ -x "$java" ]] || { echo "skipping $java (not installed)" >&2; continue; }
  v=$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  /usr/bin/python3 -Xfrozen_modules=off "$HERE/kernel_bench.py" --java "$java" --json "$HERE/target/kernel-java$v.json" "$@"
done
