#!/usr/bin/env bash
# The monitor's sampling cost against the C reference (tcpref count, bench/native/tcpref.c), in the
# same run on the same machine.
#
#   bench/scripts/monitor-vs-tcpref.sh [REPEATS]     (default 3)
#
# Each repeat runs MonitorSourceBenchmark (JMH, SampleTime; its setup keeps ~20,000 TIME_WAIT
# sockets in the table) for netlink, proc and oshi, then `tcpref count` on the same table at once,
# so both see the same sockets. Reports per repeat and the median over repeats of
# Java p50 / C median, for netlink and proc, and OSHI / Java netlink. Output and raw JMH JSON go to
# results/<stamp>-monitor-vs-tcpref/.
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
repeats="${1:-3}"
[[ "$repeats" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [REPEATS>=1]" >&2; exit 2; }
command -v jq >/dev/null || { echo "$0: needs jq (apt-get install jq)" >&2; exit 2; }

out="$root/results/$(date +%Y%m%d-%H%M%S)-monitor-vs-tcpref"
mkdir -p "$out"
tcpref="$("$root/bench/native/build.sh")"   # the C reference, bench/native/tcpref.c
if [ ! -f "$root/bench/target/benchmarks.jar" ] || [ -n "$(find "$root"/{monitor,bench}/src/main -newer "$root/bench/target/benchmarks.jar" -type f -print -quit)" ]; then
  (cd "$root" && mvn -B -q -DskipTests -pl monitor,bench package)
fi
java_bin="$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)"
java_bin="${JAVA:-${java_bin:-java}}"

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf '%-6s %10s %10s %10s %10s %10s %8s %8s %8s\n' rep tw java_nl_us c_nl_us java_pr_us c_pr_us nl_ratio pr_ratio oshi_x | tee "$out/table.txt"
for r in $(seq 1 "$repeats"); do
  "$java_bin" --enable-native-access=ALL-UNNAMED -jar "$root/bench/target/benchmarks.jar" MonitorSourceBenchmark \
    -rf json -rff "$out/jmh-$r.json" >"$out/jmh-$r.log" 2>&1
  "$tcpref" count 21 >"$out/tcpref-$r.txt"
  tw=$(awk '/^TCP:/ {for (i=1;i<NF;i++) if ($i=="tw") print $(i+1)}' /proc/net/sockstat)
  p50() { jq -r --arg s "$1" '.[] | select(.params.source==$s) | .primaryMetric.scorePercentiles["50.0"]' "$out/jmh-$r.json"; }
  jn=$(p50 netlink); jp=$(p50 proc); jo=$(p50 oshi)
  cn=$(awk '/^netlink/ {for (i=1;i<=NF;i++) if ($i ~ /^median_ms=/) {split($i,a,"="); print a[2]*1000}}' "$out/tcpref-$r.txt")
  cp=$(awk '/^proc/ {for (i=1;i<=NF;i++) if ($i ~ /^median_ms=/) {split($i,a,"="); print a[2]*1000}}' "$out/tcpref-$r.txt")
  printf '%-6s %10s %10.1f %10.1f %10.1f %10.1f %8.2f %8.2f %8.1f\n' "$r" "$tw" "$jn" "$cn" "$jp" "$cp" \
    "$(echo "$jn / $cn" | bc -l)" "$(echo "$jp / $cp" | bc -l)" "$(echo "$jo / $jn" | bc -l)" | tee -a "$out/table.txt"
done
{
  echo
  echo "median over $repeats repeats:"
  # From the per-repeat costs, to three decimals, as goals-read.sh decides a goal (docs/goals.md)
  echo "  netlink: java/C = $(awk 'NR>1 && $1 ~ /^[0-9]/ && $4 > 0 {printf "%.6f\n", $3 / $4}' "$out/table.txt" | median | xargs printf '%.3f')  (goal <= 1.5)"
  echo "  proc:    java/C = $(awk 'NR>1 && $1 ~ /^[0-9]/ && $6 > 0 {printf "%.6f\n", $5 / $6}' "$out/table.txt" | median | xargs printf '%.3f')  (goal <= 1.3)"
  echo "  oshi / java netlink = $(awk 'NR>1 && $1 ~ /^[0-9]/ {print $9}' "$out/table.txt" | median)x slower"
  echo "results in $out"
} | tee -a "$out/table.txt"
