#!/usr/bin/env bash
# Is the default `churn run` a steady-state figure? Alternates, in the same session:
#   default  ./churn run                         (its default 5 s SO_LINGER 0 warm-up, 5,000 connections)
#   steady   ./churn run --warmup 10s            (the same 5,000 measured connections after 10 s of warm-up)
#   short    ./churn run --warmup 1s             (the default warm-up until 2026-12-01)
#   cold     ./churn run --warmup 0s             (what the default was before it warmed up)
#
#   bench/scripts/default-vs-steady.sh [REPEATS]      (default 5)
#
# Each run goes in a fresh network namespace of its own (unshare -n, loopback up; root), so no run
# inherits another's TIME_WAIT. Prints each run's rate and whether churn itself warned that the
# rate was still climbing, then the medians and the ratios to steady (the goal
# for the default: within 15% of steady, i.e. a ratio of at least 0.85). Everything goes to
# results/<stamp>-default-vs-steady/.
set -euo pipefail
export LC_ALL=C   # printf and awk print 0.92, not 0,92, whatever the caller's locale
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
repeats="${1:-5}"
[[ $# -le 1 && "$repeats" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [REPEATS]" >&2; exit 2; }
command -v jq >/dev/null || { echo "$0: needs jq (apt-get install jq)" >&2; exit 2; }
[ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null || { echo "$0: needs root for a network namespace per run (unshare -n)" >&2; exit 2; }

out="$root/results/$(date +%Y%m%d-%H%M%S)-default-vs-steady"
mkdir -p "$out"
. "$root/bench/scripts/pin-jar.sh"   # builds the jar if needed, outside the timed runs, and pins it

run() { # label, then churn run options; prints "rate climbing"
  local label="$1"; shift
  unshare -n sh -c 'ip link set lo up && exec "$@"' run \
    "$root/churn" run --no-progress --format json --out "$out/$label" "$@" >"$out/$label.json" 2>"$out/$label.err" || true
  jq -r '"\(.connections.perSecond) \(if .rateTrend == null then "n/a" else .rateTrend.climbing end)"' "$out/$label.json"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf '%-4s %10s %8s %10s %8s %10s %8s %10s %8s\n' rep default/s climbing steady/s climbing short/s climbing cold/s climbing | tee "$out/table.txt"
for r in $(seq 1 "$repeats"); do
  read -r d dc < <(run "default-$r")
  read -r s sc < <(run "steady-$r" --warmup 10s)
  read -r w wc < <(run "short-$r" --warmup 1s)
  read -r c cc < <(run "cold-$r" --warmup 0s)
  printf '%-4s %10.0f %8s %10.0f %8s %10.0f %8s %10.0f %8s\n' "$r" "$d" "$dc" "$s" "$sc" "$w" "$wc" "$c" "$cc" | tee -a "$out/table.txt"
done
col() { awk -v c="$1" 'NR > 1 && $1 ~ /^[0-9]/ {print $c}' "$out/table.txt" | median; }
d=$(col 2); s=$(col 4); w=$(col 6); c=$(col 8)
range() { awk -v c="$1" 'NR > 1 && $1 ~ /^[0-9]/ {v=$c; if (min == "" || v < min) min = v; if (v > max) max = v} END {printf "%.0f-%.0f", min, max}' "$out/table.txt"; }
{
  echo
  echo "medians over $repeats alternating repeats, each run in a fresh network namespace:"
  printf '  default %.0f/s (%s)  steady %.0f/s (%s)  short %.0f/s (%s)  cold %.0f/s (%s)\n' \
    "$d" "$(range 2)" "$s" "$(range 4)" "$w" "$(range 6)" "$c" "$(range 8)"
  printf '  default / steady = %.2f   (goal >= 0.85)\n' "$(echo "$d/$s" | bc -l)"
  printf '  short / steady   = %.2f\n' "$(echo "$w/$s" | bc -l)"
  printf '  cold / steady    = %.2f\n' "$(echo "$c/$s" | bc -l)"
  echo "results in $out"
} | tee -a "$out/table.txt"
