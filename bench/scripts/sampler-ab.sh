#!/usr/bin/env bash
# What the state sampler's idle helper gives back: the same churn run with the helper (the default)
# and without it (-Dchurn.sampler.idle=false: every count on the sampling thread), alternating.
#
#   bench/scripts/sampler-ab.sh [REPEATS]     (default 10)
#
# Each repeat runs both, each in a fresh network namespace (root) with ip_local_port_range
# 16384 65535, the order swapped every other repeat so the machine's drift hits both. The default
# shape is a one-connection ping-pong that leaves about 24,000 TIME_WAIT on its port, where a count
# costs about 5 ms of CPU and the sampler is most of churn's own cost:
#
#   churn run --request 1 --response 1 --warmup 1s --duration 5s
#
# Prints each pair's rates, the ratio helper / none, and each side's samples (all of them, those the
# helper counted at idle priority, those it was too late for), then the median ratio, its range and
# how many pairs each side won.
#
# Knobs:
#   SHAPE="..."   churn run's options instead of the default, e.g.
#                 SHAPE="--request 1 --response 1 --warmup 1s --duration 5s --transport epoll
#                 --concurrency 64 --threads 2" for 64 flows, where the helper starves and the
#                 sampling thread counts instead
# Everything goes to results/<stamp>-sampler-ab/ (each run's own results directory is inside).
set -euo pipefail
export LC_ALL=C   # printf and awk print 0.92, not 0,92, whatever the caller's locale
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
repeats="${1:-10}"
[[ "$repeats" =~ ^[1-9][0-9]*$ && $# -le 1 ]] || { echo "usage: $0 [REPEATS]" >&2; exit 2; }
command -v jq >/dev/null || { echo "$0: needs jq (apt-get install jq)" >&2; exit 2; }
[ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null ||
  { echo "$0: needs root, for a fresh network namespace per measurement (unshare -n)" >&2; exit 2; }
read -r -a shape <<<"${SHAPE:---request 1 --response 1 --warmup 1s --duration 5s}"

out="$root/results/$(date +%Y%m%d-%H%M%S)-sampler-ab"
mkdir -p "$out"
. "$root/bench/scripts/pin-jar.sh"   # builds the jar if needed, outside the timed runs, and pins it

isolated() {
  unshare -n sh -c 'ip link set lo up && sysctl -qw net.ipv4.ip_local_port_range="16384 65535" && exec "$@"' isolated "$@"
}
run() { # label, idle true|false; prints "rate samples atIdle late"
  local label="$1" idle="$2"
  isolated env JAVA_TOOL_OPTIONS="-Dchurn.sampler.idle=$idle" "$root/churn" run --no-progress --format json \
    --out "$out/$label" "${shape[@]}" >"$out/$label.json" 2>"$out/$label.err"
  jq -r '"\(.connections.perSecond) \(.states.samples) \(.states.samplesAtIdle) \(.states.samplesLateForIdle)"' "$out/$label.json"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

{
  echo "sampler-ab: $repeats repeats of churn run ${shape[*]}"
  echo "each in a fresh network namespace, ip_local_port_range 16384 65535; $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) CPUs"
  printf '%-4s %10s %10s %6s  %-22s %-22s\n' rep helper/s none/s ratio "helper: samples/idle/late" "none: samples"
} | tee "$out/table.txt"
for r in $(seq 1 "$repeats"); do
  if ((r % 2)); then
    read -r h hs hi hl < <(run "helper-$r" true); read -r n ns _ _ < <(run "none-$r" false)
  else
    read -r n ns _ _ < <(run "none-$r" false); read -r h hs hi hl < <(run "helper-$r" true)
  fi
  printf '%-4s %10.0f %10.0f %6.3f  %-22s %-22s\n' "$r" "$h" "$n" "$(echo "$h/$n" | bc -l)" "$hs/$hi/$hl" "$ns" |
    tee -a "$out/table.txt"
done
{
  ratios=$(awk 'NR > 3 && $1 ~ /^[0-9]+$/ {print $4}' "$out/table.txt")
  echo
  printf 'helper / none: median %.3f (%.3f-%.3f); the helper won %d, none won %d of %d\n' "$(median <<<"$ratios")" \
    "$(sort -g <<<"$ratios" | head -1)" "$(sort -g <<<"$ratios" | tail -1)" \
    "$(awk '$1 > 1 {n++} END {print n + 0}' <<<"$ratios")" "$(awk '$1 < 1 {n++} END {print n + 0}' <<<"$ratios")" "$repeats"
  echo "results in $out"
} | tee -a "$out/table.txt"
