#!/usr/bin/env bash
# The monitor's sampling cost against the C reference (tcpref count, bench/native/tcpref.c), in the
# same run on the same machine.
#
#   bench/scripts/monitor-vs-tcpref.sh [REPEATS]     (default 3; goals.sh gives its REPEATS, 5)
#
# Each repeat runs MonitorSourceBenchmark (JMH, SampleTime; its setup seeds at least 20,000 TIME_WAIT
# sockets and stops if it cannot) for one source at a time, netlink, proc, then oshi, and right after
# netlink's and proc's `tcpref count` and the TIME_WAIT count in /proc/net/sockstat, so Java and C
# count the same sockets (tw columns; a repeat where C saw fewer than JMH's 20,000 is left out). As
# root each source of each repeat runs in a fresh network namespace of its own (unshare -n, loopback
# up; JMH's forked JVM and tcpref count in it too), so the table holds that benchmark's sockets and
# not also what the ones before it left; without root, on the host, as isolation.txt says.
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
[[ $# -le 1 && "$repeats" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [REPEATS>=1]" >&2; exit 2; }
command -v jq >/dev/null || { echo "$0: needs jq (apt-get install jq)" >&2; exit 2; }

out="$root/results/$(date +%Y%m%d-%H%M%S)-monitor-vs-tcpref"
mkdir -p "$out"
tcpref="$("$root/bench/native/build.sh")"   # the C reference, bench/native/tcpref.c
. "$root/bench/scripts/pin-bench-jar.sh"   # builds the benchmarks jar if needed, outside the timed runs, and pins it
java_bin="$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)"
java_bin="${JAVA:-${java_bin:-java}}"

if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  isolation="each source of each repeat in a fresh network namespace"
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

printf '%-6s %8s %10s %10s %8s %10s %10s %8s %8s %8s\n' rep nl_tw java_nl_us c_nl_us pr_tw java_pr_us c_pr_us nl_ratio pr_ratio oshi_x | tee "$out/table.txt"
echo "rep source c_us java_us" >"$out/pairs.tsv"
: >"$out/excluded.txt"
# One source per namespace: JMH for it (its setup seeds the table up to $seed TIME_WAIT, and stops if
# it cannot), then at once tcpref count and the TIME_WAIT count in the same namespace, so Java and C
# count the same sockets. (Until 2026-12-07 one JMH run measured netlink, proc and oshi in turn, each
# fork seeding its own sockets on top of the last's, and C counted after all three: netlink's Java
# figure was of about a third of C's table.)
seed=20000
# (-foe true: a setup that throws, as the seeder's check of a short table does, makes JMH exit non-zero)
measure() { # repeat source: writes jmh-R-SRC.{json,log}, tcpref-R-SRC.txt, tw-R-SRC.txt; exit 3 JMH, 4 tcpref
  isolated sh -c '"$0" --enable-native-access=ALL-UNNAMED -jar "$1" MonitorSourceBenchmark -foe true -p source="$5" -p timeWait="$6" \
      -rf json -rff "$2/jmh-$4-$5.json" >"$2/jmh-$4-$5.log" 2>&1 || exit 3
    [ "$5" = oshi ] && exit 0
    "$3" count 21 >"$2/tcpref-$4-$5.txt" || exit 4
    awk '"'"'/^TCP:/ {for (i=1;i<NF;i++) if ($i=="tw") print $(i+1)}'"'"' /proc/net/sockstat >"$2/tw-$4-$5.txt"' \
    "$java_bin" "$BENCH_JAR" "$out" "$tcpref" "$1" "$2" "$seed"
}
for r in $(seq 1 "$repeats"); do
  declare -A java=() c=() tw=()
  for src in netlink proc oshi; do
    rc=0; measure "$r" "$src" || rc=$?
    java[$src]=$(jq -r '.[0].primaryMetric.scorePercentiles["50.0"]' "$out/jmh-$r-$src.json" 2>/dev/null || true)
    if [ "$src" = oshi ]; then   # no goal: a failed OSHI run only empties the oshi_x column, and says so
      [ "$rc" = 0 ] || { echo "warning: repeat $r: the OSHI run failed (exit $rc, see jmh-$r-oshi.log)" >&2; echo "$r oshi exit $rc" >>"$out/excluded.txt"; }
      continue
    fi
    c[$src]=$(awk -v s="$src" '$1 == s {for (i=1;i<=NF;i++) if ($i ~ /^median_ms=/) {split($i,a,"="); print a[2]*1000}}' "$out/tcpref-$r-$src.txt" 2>/dev/null || true)
    # the TIME_WAIT tcpref count itself counted in the sample it timed (sockstat, read after it, is in tw-R-SRC.txt)
    tw[$src]=$(awk -v s="$src" '$1 == s {for (i=1;i<=NF;i++) if ($i ~ /^TIME_WAIT=/) {split($i,a,"="); print a[2]}}' "$out/tcpref-$r-$src.txt" 2>/dev/null || true)
    tw[$src]=${tw[$src]:--}
    case "$rc" in 0) w="" ;; 3) w="JMH exited non-zero (see jmh-$r-$src.log)" ;; 4) w="tcpref count failed (see tcpref-$r-$src.txt)" ;; *) w="its namespace failed (exit $rc)" ;; esac
    [ -n "$w" ] || { num "${java[$src]}" && num "${c[$src]}"; } || w="no $src cost from $(num "${java[$src]}" && echo "tcpref count" || echo JMH)"
    [ -n "$w" ] || { num "${tw[$src]}" && [ "${tw[$src]}" -ge "$seed" ]; } || w="tcpref count saw ${tw[$src]} TIME_WAIT, fewer than JMH's $seed"
    if [ -n "$w" ]; then
      echo "warning: repeat $r: $w: left out of $src" >&2; echo "$r $src $w" >>"$out/excluded.txt"
      echo "$r $src - -" >>"$out/pairs.tsv"
      java[$src]=failed c[$src]=failed
    else
      echo "$r $src ${c[$src]} ${java[$src]}" >>"$out/pairs.tsv"
    fi
  done
  printf '%-6s %8s %10s %10s %8s %10s %10s %8s %8s %8s\n' "$r" "${tw[netlink]}" "$(fmt %.1f "${java[netlink]}")" "$(fmt %.1f "${c[netlink]}")" \
    "${tw[proc]}" "$(fmt %.1f "${java[proc]}")" "$(fmt %.1f "${c[proc]}")" "$(fmt %.2f "$(ratio "${java[netlink]}" "${c[netlink]}")")" \
    "$(fmt %.2f "$(ratio "${java[proc]}" "${c[proc]}")")" "$(fmt %.1f "$(ratio "${java[oshi]}" "${java[netlink]}")")" | tee -a "$out/table.txt"
done
. "$root/bench/scripts/pairs-median.sh"   # the median of one source's per-repeat ratios Java / C (pairs.tsv: c_us java_us)
{
  echo
  echo "median over $repeats repeats ($isolation):"
  # From the per-repeat costs, to three decimals, as goals-read.sh decides a goal (docs/goals.md)
  echo "  netlink: java/C = $(pairs_median "$out/pairs.tsv" netlink)  (goal <= 1.5)"
  echo "  proc:    java/C = $(pairs_median "$out/pairs.tsv" proc)  (goal <= 1.3)"
  echo "  oshi / java netlink = $(awk 'NR>1 && $1 ~ /^[0-9]/ && $10 ~ /^[0-9.]+$/ {print $10}' "$out/table.txt" | median)x slower"
  echo "results in $out"
} | tee -a "$out/table.txt"
