# Sourced by the scripts that run bench/floor's programs: sets java to a JDK 25+ binary, looking where
# the churn launcher looks (JAVA_HOME, java on PATH, /usr/lib/jvm), or says so and exits 2.
java_major() { "$1" -version 2>&1 | sed -nE 's/.* version "([0-9]+)(\.[^"]*)?".*/\1/p' | head -n 1; }
java=""
for j in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
  [ -n "$j" ] && [ -x "$j" ] || continue
  v="$(java_major "$j")"
  if [ -n "$v" ] && [ "$v" -ge 25 ]; then java="$j"; break; fi
done
[ -n "$java" ] || { echo "$0: needs a JDK 25 or newer for bench/floor (JAVA_HOME, java on PATH, /usr/lib/jvm)" >&2; exit 2; }
# The floors run with the churn launcher's trap limits: both measure after a warm-up, and without them
# the switch to the measured part recompiled the hot path in its first second (docs/performance.md,
# "The switch's second compile"); churn / floor compares like with like.
floor_jvm=(-XX:PerMethodTrapLimit=0 -XX:PerBytecodeTrapLimit=0)
