#!/usr/bin/env bash
# How long a shape takes to warm up: one churn run with no warm-up, its rate and its JIT compiler
# threads' CPU second by second, and where --warmup auto's rule would have ended a warm-up.
#
#   [DURATION=90] [PEER=openssl] bench/scripts/jit-settle.sh [churn run options...]
#
# e.g.  bench/scripts/jit-settle.sh --transport selector --concurrency 64 --request 1 --response 1 --linger 0
#       PEER=openssl bench/scripts/jit-settle.sh --tls 1.3
# The run is churn run --warmup 0s --duration DURATIONs OPTIONS, in a fresh network namespace (root;
# unshare -n). PEER=openssl starts an openssl s_server (-quiet, a self-signed P-256 certificate made
# for the run) on 127.0.0.1:4433 in that namespace and adds --target 127.0.0.1:4433 --truststore.
# Once a second, from outside the JVM, it sums the CPU time of the threads named "C1/C2
# CompilerThread..." (/proc/PID/task/*/schedstat, as churn's CompilerCpu does); the rate per second
# is read back from the run's latency.hlog (bench/scripts/HlogRates.java). It prints both per second,
# then the second at which --warmup auto (at most 1% of a CPU over the last 3 s, from 3 s) would have
# ended, and the rate of the 20 s after it against the rate from 60 s to the end. Everything goes to
# results/<stamp>-jit-settle/: jit.txt (epoch seconds, compiler ns), rates.txt, the run, table.txt.
set -euo pipefail
export LC_ALL=C   # printf and awk print 0.92, not 0,92, whatever the caller's locale
case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
duration="${DURATION:-90}"
peer="${PEER:-}"
[[ "$duration" =~ ^[1-9][0-9]*$ ]] || { echo "$0: DURATION must be a whole number of seconds >= 1, not '$duration'" >&2; exit 2; }
[ -z "$peer" ] || [ "$peer" = openssl ] || { echo "$0: PEER is openssl or unset, not '$peer'" >&2; exit 2; }
[ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null ||
  { echo "$0: needs root for a network namespace of its own (unshare -n)" >&2; exit 2; }
[ -z "$peer" ] || command -v openssl >/dev/null || { echo "$0: PEER=openssl needs openssl (apt-get install openssl)" >&2; exit 2; }
for a in "$@"; do
  case "$a" in --warmup|--warmup=*|--duration|--duration=*|--out|--out=*)
    echo "$0: sets $a itself (--warmup 0s, --duration DURATION, --out under results/)" >&2; exit 2 ;; esac
done
. "$root/bench/scripts/find-java.sh"   # sets java: a JDK 25+ for HlogRates.java

out="$root/results/$(date +%Y%m%d-%H%M%S)-jit-settle"
mkdir -p "$out"
. "$root/bench/scripts/pin-jar.sh"   # builds the jar if needed, outside the timed run, and pins it

args=(run --no-progress --warmup 0s --duration "${duration}s" --out "$out/run" "$@")
pre=""
if [ "$peer" = openssl ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$out/key.pem" -out "$out/cert.pem" \
    -days 1 -subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>"$out/req.log"
  pre='openssl s_server -accept 4433 -cert "$CERT" -key "$KEY" -quiet >"$OUT/s_server.txt" 2>&1 &
    sleep 0.3;'
  args+=(--target 127.0.0.1:4433 --truststore "$out/cert.pem")
fi
echo "churn ${args[*]}" >"$out/commands.txt"
# The namespace's shell execs churn, and churn's launcher execs java: $! is the JVM's pid. Its
# s_server, if any, goes with the namespace when the JVM exits (the shell is gone by then: kill it).
CERT="$out/cert.pem" KEY="$out/key.pem" OUT="$out" unshare -n sh -c 'ip link set lo up; '"$pre"' exec "$0" "$@"' \
  "$root/churn" "${args[@]}" >"$out/run.txt" 2>&1 &
pid=$!
cleanup() { # the JVM, and the s_server it leaves in the namespace (the namespace's shell became the JVM)
  kill "$pid" 2>/dev/null || true
  [ -z "$peer" ] || pkill -f "s_server -accept 4433 -cert $out/cert.pem" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
: >"$out/jit.txt"
pause=""
exec {pause}<> <(:)
while kill -0 "$pid" 2>/dev/null; do
  sum=0
  for task in /proc/"$pid"/task/*; do
    read -r comm <"$task/comm" 2>/dev/null || continue
    case "$comm" in
      "C1 Compiler"*|"C2 Compiler"*|"JVMCI Compiler"*) read -r ns _ <"$task/schedstat" 2>/dev/null && sum=$((sum + ns)) ;;
    esac
  done
  echo "$EPOCHREALTIME $sum" >>"$out/jit.txt"
  read -r -t 1 -u "$pause" _ || true
done
rc=0; wait "$pid" || rc=$?
cleanup
if [ "$rc" = 2 ]; then   # churn refused the options: its one line says why
  echo "$0: $(head -n 1 "$out/run.txt")" >&2; exit 2
fi
[ "$rc" = 0 ] || { echo "$0: churn exited with $rc (see $out/run.txt)" >&2; exit 1; }
"$java" -cp "$CHURN_JAR" "$root/bench/scripts/HlogRates.java" "$out/run/latency.hlog" >"$out/rates.txt"

awk -v dur="$duration" '
  FNR == 1 { file++ }
  file == 1 { rs[NR] = $1; re[NR] = $2; rc[NR] = $3; n = NR; next }
  file == 2 { jt[++m] = $1; jn[m] = $2 }
  END {
    t0 = rs[1]
    # cycles per whole second from the start, an interval split across seconds by its overlap
    for (i = 1; i <= n; i++) {
      a = rs[i] - t0; b = re[i] - t0; len = b - a; if (len <= 0) continue
      for (s = int(a); s < b; s++) {
        lo = (a > s ? a : s); hi = (b < s + 1 ? b : s + 1)
        if (hi > lo) cyc[s] += rc[i] * (hi - lo) / len
      }
      if (b > last) last = b
    }
    # compiler CPU at each whole second, between the readings either side of it (about a second
    # apart); never going back (a compiler thread that ended took its time along: the most so far)
    for (k = 2; k <= m; k++) if (jn[k] < jn[k - 1]) jn[k] = jn[k - 1]
    k = 1
    for (s = 0; s <= int(last); s++) {
      t = t0 + s
      while (k < m && jt[k + 1] <= t) k++
      if (t <= jt[1]) cpu[s] = jn[1]
      else if (k >= m) cpu[s] = jn[m]
      else cpu[s] = jn[k] + (jn[k + 1] - jn[k]) * (t - jt[k]) / (jt[k + 1] - jt[k])
    }
    printf "%6s %12s %12s\n", "second", "rate/s", "JIT % CPU"
    for (s = 0; s < int(last); s++) printf "%6d %12.0f %12.1f\n", s, cyc[s], (cpu[s + 1] - cpu[s]) / 1e7
    end = -1
    for (s = 3; s < int(last) && end < 0; s++) if ((cpu[s] - cpu[s - 3]) / 3e9 <= 0.01) end = s
    steady = 0; ns = 0
    for (s = 60; s < int(last); s++) { steady += cyc[s]; ns++ }
    if (end < 0) { print "--warmup auto: the compilers were never at 1% of a CPU or less over 3 s"; exit }
    after = 0; na = 0
    for (s = end; s < end + 20 && s < int(last); s++) { after += cyc[s]; na++ }
    printf "--warmup auto would have ended at %d s; the %d s after it ran at %.0f/s", end, na, after / na
    if (ns > 0) printf ", %.3f of the %.0f/s from 60 s to the end", after / na / (steady / ns), steady / ns
    printf "\n"
  }' "$out/rates.txt" "$out/jit.txt" | tee "$out/table.txt"
echo "results: $out"
