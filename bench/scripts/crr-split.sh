#!/usr/bin/env bash
# Where churn's CRR gap to C is spent: its client, or its built-in sink. Alternating, in the same run:
#
#   bench/scripts/crr-split.sh [REPEATS] [CONNECTIONS]     (defaults 5 and 100000)
#
# Each repeat measures, back to back, each in a fresh network namespace (root):
#   c        tcpref crr N                           C client, C server: two threads of one process
#   c-c      tcpref crr N PORT                      C client against tcpref serve, the same server
#                                                   loop in a process of its own
#   raw      churn run --transport raw              churn's client and its built-in sink (one process)
#   raw-c    churn run --transport raw --target     churn's client against tcpref serve
#   blk-c    churn run --transport blocking --target, against tcpref serve
#   floor-c  bench/floor/SocketCrr.java, one platform thread, against tcpref serve: java.net.Socket's
#            steps (as blocking takes them) and nothing of churn's; the same N connections after the
#            same warm-up (closed with SO_LINGER 0, as churn's)
# all with a 1-byte request and response (--request 1 --response 1), the client closing first. Then,
# each ratio like for like (one process against one, two against two; two cost C about 4% on this
# VM's 2 vCPUs, 2026-12-02):
#   whole    raw / c          churn against C
#   client   raw-c / c-c      churn's client against C's, the same server (raw makes the C client's
#                             system calls; what is left is recording, FFM and the state sampler)
#   sink     whole / client   what is left: the built-in sink against C's sequential server, and
#                             the accept pairing's getsockname (no --target run pairs accepts)
#   blocking blk-c / c-c      the client with java.net.Socket instead
#   floor    floor-c / c-c    what java.net.Socket alone makes of C's client: blocking's gap to C
#                             that no Java client on this JDK closes
#
# Knobs, as in run-vs-tcpref.sh, inside each namespace only (root only; the host's settings are
# never touched): TW_BUCKETS=0 (the default here: the steady state, no TIME_WAIT), PORT_RANGE="LOW
# HIGH", WARMUP (churn's --warmup and the floor's, whole seconds, default 2s; warm-up connections
# close with SO_LINGER 0). SHAPE=churn splits plain connection churn the same way instead (connect,
# then close, no request: tcpref churn N, tcpref serve PORT churn, churn run without --request,
# SocketCrr's churn shape), the shape of run-vs-tcpref.sh's blocking and raw columns.
# Everything goes to results/<stamp>-crr-split/ (SHAPE=churn: -churn-split/); rates.tsv has each
# repeat's six rates at full precision, and the medians are of ratios computed from them.
set -euo pipefail
export LC_ALL=C   # printf and awk print 0.92, not 0,92, whatever the caller's locale
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
repeats="${1:-5}"
n="${2:-100000}"
[[ $# -le 2 && "$repeats" =~ ^[1-9][0-9]*$ && "$n" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [REPEATS] [CONNECTIONS]" >&2; exit 2; }
command -v jq >/dev/null || { echo "$0: needs jq (apt-get install jq)" >&2; exit 2; }
warmup="${WARMUP:-2s}"
# The floor warms up in whole seconds: a WARMUP it cannot match would compare unlike runs.
[[ "$warmup" =~ ^([0-9]+)s$ ]] || { echo "$0: WARMUP must be whole seconds like 2s, not '$warmup' (the floor takes seconds)" >&2; exit 2; }
warm_s="${BASH_REMATCH[1]}"
shape="${SHAPE:-crr}"
case "$shape" in
  crr) churn_shape=(--request 1 --response 1); what="CRR connections each, 1-byte request and response" ;;
  churn) churn_shape=(); what="connections each, connect then close, no request" ;;
  *) echo "$0: SHAPE is crr or churn, not '$shape'" >&2; exit 2 ;;
esac
. "$root/bench/scripts/find-java.sh"   # sets java: a JDK 25+ for bench/floor
[ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null ||
  { echo "$0: needs root (each measurement runs in a fresh network namespace)" >&2; exit 2; }

out="$root/results/$(date +%Y%m%d-%H%M%S)-$shape-split"
mkdir -p "$out"
tcpref="$("$root/bench/native/build.sh")"
. "$root/bench/scripts/pin-jar.sh"   # builds the jar if needed, outside the timed runs, and pins it
export TW_BUCKETS="${TW_BUCKETS-0}" PORT_RANGE="${PORT_RANGE:-}" TCPREF="$tcpref" CHURN="$root/churn" SHAPE="$shape"
port=12400   # inside each namespace only: nothing else listens there

isolated() {
  unshare -n sh -c 'ip link set lo up &&
    { [ -z "$PORT_RANGE" ] || sysctl -qw net.ipv4.ip_local_port_range="$PORT_RANGE"; } &&
    { [ -z "$TW_BUCKETS" ] || sysctl -qw net.ipv4.tcp_max_tw_buckets="$TW_BUCKETS"; } &&
    exec "$@"' isolated "$@"
}
# Each tcpref serve runs in the background of its namespace's shell, and a non-interactive shell
# starts it with SIGINT ignored: on Ctrl-C it stayed, in a namespace no one could name, until its
# 600 s ran out. So that shell kills it, then dies of SIGINT itself: bash goes on with the next
# measurement after a child that handled SIGINT and exited, and stops after one killed by it.
reap='trap "kill \$server 2>/dev/null; trap - INT; kill -INT \$\$" INT; trap "kill \$server 2>/dev/null; exit 143" TERM'
c_rate() { isolated "$tcpref" "$shape" "$n" | sed -nE 's/.*per_second=([0-9.]+).*/\1/p'; }
cc_rate() { # the C client against tcpref serve, in the same namespace
  local client='"$TCPREF" crr "$0" '"$port"
  [ "$shape" = churn ] && client='"$TCPREF" churn "$0" client '"$port"
  isolated sh -c '"$TCPREF" serve '"$port"' "$SHAPE" 600 >/dev/null & server=$!; '"$reap"'
    sleep 0.2; '"$client"'; rc=$?; kill -ALRM $server; wait $server; exit $rc' "$n" |
    sed -nE 's/.*per_second=([0-9.]+).*/\1/p'
}
churn_rate() { # label, against (builtin|cserver), then churn run options; prints connections per second
  local label="$1" against="$2"; shift 2
  local args=(run --no-progress --format json --out "$out/$label" --warmup "$warmup"
              "${churn_shape[@]}" --connections "$n" "$@")
  if [ "$against" = cserver ]; then
    # the C server lives as long as the namespace's shell ($reap); 600 s bounds it if anything goes wrong
    isolated sh -c '"$TCPREF" serve '"$port"' "$SHAPE" 600 >"$0.serve" & server=$!; '"$reap"'
      sleep 0.2; "$CHURN" "$@" --target 127.0.0.1:'"$port"'; rc=$?; kill -ALRM $server; wait $server; exit $rc' \
      "$out/$label" "${args[@]}" >"$out/$label.json" 2>"$out/$label.err"
  else
    isolated "$CHURN" "${args[@]}" >"$out/$label.json" 2>"$out/$label.err"
  fi
  jq -r '.connections.perSecond' "$out/$label.json"
}
floor_rate() { # label: SocketCrr on one platform thread against tcpref serve, in a namespace of its own
  local label="$1"
  isolated sh -c '"$TCPREF" serve '"$port"' "$SHAPE" 600 >/dev/null & server=$!; '"$reap"'
    sleep 0.2; "$0" '"${floor_jvm[*]}"' "$1" 127.0.0.1:'"$port"' 1 platform 600 "$2" timewait untimed "$3" "$SHAPE"; rc=$?; kill -ALRM $server; wait $server; exit $rc' \
    "$java" "$root/bench/floor/SocketCrr.java" "$warm_s" "$n" >"$out/$label.txt" 2>&1 ||
    { echo "$0: the floor failed, see $out/$label.txt" >&2; exit 1; }
  sed -nE 's/.*per_second=([0-9.]+).*/\1/p' "$out/$label.txt"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { echo "$1/$2" | bc -l; }
# the median over the repeats of a ratio of rates.tsv's columns (an awk expression), to two decimals
rmedian() { awk 'NR > 1 {printf "%.6f\n", '"$1"'}' "$out/rates.tsv" | median | xargs printf '%.2f'; }

echo "each measurement in a fresh network namespace${TW_BUCKETS:+, tcp_max_tw_buckets $TW_BUCKETS}${PORT_RANGE:+, ip_local_port_range $PORT_RANGE}, churn --warmup $warmup" | tee "$out/isolation.txt"
printf '%-4s %8s %8s %8s %8s %8s %8s %7s %7s %7s %8s %7s\n' rep c/s c-c/s raw/s raw-c/s blk-c/s floor-c/s whole client sink blocking floor | tee "$out/table.txt"
echo "rep c c-c raw raw-c blk-c floor-c" >"$out/rates.tsv"
for r in $(seq 1 "$repeats"); do
  c=$(c_rate)
  cc=$(cc_rate)
  raw=$(churn_rate "raw-$r" builtin --transport raw)
  rawc=$(churn_rate "raw-c-$r" cserver --transport raw)
  blkc=$(churn_rate "blk-c-$r" cserver --transport blocking)
  flrc=$(floor_rate "floor-c-$r")
  echo "$r $c $cc $raw $rawc $blkc $flrc" >>"$out/rates.tsv"
  whole=$(ratio "$raw" "$c"); client=$(ratio "$rawc" "$cc")
  printf '%-4s %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f %7.2f %7.2f %7.2f %8.2f %7.2f\n' "$r" "$c" "$cc" "$raw" "$rawc" "$blkc" "$flrc" \
    "$whole" "$client" "$(ratio "$whole" "$client")" "$(ratio "$blkc" "$cc")" "$(ratio "$flrc" "$cc")" | tee -a "$out/table.txt"
done
{
  echo
  echo "median over $repeats repeats ($n $what):"
  # Each median of the per-repeat ratios computed from rates.tsv's full-precision rates (the table's
  # ratio columns have two decimals, and blocking / floor was once a ratio of two rounded columns),
  # printed to two decimals as the table's.
  echo "  whole:    churn raw with its sink / tcpref $shape                  = $(rmedian '$4 / $2')"
  echo "  client:   churn raw / the C client, both against tcpref serve     = $(rmedian '$5 / $3')"
  echo "  sink:     whole / client                                          = $(rmedian '($4 / $2) / ($5 / $3)')"
  echo "  blocking: churn blocking / the C client, both against tcpref serve = $(rmedian '$6 / $3')"
  echo "  floor:    SocketCrr / the C client, both against tcpref serve     = $(rmedian '$7 / $3')"
  echo "  blocking / floor (churn's own share of blocking's gap)            = $(rmedian '$6 / $7')"
  echo "results in $out"
} | tee -a "$out/table.txt"
