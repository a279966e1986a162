#!/usr/bin/env bash
# Which way should the built-in sink serve? Its epoll loop against its blocking calls, alternating,
# for the transports given, at concurrency 1 (the only runs the blocking sink can serve).
#
#   bench/scripts/sink-ab.sh [REPEATS] [CONNECTIONS]     (defaults 5 and 20000)
#
# Each repeat runs, back to back, each in a fresh network namespace (root): tcpref crr N (the C
# reference, for scale), then for each transport churn run --transport T --connections N twice,
# once with -Dchurn.sink.blocking=false (the epoll loop) and once with =true (blocking calls, one
# connection at a time), the order swapped every other repeat so the machine's drift hits both.
# Prints each pair's rates and blocking/loop ratio, then per transport the median ratio and how
# many pairs each side won. ChurnEngine.blockingSink's choice (docs/architecture.md#the-sink) rests
# on these pairs (docs/performance.md, "Connection churn").
#
# Knobs:
#   TRANSPORTS="raw epoll blocking"   the clients to measure (any churn --transport)
#   SHAPE="--request 1 --response 1"  the cycle (SHAPE="--http /" for HTTP; SHAPE="" for plain
#                                     churn, where the client never waits for the sink)
#   WARMUP=2s                         churn's --warmup (0s: cold, as run-vs-tcpref.sh by default)
#   TW_BUCKETS=0                      net.ipv4.tcp_max_tw_buckets inside each namespace: the steady
#                                     state (with CONNECTIONS 200000), as in run-vs-tcpref.sh
# Everything goes to results/<stamp>-sink-ab/ (each churn run's own results directory is inside).
set -euo pipefail
export LC_ALL=C   # printf and awk print 0.92, not 0,92, whatever the caller's locale
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
repeats="${1:-5}"
n="${2:-20000}"
[[ "$repeats" =~ ^[1-9][0-9]*$ && "$n" =~ ^[1-9][0-9]*$ && $# -le 2 ]] || { echo "usage: $0 [REPEATS] [CONNECTIONS]" >&2; exit 2; }
command -v jq >/dev/null || { echo "$0: needs jq (apt-get install jq)" >&2; exit 2; }
[ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null ||
  { echo "$0: needs root, for a fresh network namespace per measurement (unshare -n)" >&2; exit 2; }
transports="${TRANSPORTS:-raw epoll blocking}"
read -r -a shape <<<"${SHAPE---request 1 --response 1}"
warmup="${WARMUP:-2s}"
export TW_BUCKETS="${TW_BUCKETS:-}"

out="$root/results/$(date +%Y%m%d-%H%M%S)-sink-ab"
mkdir -p "$out"
tcpref="$("$root/bench/native/build.sh")"   # the C reference, bench/native/tcpref.c
. "$root/bench/scripts/pin-jar.sh"   # builds the jar if needed, outside the timed runs, and pins it

isolated() {
  unshare -n sh -c 'ip link set lo up &&
    { [ -z "$TW_BUCKETS" ] || sysctl -qw net.ipv4.tcp_max_tw_buckets="$TW_BUCKETS"; } &&
    exec "$@"' isolated "$@"
}
churn_rate() { # label, blocking sink true|false, transport; prints connections per second
  local label="$1" blocking="$2" transport="$3"
  isolated env JAVA_TOOL_OPTIONS="-Dchurn.sink.blocking=$blocking" "$root/churn" run --no-progress --format json \
    --out "$out/$label" --warmup "$warmup" --connections "$n" --transport "$transport" "${shape[@]}" \
    >"$out/$label.json" 2>"$out/$label.err"
  local served
  served=$(jq -r '.scenario.sinkServing' "$out/$label.json")
  [ "$served" = "$([ "$blocking" = true ] && echo blocking || echo epoll)" ] ||
    { echo "$0: $label was served by '$served', not as asked (TLS, or more than one in flight?)" >&2; exit 1; }
  jq -r '.connections.perSecond' "$out/$label.json"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

{
  echo "sink-ab: $repeats repeats, $n connections, --warmup $warmup, ${shape[*]:-no payload}, concurrency 1"
  echo "each measurement in a fresh network namespace${TW_BUCKETS:+, tcp_max_tw_buckets $TW_BUCKETS}"
  printf '%-4s %9s' rep tcpref/s
  for t in $transports; do printf ' %15s %15s %6s' "$t-loop/s" "$t-blk/s" ratio; done
  echo
} | tee "$out/table.txt"
for r in $(seq 1 "$repeats"); do
  c=$(isolated "$tcpref" crr "$n" | sed -nE 's/.*per_second=([0-9.]+).*/\1/p')
  line=$(printf '%-4s %9.0f' "$r" "$c")
  for t in $transports; do
    if ((r % 2)); then
      loop=$(churn_rate "$t-loop-$r" false "$t"); blk=$(churn_rate "$t-blocking-$r" true "$t")
    else
      blk=$(churn_rate "$t-blocking-$r" true "$t"); loop=$(churn_rate "$t-loop-$r" false "$t")
    fi
    line+=$(printf ' %15.0f %15.0f %6.2f' "$loop" "$blk" "$(echo "$blk/$loop" | bc -l)")
  done
  echo "$line" | tee -a "$out/table.txt"
done
{
  echo
  echo "blocking calls / epoll loop, per pair (> 1: the blocking sink was faster):"
  col=3
  for t in $transports; do
    ratios=$(awk -v k=$((col + 2)) 'NR > 2 && $1 ~ /^[0-9]+$/ {print $k}' "$out/table.txt")
    wins=$(awk '$1 > 1.005 {n++} END {print n + 0}' <<<"$ratios")
    losses=$(awk '$1 < 0.995 {n++} END {print n + 0}' <<<"$ratios")
    printf '  %-10s median %.2f  blocking won %d, loop won %d, even %d of %d\n' "$t" "$(median <<<"$ratios")" \
      "$wins" "$losses" $((repeats - wins - losses)) "$repeats"
    col=$((col + 3))
  done
  echo "results in $out"
} | tee -a "$out/table.txt"
