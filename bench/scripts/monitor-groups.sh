#!/usr/bin/env bash
# What grouping costs `churn monitor`, against a plain sample and against ss, in the same run on the
# same crowded socket table (issue 12, "Performance"):
#   plain     churn monitor --count N --interval 200ms --format json   (a netlink count)
#   remote    the same with --by remote        goal: at most 1.5x plain
#   process   the same with --by process       goal: faster than ss -tanp; the first sample scans
#                                              /proc/<pid>/fd, later ones reuse the scan
#   ss-tan    ss -tan > /dev/null              the C reference for plain
#   ss-tanp   ss -tanp > /dev/null             the C reference for process
#   scrape    curl of /metrics from churn monitor --listen (served from the last sample)
#
#   bench/scripts/monitor-groups.sh [BATCHES]     (default 2)
#
# Each batch makes a fresh network namespace (ip netns add; loopback up, ip_local_port_range
# 20000-60999 and tcp_tw_reuse 0 there only, so setting up needs no port search and keeps its
# TIME_WAIT), starts bench/native/sockhold.c in it (PROCESSES clients x CONNECTIONS connections to
# 127.0.0.1:PORT, server ends held by a few acceptor processes; with the defaults about 52,000
# sockets: ESTABLISHED pairs, TW_PCT% client TIME_WAIT, CW_PCT% CLOSE_WAIT in the clients and
# FIN_WAIT2 in the acceptors), waits for its "ready", starts churn monitor --listen for the
# scrapes, then runs ROUNDS rounds of the six measurements back to back in the order above, all
# beside sockhold, and tears everything down. By default (PIDS=own) sockhold is also the init of a
# pid namespace of its own with its own /proc (unshare --pid --mount-proc) and every measurement
# runs in there (nsenter), so --by process and ss -p scan the same few hundred processes whatever
# else the host runs; PIDS=host leaves the host's pid namespace, where both scan every process of
# the host (on a busy build machine, hundreds more, with many descriptors each).
#
# Per churn run, `sampleMicros` of each JSON line is what that sample cost (wall clock, inside the
# JVM; no JVM start): "first" is sample 1 (cold JIT; for process, the /proc scan), "later" the
# median of the second half of the samples, the steady state (samples 2 to about 4 still run code
# the JIT is compiling: up to 3x a steady one with --by remote). churn keeps sampling within 5% of a CPU, so after a costly sample the next
# one comes cost/0.05 later: a run of N samples takes seconds. The ss figures are wall clock of the
# whole ss process (fork/exec, ~1 ms, included), medians of SS_RUNS runs. Scrapes: curl's
# time_total (connect to last byte), median of SCRAPES after one unmeasured first scrape, and the
# exposition's size. Every measurement also records how many sockets it saw (sockets.txt): TIME_WAIT
# is gone 60 s after it was made, so from about a minute after "ready" the table holds TW_PCT% fewer
# sockets (52,254 -> 49,523 with the defaults); the pairs compared (remote with plain, process with
# ss -tanp) run back to back and see the same table.
#
# With the defaults a run takes about 5 minutes (5m19s on 2 cores at load 5): the first samples of
# --by remote and --by process cost up to ~1.5 s of CPU, and churn's 5% budget then waits ~30 s.
#
# Knobs (environment): ROUNDS=2 SAMPLES=12 SS_RUNS=5 SCRAPES=20 PROCESSES=250 CONNECTIONS=110
# TW_PCT=10 CW_PCT=10 PORT=7400 METRICS_PORT=7401 PIDS=own. Everything (raw JSON lines, ss timings, curl
# timings, sockhold's output, table.txt) goes to results/<stamp>-monitor-groups/.
set -euo pipefail
export LC_ALL=C   # printf and awk print 0.92, not 0,92, whatever the caller's locale
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
batches="${1:-2}"
rounds="${ROUNDS:-2}" samples="${SAMPLES:-12}" ss_runs="${SS_RUNS:-5}" scrapes="${SCRAPES:-20}"
processes="${PROCESSES:-250}" connections="${CONNECTIONS:-110}" tw_pct="${TW_PCT:-10}" cw_pct="${CW_PCT:-10}"
port="${PORT:-7400}" metrics_port="${METRICS_PORT:-7401}" pids="${PIDS:-own}"
[[ "$pids" = own || "$pids" = host ]] || { echo "$0: PIDS='$pids' must be own or host" >&2; exit 2; }
for v in batches rounds ss_runs scrapes processes connections port metrics_port; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [BATCHES>=1]  ($v='${!v}' must be a positive number)" >&2; exit 2; }
done
[[ "$samples" =~ ^[0-9]+$ && "$samples" -ge 4 ]] || { echo "$0: SAMPLES='$samples' must be at least 4 (first, and the later half)" >&2; exit 2; }
[[ "$tw_pct" =~ ^[0-9]+$ && "$cw_pct" =~ ^[0-9]+$ ]] || { echo "$0: TW_PCT and CW_PCT must be percentages" >&2; exit 2; }
[ "$port" -lt 32768 ] && [ "$metrics_port" -lt 32768 ] && [ "$port" != "$metrics_port" ] ||
  { echo "$0: PORT and METRICS_PORT must differ and lie below 32768 (outside the ephemeral range)" >&2; exit 2; }
for tool in jq curl ss ip bc nsenter unshare; do
  command -v "$tool" >/dev/null || { echo "$0: needs $tool (apt-get install jq curl iproute2 bc util-linux)" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "$0: needs root for a network namespace per batch (ip netns add)" >&2; exit 2; }

out="$root/results/$(date +%Y%m%d-%H%M%S)-monitor-groups"
mkdir -p "$out"
sockhold="$("$root/bench/native/build.sh" sockhold)"   # bench/native/sockhold.c
. "$root/bench/scripts/pin-jar.sh"   # builds the jar if needed, outside the timed runs, and pins it
churn="$root/churn"

{
  echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC')  $0 $batches  (ROUNDS=$rounds SAMPLES=$samples SS_RUNS=$ss_runs SCRAPES=$scrapes PIDS=$pids"
  echo "#   PROCESSES=$processes CONNECTIONS=$connections TW_PCT=$tw_pct CW_PCT=$cw_pct PORT=$port METRICS_PORT=$metrics_port)"
  echo "# $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?') on $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(ss -V 2>&1 | head -1)"
  echo "# pid namespace: $pids ($([ "$pids" = own ] && echo "sockhold's own: ss -p and --by process scan its processes only" || echo "the host's: ss -p and --by process scan all $(ls -d /proc/[0-9]* | wc -l) of its processes"))"
} | tee "$out/table.txt"

# Background processes are started without a shell function or subshell in between, so $! is the
# process itself (ip netns exec, unshare and nsenter exec or wait for theirs), and the FIFO's write
# end is closed in every one of them but this shell, so closing it here is sockhold's EOF.
ns="" hold_fd="" holder="" listener="" target="" tmp="$(mktemp -d)"
cleanup() {
  set +e
  if [ -n "$listener" ]; then
    # the JVM (nsenter's child with PIDS=own, the process itself with host) ends on SIGTERM
    kill $(ps -o pid= --ppid "$listener") "$listener" 2>/dev/null
    wait "$listener" 2>/dev/null
  fi
  if [ -n "$hold_fd" ]; then exec {hold_fd}>&-; fi   # sockhold's stdin closes: it lets go
  if [ -n "$holder" ]; then
    for _ in $(seq 1 100); do kill -0 "$holder" 2>/dev/null || break; sleep 0.1; done
    kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
  fi
  [ -z "$ns" ] || ip netns del "$ns" 2>/dev/null
  ns="" hold_fd="" holder="" listener="" target=""
}
trap 'cleanup; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

median() { sort -g | awk '{a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# Runs a command beside sockhold: in its network namespace, and with PIDS=own in its pid and mount
# namespaces too, so /proc holds sockhold's processes and the command's only.
in_ns() {
  if [ "$pids" = own ]; then nsenter -t "$target" -n -p -m -- "$@"; else ip netns exec "$ns" "$@"; fi
}

# The three measurements set globals (no subshell, so a failure ends the script): first, later, n.

# churn monitor in the namespace: first = sample 1, later = median of samples N/2+1..N (ms), n = sockets
monitor_run() { # label, then extra options
  local label="$1"; shift
  in_ns "$churn" monitor --count "$samples" --interval 200ms --format json "$@" >"$out/$label.jsonl" 2>"$out/$label.err" ||
    { echo "$0: churn monitor $* failed, see $out/$label.err" >&2; exit 1; }
  [ "$(wc -l <"$out/$label.jsonl")" -eq "$samples" ] || { echo "$0: $label: expected $samples samples" >&2; exit 1; }
  first=$(jq -s '.[0].sampleMicros / 1000' "$out/$label.jsonl")
  # steady state: the second half of the samples (the JIT compiles the grouping during the first few)
  later=$(jq '.sampleMicros / 1000' "$out/$label.jsonl" | tail -n +$(( samples / 2 + 1 )) | median)
  n=$(jq -s '.[-1].states | add' "$out/$label.jsonl")
}

# ss in the namespace, SS_RUNS times: first = median ms; with count, n = the sockets it lists
ss_run() { # label, ss options[, count]
  local label="$1" opts="$2"
  in_ns bash -c 'for i in $(seq 1 "$1"); do t0=$EPOCHREALTIME; ss '"$opts"' >/dev/null; t1=$EPOCHREALTIME; echo "$t0 $t1"; done' \
    ss "$ss_runs" | awk '{printf "%.3f\n", ($2 - $1) * 1000}' >"$out/$label.ms"
  [ "$(wc -l <"$out/$label.ms")" -eq "$ss_runs" ] || { echo "$0: $label: ss did not run $ss_runs times" >&2; exit 1; }
  first=$(median <"$out/$label.ms")
  n="-"
  if [ -n "${3:-}" ]; then n=$(($(in_ns ss "$opts" | wc -l) - 1)); fi
}

# SCRAPES timed scrapes after one untimed: first = median ms, n = the exposition's bytes
scrape_run() { # label
  local label="$1" url="http://127.0.0.1:$metrics_port/metrics"
  in_ns curl -s -o /dev/null "$url"
  in_ns bash -c 'for i in $(seq 1 "$1"); do curl -s -o /dev/null -w "%{time_total} %{size_download} %{http_code}\n" "$2"; done' \
    scrape "$scrapes" "$url" >"$out/$label.curl"
  awk '$3 != 200 {bad++} END {exit bad > 0}' "$out/$label.curl" || { echo "$0: $label: a scrape did not answer 200" >&2; exit 1; }
  first=$(awk '{printf "%.3f\n", $1 * 1000}' "$out/$label.curl" | median)
  n=$(awk 'END {print $2}' "$out/$label.curl")
}

printf '%-5s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s %7s %7s %7s %8s\n' \
  run plain1 plain remote1 remote proc1 proc ss-tan ss-tanp scrape bytes sockets rem/pl proc/ss pl/sstan | tee -a "$out/table.txt"
for b in $(seq 1 "$batches"); do
  ns="churn-mg-$$-$b"
  ip netns add "$ns"
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="20000 60999" net.ipv4.tcp_tw_reuse=0
  mkfifo "$tmp/hold-$b"
  hold_args=(-p "$port" -n "$processes" -c "$connections" -t "$tw_pct" -s "$cw_pct" -l 900)
  if [ "$pids" = own ]; then
    # sockhold is the init of a new pid namespace with its own /proc; --kill-child: if unshare goes, so does it
    ip netns exec "$ns" unshare --pid --fork --mount-proc --kill-child "$sockhold" "${hold_args[@]}" \
      <"$tmp/hold-$b" >"$out/sockhold-$b.txt" 2>&1 &
  else
    ip netns exec "$ns" "$sockhold" "${hold_args[@]}" <"$tmp/hold-$b" >"$out/sockhold-$b.txt" 2>&1 &
  fi
  holder=$!
  exec {hold_fd}>"$tmp/hold-$b"   # held open: sockhold holds until this closes
  for _ in $(seq 1 1200); do   # at most 120 s
    grep -q '^ready' "$out/sockhold-$b.txt" && break
    kill -0 "$holder" 2>/dev/null || break
    sleep 0.1
  done
  target="$holder"
  if [ "$pids" = own ]; then target="$(ps -o pid= --ppid "$holder" | head -1 | tr -d ' ')"; fi
  grep -q '^ready' "$out/sockhold-$b.txt" || { echo "$0: sockhold did not get ready:" >&2; cat "$out/sockhold-$b.txt" >&2; exit 1; }
  grep -q '^ready.* failed=0 ' "$out/sockhold-$b.txt" || { echo "$0: sockhold had failures:" >&2; cat "$out/sockhold-$b.txt" >&2; exit 1; }
  echo "# batch $b: $(grep '^ready' "$out/sockhold-$b.txt")" | tee -a "$out/table.txt"
  echo "#   processes that ss -p and --by process scan: $(in_ns sh -c 'ls -d /proc/[0-9]* | wc -l')" | tee -a "$out/table.txt"

  # The scrape target: a plain monitor serving its last sample, sampling only once a minute so it
  # stays out of the other measurements' way.
  if [ "$pids" = own ]; then
    nsenter -t "$target" -n -p -m -- "$churn" monitor --listen "127.0.0.1:$metrics_port" --interval 60s \
      >"$out/listen-$b.out" 2>&1 {hold_fd}>&- &
  else
    ip netns exec "$ns" "$churn" monitor --listen "127.0.0.1:$metrics_port" --interval 60s \
      >"$out/listen-$b.out" 2>&1 {hold_fd}>&- &
  fi
  listener=$!
  for _ in $(seq 1 300); do   # at most 30 s for the JVM and its first sample
    in_ns curl -s "http://127.0.0.1:$metrics_port/metrics" 2>/dev/null | grep -q '^churn_tcp_sockets' && break
    kill -0 "$listener" 2>/dev/null || break
    sleep 0.1
  done
  in_ns curl -s "http://127.0.0.1:$metrics_port/metrics" | grep -q '^churn_tcp_sockets' ||
    { echo "$0: churn monitor --listen did not serve metrics:" >&2; cat "$out/listen-$b.out" >&2; exit 1; }

  for r in $(seq 1 "$rounds"); do
    tag="$b.$r"
    monitor_run "plain-$tag"; p1=$first p=$later p_n=$n
    monitor_run "remote-$tag" --by remote; rm1=$first rm=$later rm_n=$n
    monitor_run "process-$tag" --by process; pr1=$first pr=$later pr_n=$n
    ss_run "ss-tan-$tag" -tan count; st=$first st_n=$n
    ss_run "ss-tanp-$tag" -tanp; stp=$first
    scrape_run "scrape-$tag"; sc=$first sc_bytes=$n
    # the socket counts of the four readers, for the eye: they should agree within a round (sockets.txt)
    printf '%-5s %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.2f %8s %7s %7.2f %7.2f %8.2f\n' \
      "$tag" "$p1" "$p" "$rm1" "$rm" "$pr1" "$pr" "$st" "$stp" "$sc" "$sc_bytes" "$p_n" \
      "$(echo "$rm / $p" | bc -l)" "$(echo "$pr / $stp" | bc -l)" "$(echo "$p / $st" | bc -l)" | tee -a "$out/table.txt"
    echo "$tag sockets plain=$p_n remote=$rm_n process=$pr_n ss-tan=$st_n" >>"$out/sockets.txt"
  done
  cleanup
done

col() { awk -v c="$1" '$1 ~ /^[0-9]+\.[0-9]+$/ {print $c}' "$out/table.txt"; }
stat() { # column: "median (min-max)"
  local m; m=$(col "$1" | median)
  printf '%s (%s)' "$m" "$(col "$1" | sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {printf "%s-%s", lo, hi}')"
}
ratio_first() { # per-run ratio of two columns, median (min-max)
  awk -v a="$1" -v b="$2" '$1 ~ /^[0-9]+\.[0-9]+$/ {printf "%.2f\n", $a / $b}' "$out/table.txt" |
    { mapfile -t v; printf '%s\n' "${v[@]}" | median | tr -d '\n'; printf ' (%s)' "$(printf '%s\n' "${v[@]}" | sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {printf "%s-%s", lo, hi}')"; }
}
{
  echo
  echo "medians over $((batches * rounds)) rounds ($batches batches x $rounds), ms, (min-max over rounds):"
  echo "  plain netlink sample    first $(stat 2)   later $(stat 3)"
  echo "  --by remote             first $(stat 4)   later $(stat 5)"
  echo "  --by process            first $(stat 6)   later $(stat 7)"
  echo "  ss -tan                 $(stat 8)"
  echo "  ss -tanp                $(stat 9)"
  echo "  /metrics scrape         $(stat 10)   exposition $(col 11 | median) bytes"
  echo "  sockets seen by plain   $(stat 12)   (all readers per round: sockets.txt)"
  echo "ratios, per round then median (min-max):"
  echo "  --by remote / plain (later samples)      $(stat 13)   goal <= 1.5"
  echo "  --by process later / ss -tanp            $(stat 14)   goal < 1"
  echo "  --by process first (the scan) / ss -tanp $(ratio_first 6 9)"
  echo "  plain later / ss -tan                    $(stat 15)"
  echo "results in $out"
} | tee -a "$out/table.txt"
