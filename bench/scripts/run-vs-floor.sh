#!/usr/bin/env bash
# churn run's client against the JDK's floor: minimal Java CRR clients with nothing of churn's
# (bench/floor/*.java, run from source), against the same server, alternating in the same run.
# It splits a gap to neper or tcpref in two: churn / floor is what churn's own machinery costs
# (recording, pairing, the engine, the monitor, more code for the JIT), floor / neper what the
# JDK's socket layer costs (java.nio, java.net.Socket, the virtual-thread scheduler and poller).
#
#   [REPEATS=5] [SECONDS=5] [WARMUP=10] [NEPER=/path/to/tcp_crr] [CLOSE=linger0|timewait] [ONLY="flow1 ..."] \
#     bench/scripts/run-vs-floor.sh
#
# CLOSE=timewait closes gracefully instead (the floors' "timewait", churn without --linger 0, neper
# --time-wait): the client keeps the TIME_WAIT, as the goals' -tw shapes do. ONLY keeps the shapes
# named (flow1 sel64 ep64 vir64), the floors and neper configurations they need.
#
# Every measurement runs in a fresh network namespace of its own (root, ip), with one server:
# `churn serve --port 12000 --request 1 --response 1 --listeners 2` (the built-in sink's epoll
# loops, in their own process). Against it, every client makes CRR transactions: connect, 1-byte
# request, 1-byte response, close with SO_LINGER 0; warm-up WARMUP seconds, then SECONDS measured.
#
#   floor                                           churn run --target 127.0.0.1:12000 ...
#   f1    SocketCrr 1 platform untimed              flow1  --transport blocking --concurrency 1
#   fnio  NioCrr 64 flows, 2 selector threads       sel64  --transport selector --concurrency 64 --threads 2
#                                                   ep64   --transport epoll --concurrency 64 --threads 2
#   fvir  SocketCrr 64 virtual timed                vir64  --transport virtual --concurrency 64
#
# Each floor takes the steps churn's transport takes (see the programs' comments): `blocking`
# reads untimed (a watchdog times them), `virtual` with a timeout as churn does. ep64 has no
# Java floor: it is compared with fnio, to show what leaving java.nio buys.
# With NEPER set, neper's tcp_crr -T1 -F1 and -T2 -F64 (client and its own server, SO_LINGER 0)
# run in the same rounds, so floor / neper comes from the same run; its server is not churn's.
#
# Rate: the floors' per_second, churn's connections.perSecond, neper's throughput.
# Client CPU per transaction (user + system µs of the client process alone, over the measured
# window): the floors measure their own (getProcessCpuTime), and so does churn (cpu.measuredSeconds
# in summary.json; a churn older than 2026-12-05 has none, and is sampled from /proc/PID/stat every
# 50 ms (10 ms ticks), cut at measuredFrom and measuredFrom + duration); every client is sampled so
# (<run>.cpu), so that all bear the sampler alike;
# neper's client prints its own utime/stime for its window.
#
# Output: results/<stamp>-vs-floor/: commands.txt, raw.tsv, runs.txt, table.txt, each run's output.
set -euo pipefail
export LC_ALL=C   # printf and awk print 0.92, not 0,92, whatever the caller's locale
case "${1:-}" in
  "") ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "$0: takes no arguments (its settings go in the environment: --help says which)" >&2; exit 2 ;;
esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
secs="$(printenv SECONDS || echo 5)"   # bash's own $SECONDS counts up; read the caller's
repeats="${REPEATS:-5}"
warm="${WARMUP:-10}"   # as run-vs-neper.sh: 1 s left the JIT compiling in the measured part (2026-12-05)
close="${CLOSE:-linger0}"
[ "$close" = linger0 ] || [ "$close" = timewait ] || { echo "$0: CLOSE is linger0 or timewait, not '$close'" >&2; exit 2; }
only="${ONLY:-flow1 sel64 ep64 vir64}"
for o in $only; do
  case "$o" in flow1|sel64|ep64|vir64) ;; *) echo "$0: ONLY takes flow1, sel64, ep64 and vir64, not '$o'" >&2; exit 2 ;; esac
done
linger=(--linger 0); neper_close=()
[ "$close" = timewait ] && { linger=(); neper_close=(--time-wait); }
[[ "$repeats" =~ ^[1-9][0-9]*$ ]] || { echo "$0: REPEATS must be a whole number >= 1, not '$repeats'" >&2; exit 2; }
[[ "$secs" =~ ^[1-9][0-9]*$ ]] || { echo "$0: SECONDS must be a whole number of seconds >= 1, not '$secs'" >&2; exit 2; }
[[ "$warm" =~ ^[0-9]+$ ]] || { echo "$0: WARMUP must be a whole number of seconds, not '$warm'" >&2; exit 2; }
command -v jq >/dev/null || { echo "$0: needs jq (apt-get install jq)" >&2; exit 2; }
[ "$(id -u)" = 0 ] && command -v ip >/dev/null && command -v ss >/dev/null ||
  { echo "$0: needs root, ip and ss (iproute2) for a network namespace per measurement" >&2; exit 2; }
if [ -n "${NEPER:-}" ]; then
  [ -f "$NEPER" ] && [ -x "$NEPER" ] || { echo "$0: NEPER=$NEPER is not an executable file" >&2; exit 2; }
fi

. "$root/bench/scripts/find-java.sh"   # sets java: a JDK 25+ for bench/floor

port=12000
out="$root/results/$(date +%Y%m%d-%H%M%S)-vs-floor"
mkdir -p "$out"
. "$root/bench/scripts/pin-jar.sh"   # builds the jar if needed, outside the timed runs, and pins it

ns=""
cleanup() { # on any exit: end what runs in our current namespace (only we start processes there), delete it
  if [ -n "$ns" ]; then
    local p
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    sleep 0.2
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  fi
  ns=""
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
nsn=0
ns_new() { # a fresh namespace with churn serve listening on $port (unless told "noserver")
  nsn=$((nsn + 1))
  ns="churn-vs-floor-$$-$nsn"
  ip netns add "$ns"
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="16384 65535"
  [ "${1:-}" != noserver ] || return 0
  ip netns exec "$ns" "$root/churn" serve --port "$port" --request 1 --response 1 --listeners 2 \
    --duration "$((warm + secs + 120))s" >"$out/$label.server.txt" 2>&1 &
  local i
  for i in $(seq 1 250); do   # at most 5 s
    ip netns exec "$ns" ss -Hltn "sport = :$port" | grep -q . && return 0
    sleep 0.02
  done
  echo "$0: churn serve did not listen within 5 s (see $out/$label.server.txt)" >&2
  exit 1
}

# A client process's user + system CPU ticks, every 50 ms until it exits: "epoch_seconds ticks" lines.
# Forks nothing (bash builtins only; the pause is a read timing out on a pipe nobody writes), so it
# disturbs the machine as little as it can, and it watches floors and churn alike.
cpu_sampler() {
  local pid="$1" line rest pause
  exec {pause}<> <(:)
  while read -r line 2>/dev/null </proc/"$pid"/stat; do
    rest="${line##*) }"
    set -- $rest
    echo "$EPOCHREALTIME $((${12} + ${13}))"
    read -r -t 0.05 -u "$pause" _ || true
  done
  exec {pause}>&-
}

floor_run() { # label, program, args...: sets res to "rate transactions cpu_us"
  label="$1"; shift
  ns_new
  local rc=0
  ip netns exec "$ns" timeout $((warm + secs + 120)) "$java" "${floor_jvm[@]}" "$root/bench/floor/$1" "${@:2}" >"$out/$label.txt" 2>&1 &
  local pid=$!
  cpu_sampler "$pid" >"$out/$label.cpu" &   # as for churn, so both share the same disturbance
  local sampler=$!
  wait "$pid" || rc=$?
  wait "$sampler" || true
  cleanup
  [ "$rc" = 0 ] || echo "warning: $label: the floor exited with $rc (see $out/$label.txt)" >&2
  res=$(awk '{for (i = 1; i <= NF; i++) {split($i, kv, "="); v[kv[1]] = kv[2]}}
    END {print (v["per_second"] == "" ? "nan" : v["per_second"]), v["transactions"] + 0,
      (v["cpu_us_per_transaction"] == "" ? "nan" : v["cpu_us_per_transaction"])}' "$out/$label.txt")
}

churn_run() { # label, churn run options...: sets res to "rate completed cpu_us failed"
  label="$1"; shift
  ns_new
  ip netns exec "$ns" "$root/churn" run --target "127.0.0.1:$port" --no-progress --format json --out "$out/$label" \
    --request 1 --response 1 "${linger[@]}" --warmup "${warm}s" --duration "${secs}s" "$@" >"$out/$label.json" 2>"$out/$label.err" &
  local pid=$! rc=0
  cpu_sampler "$pid" >"$out/$label.cpu" &
  local sampler=$!
  wait "$pid" || rc=$?
  wait "$sampler" || true
  cleanup
  [ "$rc" = 0 ] || echo "warning: $label: churn exited with $rc (see $out/$label.err)" >&2
  local from dur completed
  from=$(jq -r '.measuredFrom // empty' "$out/$label.json" 2>/dev/null || true)
  dur=$(jq -r '.durationSeconds // empty' "$out/$label.json" 2>/dev/null || true)
  completed=$(jq -r '.connections.completed // 0' "$out/$label.json" 2>/dev/null || echo 0)
  local cpu=nan own
  # churn's own CPU over its measured part (cpu.measuredSeconds, the process's CPU clock read as the part
  # begins and ends), as the floors measure theirs; the samples only for a churn that does not say. Cut from
  # the 50 ms samples, the window took in up to a sample's worth of what came before and after it: 62.7 us
  # against churn's own 60.1 in a check (2026-12-07), counted against churn alone.
  own=$(jq -r '.cpu.measuredSeconds // empty' "$out/$label.json" 2>/dev/null || true)
  if [[ "$own" =~ ^[0-9.]+$ ]] && [ "$completed" -gt 0 ]; then
    cpu=$(awk -v c="$own" -v n="$completed" 'BEGIN {printf "%.1f", c / n * 1e6}')
  elif [ -n "$from" ] && [ -n "$dur" ] && [ "$completed" -gt 0 ]; then
    local start; start=$(date -d "$from" +%s.%N)
    cpu=$(awk -v s="$start" -v e="$(awk -v s="$start" -v d="$dur" 'BEGIN {printf "%.6f", s + d}')" -v n="$completed" '
      $1 <= s {a = $2} $1 >= e && b == "" {b = $2} END {print (a == "" || b == "" ? "nan" : sprintf("%.1f", (b - a) / 100 / n * 1e6))}' \
      "$out/$label.cpu")
  fi
  res=$(jq -r --arg cpu "$cpu" '[.connections.perSecond, .connections.completed, $cpu, .connections.failed] | map(tostring) | join(" ")' \
    "$out/$label.json" 2>/dev/null) || res="nan 0 nan 0"
  [ -n "$res" ] || res="nan 0 nan 0"   # an empty or missing JSON: jq prints nothing and succeeds
}

neper_run() { # label, threads, flows: sets res to "rate transactions client_cpu_us"
  label="$1"
  local opts=(-T "$2" -F "$3" -l "$secs" -C 12866 -P 12867 --logtostderr "${neper_close[@]}")
  ns_new noserver
  ip netns exec "$ns" timeout $((secs + 60)) "$NEPER" "${opts[@]}" >"$out/$label.server.txt" 2>&1 &
  local i
  for i in $(seq 1 250); do
    ip netns exec "$ns" ss -Hltn "sport = :12866" | grep -q . && break
    sleep 0.02
  done
  local rc=0
  ip netns exec "$ns" timeout $((secs + 60)) "$NEPER" -c -H 127.0.0.1 "${opts[@]}" >"$out/$label.txt" 2>&1 || rc=$?
  cleanup
  [ "$rc" = 0 ] || echo "warning: $label: neper exited with $rc (see $out/$label.txt)" >&2
  res=$(awk -F= '$1 == "throughput" {r = $2} $1 == "num_transactions" {n = $2}
    $1 ~ /^[us]time_(start|end)$/ {w += ($1 ~ /_end$/ ? $2 : -$2)}
    END {print (r == "" ? "nan" : r), n + 0, (n > 0 ? sprintf("%.1f", w / n * 1e6) : "nan")}' "$out/$label.txt")
}

# floors: id, program, arguments after HOST:PORT
floors=(
  "f1|SocketCrr.java|1 platform $secs $warm $close untimed"
  "fnio|NioCrr.java|64 2 $secs $warm $close"
  "fvir|SocketCrr.java|64 virtual $secs $warm $close timed"
)
# churn shapes: id, its floor, neper configuration, description, churn run options
shapes=(
  "flow1|f1|n1|one flow, blocking|--transport blocking --concurrency 1"
  "sel64|fnio|n64|64 flows, selector|--transport selector --concurrency 64 --threads 2"
  "ep64|fnio|n64|64 flows, epoll|--transport epoll --concurrency 64 --threads 2"
  "vir64|fvir|n64|64 flows, virtual|--transport virtual --concurrency 64"
)
necks=("n1|1|1" "n64|2|64")
# ONLY: the shapes kept, and the floors and neper configurations they are compared with.
kept=(); kept_floors=(); kept_necks=()
for s in "${shapes[@]}"; do
  IFS='|' read -r id fid gid _ <<<"$s"
  [[ " $only " == *" $id "* ]] || continue
  kept+=("$s")
  for f in "${floors[@]}"; do [[ "$f" == "$fid|"* && " ${kept_floors[*]} " != *" $f "* ]] && kept_floors+=("$f"); done
  for g in "${necks[@]}"; do [[ "$g" == "$gid|"* && " ${kept_necks[*]} " != *" $g "* ]] && kept_necks+=("$g"); done
done
shapes=("${kept[@]}"); floors=("${kept_floors[@]}"); necks=("${kept_necks[@]}")

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')   host: $(uname -r), $(nproc) CPUs"
  echo "churn: $("$root/churn" --version 2>&1 | head -1)   floors: $java ($("$java" -version 2>&1 | head -1))"
  [ -z "${NEPER:-}" ] || echo "neper: $NEPER, -T1 -F1 and -T2 -F64, -l $secs${neper_close[*]:+ ${neper_close[*]}}, its own server"
  echo "close: $close${only:+; shapes: $only}"
  echo "each measurement in a fresh network namespace (ip_local_port_range 16384 65535), server:"
  echo "  $root/churn serve --port $port --request 1 --response 1 --listeners 2"
  echo "REPEATS=$repeats SECONDS=$secs WARMUP=$warm; clients:"
  for f in "${floors[@]}"; do
    IFS='|' read -r id prog args <<<"$f"
    echo "  $id: $java ${floor_jvm[*]} $root/bench/floor/$prog 127.0.0.1:$port $args"
  done
  for s in "${shapes[@]}"; do
    IFS='|' read -r id _ _ desc opts <<<"$s"
    echo "  $id ($desc): $root/churn run --target 127.0.0.1:$port --request 1 --response 1${linger[*]:+ ${linger[*]}} --warmup ${warm}s --duration ${secs}s $opts"
  done
} | tee "$out/commands.txt"
echo

echo "rep id tool rate transactions client_cpu_us failed" >"$out/raw.tsv"
printf '%-4s %-6s %10s %10s %8s %9s %9s\n' rep shape floor/s churn/s ratio floor_us churn_us | tee "$out/runs.txt"
for r in $(seq 1 "$repeats"); do
  if [ -n "${NEPER:-}" ]; then
    for g in "${necks[@]}"; do
      IFS='|' read -r gid t f <<<"$g"
      neper_run "r$r-$gid-neper" "$t" "$f"
      echo "$r $gid neper $res 0" >>"$out/raw.tsv"
    done
  fi
  for f in "${floors[@]}"; do
    IFS='|' read -r fid prog args <<<"$f"
    read -r -a a <<<"$args"
    floor_run "r$r-$fid-floor" "$prog" "127.0.0.1:$port" "${a[@]}"
    read -r fr fn fu <<<"$res"
    echo "$r $fid floor $fr $fn $fu 0" >>"$out/raw.tsv"
    for s in "${shapes[@]}"; do
      IFS='|' read -r id sf _ _ opts <<<"$s"
      [ "$sf" = "$fid" ] || continue
      read -r -a o <<<"$opts"
      churn_run "r$r-$id-churn" "${o[@]}"
      read -r cr cn cu cf <<<"$res"
      echo "$r $id churn $cr $cn $cu $cf" >>"$out/raw.tsv"
      [ "$cf" = 0 ] || echo "warning: r$r $id: churn counted $cf failed connections (see $out/r$r-$id-churn.json)" >&2
      awk -v r="$r" -v id="$id" -v a="$fr" -v b="$cr" -v x="$fu" -v y="$cu" 'BEGIN {
        printf "%-4s %-6s %10s %10s %8s %9s %9s\n", r, id, (a == "nan" ? "-" : sprintf("%.0f", a)),
          (b == "nan" ? "-" : sprintf("%.0f", b)), (a == "nan" || b == "nan" || a == 0 ? "-" : sprintf("%.2f", b / a)), x, y}' |
        tee -a "$out/runs.txt"
    done
  done
done

stat() { # id, tool, column of raw.tsv: "median min max" (or "nan nan nan")
  awk -v s="$1" -v t="$2" -v c="$3" 'NR > 1 && $2 == s && $3 == t && $c != "nan" {print $c}' "$out/raw.tsv" | sort -g |
    awk '{a[NR] = $1} END {if (!NR) print "nan nan nan"; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[1], a[NR]}'
}
{
  echo
  echo "medians over $repeats alternating repeats of ${secs}s (range min-max); churn/floor = ratio of the medians;"
  echo "client CPU = user + system µs per transaction of the client process alone, median:"
  printf '%-30s %-20s %-20s %11s %8s %8s' shape "floor/s" "churn/s" churn/floor floor_us churn_us
  [ -z "${NEPER:-}" ] && echo || printf ' %-20s %11s %8s\n' "neper/s" floor/neper neper_us
  for s in "${shapes[@]}"; do
    IFS='|' read -r id fid gid desc _ <<<"$s"
    read -r fm flo fhi < <(stat "$fid" floor 4)
    read -r cm clo chi < <(stat "$id" churn 4)
    read -r fu _ _ < <(stat "$fid" floor 6)
    read -r cu _ _ < <(stat "$id" churn 6)
    read -r nm nlo nhi < <(stat "$gid" neper 4)
    read -r nu _ _ < <(stat "$gid" neper 6)
    awk -v d="$id ($desc)" -v fm="$fm" -v flo="$flo" -v fhi="$fhi" -v cm="$cm" -v clo="$clo" -v chi="$chi" \
      -v fu="$fu" -v cu="$cu" -v nm="$nm" -v nlo="$nlo" -v nhi="$nhi" -v nu="$nu" -v neper="${NEPER:-}" '
      function f(m, lo, hi) {return m == "nan" ? "-" : sprintf("%.0f (%.0f-%.0f)", m, lo, hi)}
      function q(a, b) {return a == "nan" || b == "nan" || b == 0 ? "-" : sprintf("%.2f", a / b)}
      function u(x) {return x == "nan" ? "-" : sprintf("%.1f", x)}
      BEGIN {
        printf "%-30s %-20s %-20s %11s %8s %8s", d, f(fm, flo, fhi), f(cm, clo, chi), q(cm, fm), u(fu), u(cu)
        if (neper == "") printf "\n"; else printf " %-20s %11s %8s\n", f(nm, nlo, nhi), q(fm, nm), u(nu)
      }'
  done
  echo "(ep64 has no Java floor: its floor column is the java.nio floor, fnio)"
  echo "results in $out"
} | tee "$out/table.txt"
