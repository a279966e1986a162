#!/usr/bin/env bash
# The monitor's sampling cost against the C reference (tcpref count, bench/native/tcpref.c), in the
# same run on the same machine.
#
#   bench/scripts/monitor-vs-tcpref.sh [REPEATS]     (default 3; goals.sh gives its REPEATS, 5)
#
# Each repeat runs MonitorSourceBenchmark (JMH, SampleTime; its setup keeps ~20,000 TIME_WAIT
# sockets in the table) for netlink, proc and oshi, then `tcpref count` on the same table at once,
# so both see the same sockets. As root each repeat runs in a fresh network namespace of its own
# (unshare -n, loopback up; JMH's forked JVM and tcpref count in it too), so the table holds the
# benchmark's sockets and not also what the repeats before it left (on the host, 2026-12-07:
# 42,229 TIME_WAIT in the first repeat, 82,127 and 75,725 in the next two); without root, on the
# host, as isolation.txt says.
# The benchmarks jar is built if needed before the first repeat and pinned (pin-bench-jar.sh;
# BENCH_JAR), so every repeat measures one build. A repeat whose JMH or tcpref count failed, or left a
# cost out, is "failed" in the table, said in excluded.txt, and left out of the medians.
# Reports per repeat and the median over repeats of Java p50 / C median, for netlink and proc, and
# OSHI / Java netlink. Output (table.txt, pairs.tsv: "rep source c_us java_us" at full precision,
# excluded.txt, isolation.txt) and raw JMH JSON go to results/<stamp>-monitor-vs-tcpref/.
set -euo pipefail
export LC_ALL=C   # printf and awk print 0.92, not 0,92, whatever the caller's locale
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
repeats="${1:-3}"
[[ "$repeats" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [REPEATS>=1]" >&2; exit 2; }
command -v jq >/dev/null || { echo "$0: needs jq (apt-get install jq)" >&2; exit 2; }

out="$root/results/$(date +%Y%m%d-%H%M%S)-monitor-vs-tcpref"
mkdir -p "$out"
tcpref="$("$root/bench/native/build.sh")"   # the C reference, bench/native/tcpref.c
. "$root/bench/scripts/pin-bench-jar.sh"   # builds the benchmarks jar if needed, outside the timed runs, and pins it
java_bin="$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)"
java_bin="${JAVA:-${java_bin:-java}}"

if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  isolation="each repeat in a fresh network namespace"
  isolated() { unshare -n sh -c 'ip link set lo up && exec "$@"' isolated "$@"; }
else
  isolation="on the host (not root: no namespaces)"
  isolated() { "$@"; }
fi
echo "isolation: $isolation" | tee "$out/isolation.txt"

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
num() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]]; }
# a cost or ratio to the table's decimals, or as it is ("failed", "-")
fmt() { awk -v f="$1" -v a="$2" 'BEGIN {print (a ~ /^[0-9.]+$/ ? sprintf(f, a) : a)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {print (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0 ? a / b : "-")}'; }

printf '%-6s %10s %10s %10s %10s %10s %8s %8s %8s\n' rep tw java_nl_us c_nl_us java_pr_us c_pr_us nl_ratio pr_ratio oshi_x | tee "$out/table.txt"
echo "rep source c_us java_us" >"$out/pairs.tsv"
: >"$out/excluded.txt"
for r in $(seq 1 "$repeats"); do
  # JMH, then tcpref count and the TIME_WAIT count on the same table: one namespace for the three
  rc=0
  isolated sh -c '"$0" --enable-native-access=ALL-UNNAMED -jar "$1" MonitorSourceBenchmark -rf json -rff "$2/jmh-$4.json" >"$2/jmh-$4.log" 2>&1 || exit 3
    "$3" count 21 >"$2/tcpref-$4.txt" || exit 4
    awk '"'"'/^TCP:/ {for (i=1;i<NF;i++) if ($i=="tw") print $(i+1)}'"'"' /proc/net/sockstat >"$2/tw-$4.txt"' \
    "$java_bin" "$BENCH_JAR" "$out" "$tcpref" "$r" || rc=$?
  p50() { jq -r --arg s "$1" '.[] | select(.params.source==$s) | .primaryMetric.scorePercentiles["50.0"]' "$out/jmh-$r.json" 2>/dev/null || true; }
  jn=$(p50 netlink); jp=$(p50 proc); jo=$(p50 oshi)
  cn=$(awk '/^netlink/ {for (i=1;i<=NF;i++) if ($i ~ /^median_ms=/) {split($i,a,"="); print a[2]*1000}}' "$out/tcpref-$r.txt" 2>/dev/null || true)
  cp=$(awk '/^proc/ {for (i=1;i<=NF;i++) if ($i ~ /^median_ms=/) {split($i,a,"="); print a[2]*1000}}' "$out/tcpref-$r.txt" 2>/dev/null || true)
  tw=$(cat "$out/tw-$r.txt" 2>/dev/null || echo -)
  why=""
  case "$rc" in 0) ;; 3) why="JMH exited non-zero (see jmh-$r.log)" ;; 4) why="tcpref count failed (see tcpref-$r.txt)" ;; *) why="its namespace failed (exit $rc)" ;; esac
  for src in netlink proc; do
    if [ "$src" = netlink ]; then j="$jn" c="$cn"; else j="$jp" c="$cp"; fi
    w="$why"
    [ -n "$w" ] || { num "$j" && num "$c"; } || w="no $src cost from $(num "$j" && echo "tcpref count" || echo JMH)"
    if [ -n "$w" ]; then
      echo "warning: repeat $r: $w: left out of $src" >&2; echo "$r $src $w" >>"$out/excluded.txt"
      echo "$r $src - -" >>"$out/pairs.tsv"
      if [ "$src" = netlink ]; then jn=failed cn=failed; else jp=failed cp=failed; fi
    else
      echo "$r $src $c $j" >>"$out/pairs.tsv"
    fi
  done
  printf '%-6s %10s %10s %10s %10s %10s %8s %8s %8s\n' "$r" "$tw" "$(fmt %.1f "$jn")" "$(fmt %.1f "$cn")" "$(fmt %.1f "$jp")" "$(fmt %.1f "$cp")" \
    "$(fmt %.2f "$(ratio "$jn" "$cn")")" "$(fmt %.2f "$(ratio "$jp" "$cp")")" "$(fmt %.1f "$(ratio "$jo" "$jn")")" | tee -a "$out/table.txt"
done
. "$root/bench/scripts/pairs-median.sh"   # the median of one source's per-repeat ratios Java / C (pairs.tsv: c_us java_us)
{
  echo
  echo "median over $repeats repeats ($isolation):"
  # From the per-repeat costs, to three decimals, as goals-read.sh decides a goal (docs/goals.md)
  echo "  netlink: java/C = $(pairs_median "$out/pairs.tsv" netlink)  (goal <= 1.5)"
  echo "  proc:    java/C = $(pairs_median "$out/pairs.tsv" proc)  (goal <= 1.3)"
  echo "  oshi / java netlink = $(awk 'NR>1 && $1 ~ /^[0-9]/ && $9 ~ /^[0-9.]+$/ {print $9}' "$out/table.txt" | median)x slower"
  echo "results in $out"
} | tee -a "$out/table.txt"
