#!/usr/bin/env bash
# churn run --tls against openssl s_time, the TLS connection rate OpenSSL itself measures,
# alternating in the same run, both against the same openssl s_server.
#
#   [REPEATS=5] [SECONDS=5] [WARMUP=60s] bench/scripts/run-vs-openssl.sh
#
# Shapes (concurrency 1, a fresh connection each time, TLS 1.3, the certificate a self-signed P-256
# one made by openssl req for this run):
#   new     openssl s_time -connect A -new -tls1_3 -time S            (s_server -quiet: handshake only)
#           churn run --tls 1.3 --target A --truststore cert.pem --duration Ss
#   reuse   openssl s_time -connect A -reuse -tls1_3 -www / -time S  (s_server -www: a GET each)
#           churn run --tls 1.3 --tls-resume --http / --target A --truststore cert.pem --duration Ss
#   new-accp, reuse-accp: churn as above with --tls-provider accp --tls-groups secp256r1
# churn also gets --warmup WARMUP (the JIT; s_time needs none; WARMUP=0s measures it cold). 60 s by
# default: on 2 cores the JIT compiles the JDK's TLS stack for about 30 s. After 20 s (the default
# until 2026-12-05) the compiler threads still took 3-20% of a CPU in the second half of the
# measured part (summary.json's jit.lateSharePercent), after 60 s 0.4-1.8% (docs/tls.md).
# In every shape a third client runs too, against the same s_server: the JDK's TLS floor,
# bench/floor/TlsCrr.java (SSLSocket, the same steps per connection, nothing of churn's; warmed up as
# long; with ACCP from churn's jar in the -accp shapes), so churn / floor is churn's own cost and
# floor / s_time the JDK's TLS.
#
# Each measurement runs in a fresh network namespace of its own (ip netns add, loopback up, deleted
# after) with its own s_server on 127.0.0.1:4433 in it, so none inherits another's TIME_WAIT or
# session cache. Rate: s_time's "N connections in T real seconds" over the wall time of its process
# (T is whole time(2) seconds); churn's connections.perSecond (summary.json). A repeat of a shape
# counts only when churn exited 0 with its summary and no failed connections and s_time exited 0 with
# its count: a failed one shows as "failed" in runs.txt, says why on standard error and in
# excluded.txt ("rep shape why"), and leaves both tools' medians of that shape. Everything goes to
# results/<stamp>-vs-openssl/: raw.tsv, pairs.tsv (per repeat and shape s_time's, churn's and the
# floor's rates, "-" for a failed one; goals.sh reads it), excluded.txt, each run's output, churn's
# results directories, commands.txt and table.txt.
set -euo pipefail
export LC_ALL=C   # printf and awk print 0.92, not 0,92, whatever the caller's locale
case "${1:-}" in
  "") ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "$0: takes no arguments (its settings go in the environment: --help says which)" >&2; exit 2 ;;
esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
# bash counts SECONDS up from its start: read the caller's value from the environment, not $SECONDS.
secs="$(printenv SECONDS || echo 5)"
repeats="${REPEATS:-5}"
warmup="${WARMUP:-60s}"
[[ "$repeats" =~ ^[1-9][0-9]*$ ]] || { echo "$0: REPEATS must be a whole number >= 1, not '$repeats'" >&2; exit 2; }
[[ "$secs" =~ ^[1-9][0-9]*$ ]] || { echo "$0: SECONDS must be a whole number of seconds >= 1, not '$secs'" >&2; exit 2; }
. "$root/bench/scripts/find-java.sh"   # sets java: a JDK 25+ for bench/floor
[[ "$warmup" =~ ^([0-9]+)s$ ]] || { echo "$0: WARMUP must be whole seconds like 20s, not '$warmup'" >&2; exit 2; }
warm_s="${BASH_REMATCH[1]}"
command -v openssl >/dev/null || { echo "$0: needs openssl (apt-get install openssl)" >&2; exit 2; }
command -v jq >/dev/null || { echo "$0: needs jq (apt-get install jq)" >&2; exit 2; }
command -v ss >/dev/null || { echo "$0: needs ss (apt-get install iproute2)" >&2; exit 2; }
[ "$(id -u)" = 0 ] && command -v ip >/dev/null || { echo "$0: needs root and ip (iproute2) for a network namespace per measurement" >&2; exit 2; }
port=4433   # inside each namespace: nothing else there
target="127.0.0.1:$port"

out="$root/results/$(date +%Y%m%d-%H%M%S)-vs-openssl"
mkdir -p "$out"
. "$root/bench/scripts/pin-jar.sh"   # builds the jar if needed, outside the timed runs, and pins it
(cd "$out" && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout key.pem \
  -out cert.pem -days 1 -subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>req.log)

ns="" server_pid=""
cleanup() { # on any exit: end what runs in our current namespace (only we start processes there), delete it
  if [ -n "$ns" ]; then
    local p
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  fi
  ns="" server_pid=""
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
nsn=0
# A fresh namespace with an s_server (these options) listening in it; returns once it listens.
ns_server() {
  nsn=$((nsn + 1))
  ns="churn-vs-openssl-$$-$nsn"
  ip netns add "$ns"
  ip netns exec "$ns" ip link set lo up
  # bounded, with room for the longest client in it: churn and the floor warm up first (a bound of SECONDS + 120
  # ended s_server in a WARMUP=121s churn's warm-up, and every churn run failed, refused)
  ip netns exec "$ns" timeout $((warm_s + secs + 120)) openssl s_server -accept "$target" -cert "$out/cert.pem" \
    -key "$out/key.pem" "$@" >"$out/s_server-$nsn.txt" 2>&1 &
  server_pid=$!
  local i
  for i in $(seq 1 250); do   # at most 5 s
    ip netns exec "$ns" ss -Hltn "sport = :$port" | grep -q . && return 0
    sleep 0.02
  done
  echo "$0: s_server did not listen in $ns (see $out/s_server-$nsn.txt)" >&2
  exit 1
}
ns_end() { cleanup; }

# s_time: label, then its options. Sets res to the rate: its connections over the wall time of the
# s_time process (its own "real seconds" are whole time(2) seconds, and its loop runs until time(2)
# passes its start's second + S: more than S seconds, up to S + 1 (-time 2 took 2.16-3.06 s of wall
# time and said "3 real seconds", 2026-12-07); the process start, a few ms, is counted against it).
stime_run() {
  local label="$1"; shift
  local t0 t1
  t0=$(date +%s%N)
  run_rc=0
  ip netns exec "$ns" timeout $((secs + 60)) openssl s_time -connect "$target" -tls1_3 -time "$secs" "$@" \
    >"$out/$label.txt" 2>&1 || run_rc=$?
  t1=$(date +%s%N)
  res=$(awk -v ns=$((t1 - t0)) '/connections in [0-9]+ real seconds/ {n = $1}
    END {print (n > 0 ? sprintf("%.1f", n / (ns / 1e9)) : "nan")}' "$out/$label.txt")
}

# churn: label, then churn run options. Sets res to: rate, failed, resumed share (or nan); run_rc to its exit status.
churn_run() {
  local label="$1"; shift
  run_rc=0
  ip netns exec "$ns" timeout $((warm_s + secs + 120)) "$root/churn" run --no-progress --format json --out "$out/$label" \
    --target "$target" --truststore "$out/cert.pem" --warmup "$warmup" --duration "${secs}s" "$@" \
    >"$out/$label.json" 2>"$out/$label.err" || run_rc=$?
  res=$(jq -r '[.connections.perSecond, .connections.failed, (.tlsHandshakes.resumedShare // "nan")]
      | map(tostring) | join(" ")' "$out/$label.json" 2>/dev/null) || res="nan 0 nan"
  [ -n "$res" ] || res="nan 0 nan"   # an empty or missing JSON: jq prints nothing and succeeds
}

# The JDK's floor: label, mode (new or reuse). Sets res to: rate, resumed share (or nan).
floor_run() {
  local label="$1" mode="$2"
  ip netns exec "$ns" timeout $((warm_s + secs + 60)) "$java" "${floor_jvm[@]}" --enable-native-access=ALL-UNNAMED -cp "$CHURN_JAR" "$root/bench/floor/TlsCrr.java" "$target" "$secs" "$warm_s" \
    "$mode" "$out/cert.pem" / >"$out/$label.txt" 2>&1 || echo "warning: $label: the floor exited with $? (see $out/$label.txt)" >&2
  res=$(awk '{for (i = 1; i <= NF; i++) {split($i, kv, "="); v[kv[1]] = kv[2]}}
    END {n = v["transactions"] + 0; print (v["per_second"] == "" ? "nan" : v["per_second"]), (n > 0 ? sprintf("%.4f", v["resumed"] / n) : "nan")}' \
    "$out/$label.txt")
}

# shapes: id, s_server options, s_time options, churn options, floor mode ("" for none)
# The -accp shapes: the same, with native cryptography under the JDK's TLS (Amazon Corretto Crypto
# Provider, which has P-256 but not X25519, so the client offers only secp256r1; s_server takes it).
shapes=(
  "new|-quiet|-new|--tls 1.3|new"
  "reuse|-www -quiet|-reuse -www /|--tls 1.3 --tls-resume --http /|reuse"
  "new-accp|-quiet|-new|--tls 1.3 --tls-provider accp --tls-groups secp256r1|new-accp"
  "reuse-accp|-www -quiet|-reuse -www /|--tls 1.3 --tls-resume --http / --tls-provider accp --tls-groups secp256r1|reuse-accp"
)
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')   host: $(uname -r), $(nproc) CPUs"
  echo "openssl: $(openssl version)"
  echo "churn: $("$root/churn" --version 2>&1 | head -1)"
  echo "REPEATS=$repeats SECONDS=$secs WARMUP=$warmup; each measurement in a fresh network namespace with its own s_server:"
  for s in "${shapes[@]}"; do
    IFS='|' read -r id sopt topt copt fmode <<<"$s"
    echo "  $id: openssl s_server -accept $target -cert cert.pem -key key.pem $sopt"
    echo "    openssl s_time -connect $target -tls1_3 -time $secs $topt"
    echo "    churn run $copt --target $target --truststore cert.pem --warmup $warmup --duration ${secs}s --no-progress --format json --out DIR"
    [ -z "$fmode" ] || echo "    $java ${floor_jvm[*]} --enable-native-access=ALL-UNNAMED -cp $CHURN_JAR bench/floor/TlsCrr.java $target $secs $warm_s $fmode cert.pem /"
  done
} | tee "$out/commands.txt"
echo

. "$root/bench/scripts/failed-run.sh"   # why_failed, left_out

echo "rep shape tool rate failed resumed_share" >"$out/raw.tsv"
echo "rep shape s_time/s churn/s floor/s" >"$out/pairs.tsv"
: >"$out/excluded.txt"
printf '%-4s %-10s %10s %10s %7s %8s %10s\n' rep shape s_time/s churn/s ratio resumed floor/s | tee "$out/runs.txt"
for r in $(seq 1 "$repeats"); do
  for s in "${shapes[@]}"; do
    IFS='|' read -r id sopt topt copt fmode <<<"$s"
    read -r -a sopts <<<"$sopt"; read -r -a topts <<<"$topt"; read -r -a copts <<<"$copt"
    fr=nan swhy="" cwhy=""
    # alternate which tool goes first, so neither always meets the warmer machine
    for tool in $( [ $((r % 2)) = 1 ] && echo "s_time churn floor" || echo "floor churn s_time"); do
      [ "$tool" != floor ] || [ -n "$fmode" ] || continue
      ns_server "${sopts[@]}"
      if [ "$tool" = floor ]; then
        floor_run "r$r-$id-floor" "$fmode"; read -r fr fs <<<"$res"
        echo "$r $id floor $fr 0 $fs" >>"$out/raw.tsv"
      elif [ "$tool" = s_time ]; then
        stime_run "r$r-$id-s_time" "${topts[@]}"; sr="$res"
        echo "$r $id s_time $sr 0 nan" >>"$out/raw.tsv"
        swhy=$(why_failed s_time "r$r-$id-s_time" "$run_rc" "$sr" 0 connections)
      else
        churn_run "r$r-$id-churn" "${copts[@]}"; read -r cr cf cs <<<"$res"
        echo "$r $id churn $cr $cf $cs" >>"$out/raw.tsv"
        cwhy=$(why_failed churn "r$r-$id-churn" "$run_rc" "$cr" "$cf" connections)
      fi
      ns_end
    done
    left_out "$r" "$id" "$swhy" "$cwhy"
    [ -z "$swhy" ] || sr=failed
    [ -z "$cwhy" ] || cr=failed
    echo "$r $id $sr $cr $fr" | sed 's/ failed/ -/g; s/ nan/ -/g' >>"$out/pairs.tsv"
    awk -v r="$r" -v id="$id" -v a="$sr" -v b="$cr" -v s="$cs" -v f="$fr" 'BEGIN {
      printf "%-4s %-10s %10s %10s %7s %8s %10s\n", r, id, a, b, (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || a == 0 ? "-" : sprintf("%.2f", b / a)), s,
        (f == "nan" ? "-" : f)}' |
      tee -a "$out/runs.txt"
  done
done

# median and range of the rate for one shape and tool: "median min max" (or "nan nan nan"), from
# pairs.tsv, over the repeats where s_time and churn both counted; with "floor", only those where the
# floor counted too (the floor's always), so that churn/floor and floor/s_time compare the same
# repeats (a floor that failed once left churn's and s_time's medians over a repeat more than its own)
stat() { # shape, tool [floor]
  awk -v s="$1" -v c="$(case "$2" in s_time) echo 3 ;; churn) echo 4 ;; *) echo 5 ;; esac)" -v f="$([ "$2" = floor ] || [ "${3:-}" = floor ] && echo 1)" \
    'NR > 1 && $2 == s && $c ~ /^[0-9.]+$/ && $3 ~ /^[0-9.]+$/ && $4 ~ /^[0-9.]+$/ && (!f || $5 ~ /^[0-9.]+$/) {print $c}' "$out/pairs.tsv" | sort -g |
    awk '{a[NR] = $1} END {if (!NR) print "nan nan nan"; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[1], a[NR]}'
}
{
  echo
  echo "medians over $repeats alternating repeats of ${secs}s, connections/s (range min-max); ratio = churn / s_time;"
  echo "floor = the JDK's TLS alone (bench/floor/TlsCrr.java): churn/floor is churn's share, floor/s_time the JDK's:"
  printf '%-10s %-24s %-24s %6s %-24s %11s %12s\n' shape "s_time/s" "churn/s" ratio "floor/s" churn/floor floor/s_time
  for s in "${shapes[@]}"; do
    IFS='|' read -r id _ _ _ _ <<<"$s"
    read -r sm slo shi < <(stat "$id" s_time)
    read -r cm clo chi < <(stat "$id" churn)
    read -r fm flo fhi < <(stat "$id" floor)
    read -r sf _ _ < <(stat "$id" s_time floor)
    read -r cf _ _ < <(stat "$id" churn floor)
    awk -v id="$id" -v sf="$sf" -v cf="$cf" -v sm="$sm" -v slo="$slo" -v shi="$shi" -v cm="$cm" -v clo="$clo" -v chi="$chi" \
      -v fm="$fm" -v flo="$flo" -v fhi="$fhi" '
      function f(m, lo, hi) {return m == "nan" ? "-" : sprintf("%.0f (%.0f-%.0f)", m, lo, hi)}
      function q(a, b) {return a == "nan" || b == "nan" || b == 0 ? "-" : sprintf("%.2f", a / b)}
      BEGIN {printf "%-10s %-24s %-24s %6s %-24s %11s %12s\n", id, f(sm, slo, shi), f(cm, clo, chi), q(cm, sm),
        f(fm, flo, fhi), q(cf, fm), q(fm, sf)}'
  done
  # a repeat left out of a shape's medians, said under the table (goals.sh notes it on the goal's line)
  awk 'NR > 1 {n[$2]++; if (!($2 in order)) {order[$2] = ++k; name[k] = $2}; if ($3 ~ /^[0-9.]+$/ && $4 ~ /^[0-9.]+$/) u[$2]++}
    END {for (i = 1; i <= k; i++) if (u[name[i]] + 0 < n[name[i]]) printf "  %s: medians over %d of %d repeats (excluded.txt says why)\n", name[i], u[name[i]], n[name[i]]}' "$out/pairs.tsv"
  echo "results in $out"
} | tee "$out/table.txt"
