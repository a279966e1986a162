#!/usr/bin/env bash
# Where churn's CRR gap to C is spent: its client, or its built-in sink. Alternating, in the same run:
#
#   bench/scripts/crr-split.sh [REPEATS] [CONNECTIONS]     (defaults 5 and 100000)
#
# Each repeat measures, back to back, each in a fresh network namespace (root):
#   c        tcpref crr N                           C client, C server
#   raw-c    churn run --transport raw --target     churn's client against the C server
#            (tcpref serve: the same server loop as tcpref crr's, in its own process)
#   raw      churn run --transport raw              churn's client against churn's built-in sink
#   blk-c    churn run --transport blocking --target, against the C server
# all with a 1-byte request and response (--request 1 --response 1), the client closing first. Then
#   raw-c / c      what churn's client costs (raw: the C client's system calls, plus getsockname for
#                  the accept pairing, plus recording and the state sampler)
#   raw / raw-c    what the built-in sink costs against C's sequential server
#   blk-c / c      the client with java.net.Socket instead
# Against a --target there is no accept pairing (churn does not see the server's accepts), so raw-c
# makes one system call fewer than raw: the split gives that call to the sink.
#
# Knobs, as in run-vs-tcpref.sh, inside each namespace only (root only; the host's settings are
# never touched): TW_BUCKETS=0 (the default here: the steady state, no TIME_WAIT), PORT_RANGE="LOW
# HIGH", WARMUP (churn's --warmup, default 2s; warm-up connections close with SO_LINGER 0).
# Everything goes to results/<stamp>-crr-split/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
repeats="${1:-5}"
n="${2:-100000}"
[[ "$repeats" =~ ^[1-9][0-9]*$ && "$n" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [REPEATS] [CONNECTIONS]" >&2; exit 2; }
command -v jq >/dev/null || { echo "$0: needs jq (apt-get install jq)" >&2; exit 2; }
[ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null ||
  { echo "$0: needs root (each measurement runs in a fresh network namespace)" >&2; exit 2; }

out="$root/results/$(date +%Y%m%d-%H%M%S)-crr-split"
mkdir -p "$out"
tcpref="$("$root/bench/native/build.sh")"
"$root/churn" --version >/dev/null   # builds the jar if needed, outside the timed runs
export TW_BUCKETS="${TW_BUCKETS-0}" PORT_RANGE="${PORT_RANGE:-}" TCPREF="$tcpref" CHURN="$root/churn"
warmup="${WARMUP:-2s}"
port=12400   # inside each namespace only: nothing else listens there

isolated() {
  unshare -n sh -c 'ip link set lo up &&
    { [ -z "$PORT_RANGE" ] || sysctl -qw net.ipv4.ip_local_port_range="$PORT_RANGE"; } &&
    { [ -z "$TW_BUCKETS" ] || sysctl -qw net.ipv4.tcp_max_tw_buckets="$TW_BUCKETS"; } &&
    exec "$@"' isolated "$@"
}
c_rate() { isolated "$tcpref" crr "$n" | sed -nE 's/.*per_second=([0-9.]+).*/\1/p'; }
churn_rate() { # label, against (builtin|cserver), then churn run options; prints connections per second
  local label="$1" against="$2"; shift 2
  local args=(run --no-progress --format json --out "$out/$label" --warmup "$warmup"
              --request 1 --response 1 --connections "$n" "$@")
  if [ "$against" = cserver ]; then
    # the C server lives as long as the namespace's shell; 600 s bounds it if anything goes wrong
    isolated sh -c '"$TCPREF" serve '"$port"' crr 600 >"$0.serve" & server=$!
      sleep 0.2; "$CHURN" "$@" --target 127.0.0.1:'"$port"'; rc=$?; kill -ALRM $server; wait $server; exit $rc' \
      "$out/$label" "${args[@]}" >"$out/$label.json" 2>"$out/$label.err"
  else
    isolated "$CHURN" "${args[@]}" >"$out/$label.json" 2>"$out/$label.err"
  fi
  jq -r '.connections.perSecond' "$out/$label.json"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { echo "$1/$2" | bc -l; }

echo "each measurement in a fresh network namespace${TW_BUCKETS:+, tcp_max_tw_buckets $TW_BUCKETS}${PORT_RANGE:+, ip_local_port_range $PORT_RANGE}, churn --warmup $warmup" | tee "$out/isolation.txt"
printf '%-4s %9s %9s %9s %9s %8s %8s %8s\n' rep c/s raw-c/s raw/s blk-c/s client sink blk-cl | tee "$out/table.txt"
for r in $(seq 1 "$repeats"); do
  c=$(c_rate)
  rawc=$(churn_rate "raw-c-$r" cserver --transport raw)
  raw=$(churn_rate "raw-$r" builtin --transport raw)
  blkc=$(churn_rate "blk-c-$r" cserver --transport blocking)
  printf '%-4s %9.0f %9.0f %9.0f %9.0f %8.2f %8.2f %8.2f\n' "$r" "$c" "$rawc" "$raw" "$blkc" \
    "$(ratio "$rawc" "$c")" "$(ratio "$raw" "$rawc")" "$(ratio "$blkc" "$c")" | tee -a "$out/table.txt"
done
{
  echo
  echo "median over $repeats repeats ($n CRR connections each, 1-byte request and response):"
  echo "  client: churn raw against C's server / tcpref crr         = $(awk 'NR>1 && $1 ~ /^[0-9]/ {print $6}' "$out/table.txt" | median)"
  echo "  sink:   churn raw with its sink / against C's server      = $(awk 'NR>1 && $1 ~ /^[0-9]/ {print $7}' "$out/table.txt" | median)"
  echo "  client, java.net.Socket: blocking against C's server / C  = $(awk 'NR>1 && $1 ~ /^[0-9]/ {print $8}' "$out/table.txt" | median)"
  echo "results in $out"
} | tee -a "$out/table.txt"
