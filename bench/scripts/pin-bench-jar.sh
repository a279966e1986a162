# Sourced by monitor-vs-tcpref.sh and goals.sh, with $root set: builds the JMH benchmarks jar
# (bench/target/benchmarks.jar) if it is missing or older than the monitor's or bench's sources,
# outside the timed runs, then pins a copy (BENCH_JAR), as pin-jar.sh pins churn's: goals.sh builds
# it once before its first suite, where the monitor suite ran mvn itself after an hour of the others
# if the tree had moved, and measured another build than they did. A BENCH_JAR already set is kept.
# The copies live in bench/target/pinned/, named by their content; `mvn clean` removes them, and a
# copy no script has pinned for a day goes.
if [ -z "${BENCH_JAR:-}" ]; then
  if [ ! -f "$root/bench/target/benchmarks.jar" ] ||
     [ -n "$(find "$root"/{monitor,bench}/src/main -newer "$root/bench/target/benchmarks.jar" -type f -print -quit)" ]; then
    (cd "$root" && mvn -B -q -DskipTests -pl monitor,bench package)
  fi
  . "$root/bench/scripts/pin-copy.sh"
  BENCH_JAR="$(pin_copy "$root/bench/target/benchmarks.jar" "$root/bench/target/pinned" benchmarks)"
  export BENCH_JAR
fi
