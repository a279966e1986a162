#!/usr/bin/env bash
# churn run against neper's tcp_crr (github.com/google/neper), the tool a performance engineer
# reaches for to measure connection churn, alternating in the same run.
#
#   NEPER=/path/to/tcp_crr [REPEATS=5] [SECONDS=5] [WARMUP=10] bench/scripts/run-vs-neper.sh
#
# neper is not part of this project: build it yourself, outside the repository
# (git clone https://github.com/google/neper && make tcp_crr; needs only cc and make).
#
# Shapes (every connection: 1-byte request, 1-byte response, a fresh connection per transaction).
# Each neper configuration runs once per repeat, and the churn runs compared with it right after:
#   n1       neper -T1 -F1      flow1     churn run --transport blocking --concurrency 1
#   n64      neper -T2 -F64     sel64     churn run --transport selector --concurrency 64 --threads 2
#                               ep64      churn run --transport epoll --concurrency 64 --threads 2
#                               vir64     churn run --transport virtual --concurrency 64
#   n1-tw, n64-tw               flow1-tw, sel64-tw, ep64-tw, vir64-tw: the same with TIME_WAIT: neper
#                               --time-wait (no SO_LINGER 0 on its client) vs churn without --linger 0
#                               (the client closes first and keeps the TIME_WAIT)
#   n64-t1   neper -T1 -F64     sel64-t1, ep64-t1: --threads 1 (1 to 2 threads, against sel64, ep64)
# Shapes this churn cannot run (no --threads, no epoll transport in `churn run --help`) are skipped.
# churn always runs with --request 1 --response 1 --warmup ${WARMUP}s --duration ${SECONDS}s, and
# --linger 0 except in the *-tw shapes; neper with its defaults (1-byte request and response,
# SO_LINGER 0 unless --time-wait) and -l SECONDS (neper is C: it needs no warm-up). churn's warm-up
# is 10 s by default: after 1 s the JIT still took 4-7% of a CPU in the second half of a 5 s
# measured part in the selector and virtual shapes (summary.json's jit.lateSharePercent, churn's
# warning), and 10 s made them 4% and 10% faster (docs/performance.md, 2026-12-05); it was 1 s
# before 2026-12-05. Each tool serves itself: neper's server process
# (tcp_crr without -c) beside its client, churn's built-in sink in its own process.
#
# Each measurement runs in a fresh network namespace of its own (ip netns add, loopback up,
# deleted after), so none inherits another's TIME_WAIT. In every namespace, for both tools alike:
#   net.ipv4.ip_local_port_range = PORT_RANGE  (default "16384 65535": 49,152 ports, above neper's
#                                  fixed ports 12866/12867)
#   net.ipv4.tcp_max_tw_buckets  = TW_BUCKETS  (default 262144; a fresh namespace has 131072)
# so that with TIME_WAIT neither tool runs out of ports (tcp_tw_reuse keeps the namespace default,
# 2: loopback connects reuse a TIME_WAIT port after tcp_tw_reuse_delay) nor overflows the TIME_WAIT
# table (TCPTimeWaitOverflow, which would make connections cheaper: a run that overflows is left out
# of the medians, its repeat with it, as a failed one is, below).
#
# Rate: neper's throughput= (transactions/s, its client's fit over its per-interval samples);
# churn's connections.perSecond from its summary.json.
# CPU per connection, in microseconds, user + system, both processes of the tool:
#   neper: utime/stime at the start and end of its measured window as neper itself prints them
#          (getrusage(RUSAGE_SELF), client and server), over the client's num_transactions.
#   churn: its own CPU over its measured part (cpu.measuredSeconds in summary.json, read with
#          clock_gettime(CLOCK_PROCESS_CPUTIME_ID), the kernel's total that getrusage splits, since
#          2026-12-06 (/proc/self/stat's ticks before) when the measured part begins and as it ends: client and built-in sink,
#          all JVM threads), over the measured connections. The JIT's compiling and the state
#          sampler in the measured part are counted: they are churn's cost. (A churn older than
#          2026-12-05 has no cpu figure: then its own CPU over the whole run minus the same figure
#          from a warm-up-only run right after it, --connections C instead of --duration.)
# Whole-process CPU (/usr/bin/time, JVM start included) goes to the raw files when installed.
#
# A repeat of a shape counts only when both tools' runs succeeded: churn exited 0 with its summary,
# no failed connections and no TIME_WAIT overflow; neper exited 0 with its throughput and no overflow.
# A failed one shows as "failed" in runs.txt, says why on standard error and in excluded.txt ("rep
# shape why"), and leaves that shape's medians on both sides (a failed neper run, every shape
# compared with it in that repeat).
#
# Everything goes to results/<stamp>-vs-neper/: raw.tsv (one line per measurement), pairs.tsv (per
# repeat and shape the two rates at full precision, "-" for a failed one; goals.sh reads it),
# excluded.txt, each run's output, churn's results directories, commands.txt and table.txt (the
# summary printed).
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
warm="${WARMUP:-10}"
[ -n "${NEPER:-}" ] || { echo "$0: set NEPER=/path/to/tcp_crr (neper, built from github.com/google/neper with make tcp_crr)" >&2; exit 2; }
[ -f "$NEPER" ] && [ -x "$NEPER" ] || { echo "$0: NEPER=$NEPER is not an executable file" >&2; exit 2; }
[[ "$repeats" =~ ^[1-9][0-9]*$ ]] || { echo "$0: REPEATS must be a whole number >= 1, not '$repeats'" >&2; exit 2; }
[[ "$secs" =~ ^[1-9][0-9]*$ ]] || { echo "$0: SECONDS must be a whole number of seconds >= 1, not '$secs'" >&2; exit 2; }
[[ "$warm" =~ ^[0-9]+$ ]] || { echo "$0: WARMUP must be a whole number of seconds, not '$warm'" >&2; exit 2; }
command -v jq >/dev/null || { echo "$0: needs jq (apt-get install jq)" >&2; exit 2; }
command -v ss >/dev/null || { echo "$0: needs ss (apt-get install iproute2)" >&2; exit 2; }
[ "$(id -u)" = 0 ] && command -v ip >/dev/null || { echo "$0: needs root and ip (iproute2) for a network namespace per measurement" >&2; exit 2; }
# neper writes a tcp_crr.<host>.<user>.<stamp>.<pid>.log into the current directory unless told not to:
# --nolog here, --logtostderr (into our files) in the runs
grep -q -- '--time-wait' <<<"$("$NEPER" --help --nolog 2>&1 || true)" ||
  { echo "$0: NEPER=$NEPER does not look like neper's tcp_crr (no --time-wait in its --help)" >&2; exit 2; }
port_range="${PORT_RANGE:-16384 65535}"
tw_buckets="${TW_BUCKETS:-262144}"
ctl_port=12866 data_port=12867   # neper's defaults, given explicitly; below 32768 and the port range

out="$root/results/$(date +%Y%m%d-%H%M%S)-vs-neper"
mkdir -p "$out"
. "$root/bench/scripts/pin-jar.sh"   # builds the jar if needed, outside the timed runs, and pins it
run_help="$("$root/churn" run --help 2>&1 || true)"
if grep -q -- '--threads' <<<"$run_help"; then has_threads=1; else has_threads=0; fi
if grep -q 'epoll' <<<"$run_help"; then has_epoll=1; else has_epoll=0; fi
timecmd=()
[ -x /usr/bin/time ] && timecmd=(/usr/bin/time -f "%U %S")
timed() { # file, command...: the command, its whole-process user and system CPU seconds into file
  local file="$1"; shift
  if [ ${#timecmd[@]} = 0 ]; then "$@"; else "${timecmd[@]}" -o "$file" "$@"; fi
}

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
ns_new() {
  nsn=$((nsn + 1))
  ns="churn-vs-neper-$$-$nsn"
  ip netns add "$ns"
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="$port_range" net.ipv4.tcp_max_tw_buckets="$tw_buckets"
}
# A TcpExt counter of the current namespace (/proc/net/netstat: a line of names, then one of values).
tcpext() { ip netns exec "$ns" cat /proc/net/netstat | awk -v k="$1" '$1 == "TcpExt:" {if (!n) {for (i = 2; i <= NF; i++) if ($i == k) n = i} else v = $n} END {print v + 0}'; }
whole_cpu() { [ -s "$1" ] && awk 'END {printf "%.3f", $1 + $2}' "$1" || echo nan; }

# neper: label, threads, flows, then client-only options. Sets res to: rate, transactions, window
# CPU seconds, whole-process CPU seconds, TCPTimeWaitOverflow. (Runs in this shell, not in a
# command substitution, so that the EXIT trap knows the namespace and the server to clean up.)
neper_run() {
  local label="$1" t="$2" f="$3"; shift 3
  # --logtostderr: its log lines go to our files, not to a tcp_crr.*.log in the current directory
  local opts=(-T "$t" -F "$f" -l "$secs" -C "$ctl_port" -P "$data_port" --logtostderr)
  ns_new
  timed "$out/$label.server.time" ip netns exec "$ns" \
    timeout $((secs + 60)) "$NEPER" "${opts[@]}" >"$out/$label.server.txt" 2>&1 &
  server_pid=$!
  local i
  for i in $(seq 1 250); do   # at most 5 s; the client would otherwise retry only once a second
    ip netns exec "$ns" ss -Hltn "sport = :$ctl_port" | grep -q . && break
    sleep 0.02
  done
  local rc=0
  timed "$out/$label.client.time" ip netns exec "$ns" \
    timeout $((secs + 60)) "$NEPER" -c -H 127.0.0.1 "${opts[@]}" "$@" >"$out/$label.client.txt" 2>&1 || rc=$?
  wait "$server_pid" || rc=$((rc ? rc : $?))
  server_pid=""
  run_rc=$rc
  local overflow; overflow=$(tcpext TCPTimeWaitOverflow)
  ip netns del "$ns"; ns=""
  local window
  window=$(awk -F= '$1 ~ /^[us]time_(start|end)$/ {s += ($1 ~ /_end$/ ? $2 : -$2)} END {printf "%.6f", s}' \
    "$out/$label.client.txt" "$out/$label.server.txt")
  local whole=nan
  [ ${#timecmd[@]} = 0 ] || whole=$(awk -v a="$(whole_cpu "$out/$label.client.time")" -v b="$(whole_cpu "$out/$label.server.time")" 'BEGIN {printf "%.3f", a + b}')
  res=$(awk -F= -v w="$window" -v whole="$whole" -v o="$overflow" '
    $1 == "throughput" {r = $2} $1 == "num_transactions" {n = $2}
    END {if (r == "") r = "nan"; if (n == "") n = 0; print r, n, w, whole, o}' "$out/$label.client.txt")
}

# churn: label, then churn run options. Sets res to: rate, completed, own CPU seconds over
# engine.run, whole-process CPU seconds, TCPTimeWaitOverflow, failed, own CPU seconds over the
# measured part (nan from a churn that does not say); run_rc to its exit status.
churn_run() {
  local label="$1"; shift
  ns_new
  run_rc=0
  timed "$out/$label.time" ip netns exec "$ns" timeout $((warm + secs + 120)) \
    "$root/churn" run --no-progress --format json --out "$out/$label" "$@" >"$out/$label.json" 2>"$out/$label.err" || run_rc=$?
  ip netns del "$ns"; ns=""
  local whole=nan
  [ ${#timecmd[@]} = 0 ] || whole=$(whole_cpu "$out/$label.time")
  res=$(jq -r --arg whole "$whole" '[.connections.perSecond, .connections.completed,
      (.environment.load as $l | if $l.ownPercent == null or $l.machineCpuSeconds == null then "nan"
       else $l.ownPercent * $l.machineCpuSeconds / 100 * 1000 | round / 1000 end),
      $whole, (.kernel.TCPTimeWaitOverflow // 0), .connections.failed, (.cpu.measuredSeconds // "nan")]
      | map(tostring) | join(" ")' "$out/$label.json" 2>/dev/null) || res="nan 0 nan $whole 0 0 nan"
  [ -n "$res" ] || res="nan 0 nan $whole 0 0 nan"   # an empty or missing JSON: jq prints nothing and succeeds
}

. "$root/bench/scripts/failed-run.sh"   # why_failed, left_out
# A TIME_WAIT overflow counts against a run unless TW_BUCKETS=0 asked for every one
counted() { [ "$tw_buckets" = 0 ] && echo 0 || echo "$1"; }

# neper configurations: id, threads, flows, client option (one word or "").
groups=(
  "n1|1|1|"
  "n64|2|64|"
  "n1-tw|1|1|--time-wait"
  "n64-tw|2|64|--time-wait"
  "n64-t1|1|64|"
)
# churn shapes: id, the neper configuration it is compared with, description, transport,
# concurrency, --threads ("" for none), linger ("0" or "").
shapes=(
  "flow1|n1|one flow, blocking|blocking|1||0"
  "sel64|n64|64 flows, selector|selector|64|2|0"
  "ep64|n64|64 flows, epoll|epoll|64|2|0"
  "vir64|n64|64 flows, virtual|virtual|64||0"
  "flow1-tw|n1-tw|one flow, blocking, TIME_WAIT|blocking|1||"
  "sel64-tw|n64-tw|64 flows, selector, TIME_WAIT|selector|64|2|"
  "ep64-tw|n64-tw|64 flows, epoll, TIME_WAIT|epoll|64|2|"
  "vir64-tw|n64-tw|64 flows, virtual, TIME_WAIT|virtual|64||"
  "sel64-t1|n64-t1|64 flows, 1 thread, selector|selector|64|1|0"
  "ep64-t1|n64-t1|64 flows, 1 thread, epoll|epoll|64|1|0"
)
runnable() { # transport, threads: 0 when this churn has what the shape needs
  { [ "$1" != epoll ] || [ "$has_epoll" = 1 ]; } && { [ "$2" != 1 ] || [ "$has_threads" = 1 ]; }
}
churn_opts() { # transport, concurrency, threads, linger: the shape's churn run options
  local o=(--transport "$1" --concurrency "$2" --request 1 --response 1 --warmup "${warm}s")
  [ -z "$3" ] || [ "$has_threads" = 0 ] || o+=(--threads "$3")
  [ -z "$4" ] || o+=(--linger "$4")
  echo "${o[*]}"
}
neper_cmd() { # threads, flows, client option
  local o="-T $1 -F $2 -l $secs -C $ctl_port -P $data_port --logtostderr"
  echo "server: $NEPER $o ; client: $NEPER -c -H 127.0.0.1 $o${3:+ $3}"
}

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')   host: $(uname -r), $(nproc) CPUs"
  echo "neper: $NEPER ($("$NEPER" --version --nolog 2>&1 | head -1 || true))"
  echo "churn: $("$root/churn" --version 2>&1 | head -1)$([ "$has_threads" = 1 ] && echo ", with --threads" || echo ", no --threads")$([ "$has_epoll" = 1 ] && echo ", with epoll" || echo ", no epoll")"
  echo "each measurement in a fresh network namespace: ip_local_port_range $port_range, tcp_max_tw_buckets $tw_buckets"
  echo "REPEATS=$repeats SECONDS=$secs WARMUP=$warm; commands (churn run also gets --no-progress --format json --out DIR):"
  for g in "${groups[@]}"; do
    IFS='|' read -r gid nt nf nopt <<<"$g"
    echo "  $gid: neper $(neper_cmd "$nt" "$nf" "$nopt")"
    for s in "${shapes[@]}"; do
      IFS='|' read -r id sg desc tr cc th lg <<<"$s"
      [ "$sg" = "$gid" ] || continue
      if runnable "$tr" "$th"; then
        echo "    $id ($desc): $root/churn run $(churn_opts "$tr" "$cc" "$th" "$lg") --duration ${secs}s"
      else
        echo "    $id ($desc): not run, this churn lacks $([ "$tr" = epoll ] && echo "the epoll transport" || echo "--threads")"
      fi
    done
  done
  echo "  churn's CPU: cpu.measuredSeconds (from an older churn: each command again with --connections C, warm-up only)"
} | tee "$out/commands.txt"
echo

echo "rep shape tool rate connections cpu_window_s cpu_us_per_connection whole_cpu_s tw_overflow failed" >"$out/raw.tsv"
echo "rep shape neper/s churn/s" >"$out/pairs.tsv"
: >"$out/excluded.txt"
: >"$out/failed-runs.tsv"   # "rep shape tool" of each run that failed: the thread medians leave it out too
printf '%-4s %-9s %10s %10s %8s %9s %9s\n' rep shape neper/s churn/s ratio neper_us churn_us | tee "$out/runs.txt"
for r in $(seq 1 "$repeats"); do
  for g in "${groups[@]}"; do
    IFS='|' read -r gid nt nf nopt <<<"$g"
    neper_run "r$r-$gid-neper" "$nt" "$nf" $nopt
    read -r nr nn nw nwhole no <<<"$res"
    nus=$(awk -v w="$nw" -v n="$nn" 'BEGIN {print (n > 0 ? sprintf("%.1f", w / n * 1e6) : "nan")}')
    echo "$r $gid neper $nr $nn $nw $nus $nwhole $no 0" >>"$out/raw.tsv"
    nwhy=$(why_failed neper "r$r-$gid-neper" "$run_rc" "$nr" 0 connections "$(counted "$no")")
    [ -z "$nwhy" ] || { echo "warning: r$r $gid: $nwhy: its shapes' repeat $r left out" >&2; echo "$r $gid neper" >>"$out/failed-runs.tsv"; }
    for s in "${shapes[@]}"; do
      IFS='|' read -r id sg desc tr cc th lg <<<"$s"
      [ "$sg" = "$gid" ] && runnable "$tr" "$th" || continue
      read -r -a opts <<<"$(churn_opts "$tr" "$cc" "$th" "$lg")"
      churn_run "r$r-$id-churn" "${opts[@]}" --duration "${secs}s"
      read -r cr cn cown cwhole co cf cmeasured <<<"$res"
      cwhy=$(why_failed churn "r$r-$id-churn" "$run_rc" "$cr" "$cf" connections "$(counted "$co")")
      if [ "$cmeasured" != nan ]; then
        cw="$cmeasured" wown=nan wwhole=nan
      else # an older churn: the whole run's CPU minus a warm-up-only run's
        churn_run "r$r-$id-churn-warmup" "${opts[@]}" --connections "$cc"
        read -r _ _ wown wwhole _ _ _ <<<"$res"
        cw=$(awk -v a="$cown" -v b="$wown" 'BEGIN {print (a == "nan" || b == "nan" ? "nan" : sprintf("%.3f", a - b))}')
      fi
      cus=$(awk -v w="$cw" -v n="$cn" 'BEGIN {print (w != "nan" && n > 0 ? sprintf("%.1f", w / n * 1e6) : "nan")}')
      echo "$r $id churn $cr $cn $cw $cus $cwhole $co $cf" >>"$out/raw.tsv"
      [ "$wown" = nan ] || echo "$r $id churn-warmup nan 0 $wown nan $wwhole 0 0" >>"$out/raw.tsv"
      [ -z "$cwhy" ] || { echo "warning: r$r $id: $cwhy: repeat $r left out of $id" >&2; echo "$r $id churn" >>"$out/failed-runs.tsv"; }
      left_out "$r" "$id" "$nwhy" "$cwhy" 2>/dev/null   # said on standard error above, per run
      echo "$r $id $([ -z "$nwhy" ] && echo "$nr" || echo -) $([ -z "$cwhy" ] && echo "$cr" || echo -)" >>"$out/pairs.tsv"
      awk -v r="$r" -v id="$id" -v a="$([ -z "$nwhy" ] && echo "$nr" || echo failed)" -v b="$([ -z "$cwhy" ] && echo "$cr" || echo failed)" \
          -v x="$nus" -v y="$cus" 'function w(v) {return v ~ /^[0-9.]+$/ ? sprintf("%.0f", v) : (v == "nan" ? "-" : v)} BEGIN {
        printf "%-4s %-9s %10s %10s %8s %9s %9s\n", r, id, w(a), w(b),
          (b !~ /^[0-9.]+$/ || a !~ /^[0-9.]+$/ || a == 0 ? "-" : sprintf("%.2f", b / a)), x, (y == "nan" ? "-" : y)}' | tee -a "$out/runs.txt"
    done
  done
done

# median and range of one side's rate for a shape, over the repeats where both sides counted
# (pairs.tsv; column 3 neper, 4 churn): "median min max" (or "nan nan nan")
pair_stat() {
  awk -v s="$1" -v c="$2" 'NR > 1 && $2 == s && $3 ~ /^[0-9.]+$/ && $4 ~ /^[0-9.]+$/ {print $c}' "$out/pairs.tsv" | sort -g |
    awk '{a[NR] = $1} END {if (!NR) print "nan nan nan"; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[1], a[NR]}'
}
# median and range of a raw.tsv column for one shape and tool: "median min max" (or "nan nan nan"),
# leaving out the runs that failed (failed-runs.tsv), as the rates' medians do
stat() {
  awk -v s="$1" -v t="$2" -v c="$3" 'FILENAME != ARGV[2] {bad[$1 " " $2 " " $3] = 1; next}
    FNR > 1 && $2 == s && $3 == t && $c != "nan" && !(($1 " " $2 " " $3) in bad) {print $c}' "$out/failed-runs.tsv" "$out/raw.tsv" | sort -g |
    awk '{a[NR] = $1} END {if (!NR) print "nan nan nan"; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[1], a[NR]}'
}
# the same for a shape's row, over the repeats in which the shape's two rates both counted (pairs.tsv), as its rate
# medians are: a churn run whose neper run failed (or the other way round) once kept its CPU in the row's median
paired_stat() { # shape, its neper configuration, tool (neper|churn), column of raw.tsv
  awk -v s="$1" -v g="$2" -v t="$3" -v c="$4" 'FILENAME == ARGV[1] {if (FNR > 1 && $2 == s && $3 ~ /^[0-9.]+$/ && $4 ~ /^[0-9.]+$/) ok[$1] = 1; next}
    FNR > 1 && ($1 in ok) && $2 == (t == "neper" ? g : s) && $3 == t && $c != "nan" {print $c}' "$out/pairs.tsv" "$out/raw.tsv" | sort -g |
    awk '{a[NR] = $1} END {if (!NR) print "nan nan nan"; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[1], a[NR]}'
}
{
  echo
  echo "medians over $repeats alternating repeats of ${secs}s (range min-max); ratio = churn median / neper median;"
  echo "CPU = user + system microseconds per connection, both processes of each tool, median:"
  printf '%-41s %-22s %-22s %6s %9s %9s\n' shape "neper/s" "churn/s" ratio neper_us churn_us
  for s in "${shapes[@]}"; do
    IFS='|' read -r id sg desc tr _ th _ <<<"$s"
    runnable "$tr" "$th" || continue
    read -r nm nlo nhi < <(pair_stat "$id" 3)
    read -r cm clo chi < <(pair_stat "$id" 4)
    read -r nu _ _ < <(paired_stat "$id" "$sg" neper 7)
    read -r cu _ _ < <(paired_stat "$id" "$sg" churn 7)
    awk -v d="$id ($desc)" -v nm="$nm" -v nlo="$nlo" -v nhi="$nhi" -v cm="$cm" -v clo="$clo" -v chi="$chi" -v nu="$nu" -v cu="$cu" '
      function f(m, lo, hi) {return m == "nan" ? "-" : sprintf("%.0f (%.0f-%.0f)", m, lo, hi)}
      function u(x) {return x == "nan" ? "-" : sprintf("%.1f", x)}
      BEGIN {printf "%-41s %-22s %-22s %6s %9s %9s\n", d, f(nm, nlo, nhi), f(cm, clo, chi),
        (cm == "nan" || nm == "nan" || nm == 0 ? "-" : sprintf("%.2f", cm / nm)), u(nu), u(cu)}'
  done
  # a repeat left out of a shape's medians, said under the table (goals.sh notes it on the goal's line)
  awk 'NR > 1 {n[$2]++; if (!($2 in order)) {order[$2] = ++k; name[k] = $2}; if ($3 ~ /^[0-9.]+$/ && $4 ~ /^[0-9.]+$/) u[$2]++}
    END {for (i = 1; i <= k; i++) if (u[name[i]] + 0 < n[name[i]]) printf "  %s: medians over %d of %d repeats (excluded.txt says why)\n", name[i], u[name[i]], n[name[i]]}' "$out/pairs.tsv"
  read -r n1 _ _ < <(stat n64-t1 neper 4)
  read -r n2 _ _ < <(stat n64 neper 4)
  echo "1 to 2 threads, 64 flows (medians):"
  awk -v a="$n1" -v b="$n2" 'BEGIN {printf "  neper -T1 -F64 %.0f/s -> -T2 -F64 %.0f/s: x%.2f\n", a, b, (a > 0 ? b / a : 0)}'
  for t in selector epoll; do
    short=$([ "$t" = selector ] && echo sel || echo ep)
    runnable "$t" 1 || { echo "  churn $t: not run by this churn"; continue; }
    read -r c1 _ _ < <(stat "${short}64-t1" churn 4)
    read -r c2 _ _ < <(stat "${short}64" churn 4)
    awk -v t="$t" -v a="$c1" -v b="$c2" 'BEGIN {printf "  churn %s --threads 1 %.0f/s -> --threads 2 %.0f/s: x%.2f\n", t, a, b, (a > 0 ? b / a : 0)}'
  done
  echo "results in $out"
} | tee "$out/table.txt"
