#!/usr/bin/env bash
# How much a CRR rate on this machine depends on what the other vCPU is doing. On this project's VM
# (Firecracker, cpuidle haltpoll with guest_halt_poll_ns=0 on the kernel's command line) a vCPU with
# nothing to run halts at once, and a thread woken on it waits for the host to run the vCPU again.
# A ping-pong between two threads on two idle vCPUs pays that on every wake-up; a busy neighbour, or
# both threads on one CPU, does not. Each repeat measures in turn, each measurement in a fresh
# network namespace (root), in three regimes:
#
#   bench/scripts/cpu-regime.sh [REPEATS] [CONNECTIONS]        (defaults 3 and 20000)
#
#   idle   nothing else runs: the goals' regime
#   busy   a busy loop at nice 19 runs beside the measurement (it yields to anything else at once,
#          so the vCPUs never halt), stopped after it
#   one    the measurement and everything it starts pinned to CPU 0 (taskset -c 0)
#
# and three measurements in each (1-byte request and response, the client closing first):
#   c          tcpref crr N (bench/native: C client and C server, two threads of one process)
#   churn      churn run --request 1 --response 1 --connections N --warmup 2s (blocking, its sink)
#   churn-rst  the same with --linger 0: no TIME_WAIT (tcpref has no abortive close)
# Reports the medians and churn / C per regime. A churn run that exited non-zero or failed
# connections is "failed" and left out (excluded.txt). Everything goes to
# results/<stamp>-cpu-regime/: rates.tsv ("rep regime measurement rate", full precision), each run's
# output, table.txt.
set -euo pipefail
export LC_ALL=C   # printf and awk print 0.92, not 0,92, whatever the caller's locale
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
repeats="${1:-3}"
n="${2:-20000}"
[[ $# -le 2 && "$repeats" =~ ^[1-9][0-9]*$ && "$n" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [REPEATS] [CONNECTIONS]" >&2; exit 2; }
[ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null || { echo "$0: needs root, for a fresh network namespace per measurement" >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "$0: needs 2 CPUs or more (one measurement pins to CPU 0 beside the other)" >&2; exit 2; }
for c in jq taskset ip; do command -v "$c" >/dev/null || { echo "$0: needs $c" >&2; exit 2; }; done

out="$root/results/$(date +%Y%m%d-%H%M%S)-cpu-regime"
mkdir -p "$out"
tcpref="$("$root/bench/native/build.sh")"   # the C reference, bench/native/tcpref.c
. "$root/bench/scripts/pin-jar.sh"   # builds the jar if needed, outside the timed runs, and pins it
{ echo "date: $(date -u '+%Y-%m-%d %H:%M:%S') UTC   host: $(uname -r), $(nproc) CPUs"
  echo "cpuidle: $(cat /sys/devices/system/cpu/cpuidle/current_driver 2>/dev/null || echo -)   cmdline: $(tr ' ' '\n' </proc/cmdline | grep -E 'idle|halt' | tr '\n' ' ')"
  echo "churn: $("$root/churn" --version)"; } | tee "$out/env.txt"

# In a fresh namespace with loopback up: the regime's setting, then the command. The busy loop is
# bounded (timeout 600) and killed when the command ends.
measure() { # regime, command...
  local regime="$1"; shift
  unshare -n sh -c 'ip link set lo up || exit 97
    regime="$1"; shift
    case "$regime" in
      busy) nice -n 19 timeout 600 sh -c "while :; do :; done" & spin=$! ;;
      one) set -- taskset -c 0 "$@" ;;
    esac
    rc=0; "$@" || rc=$?
    [ -z "${spin:-}" ] || kill "$spin" 2>/dev/null || true
    exit "$rc"' measure "$regime" "$@"
}

: >"$out/excluded.txt"
. "$root/bench/scripts/failed-run.sh"   # why_failed, left_out: the comparison scripts' rule for a run that cannot count
echo "rep regime measurement rate" >"$out/rates.tsv"
for r in $(seq 1 "$repeats"); do
  for regime in idle busy one; do
    label="r$r-$regime"
    rc=0; measure "$regime" "$tcpref" crr "$n" >"$out/$label-c.txt" 2>&1 || rc=$?
    rate=$(sed -n 's/.*per_second=\([0-9.]*\).*/\1/p' "$out/$label-c.txt")
    why=$(why_failed tcpref "$label-c" "$rc" "$rate" 0 connections)
    [ -z "$why" ] || { left_out "$r" "$regime-c" "$why"; rate=failed; }
    echo "$r $regime c $rate" >>"$out/rates.tsv"
    for m in churn churn-rst; do
      extra=(); [ "$m" = churn-rst ] && extra=(--linger 0)
      rc=0; measure "$regime" "$root/churn" run --request 1 --response 1 --connections "$n" --warmup 2s "${extra[@]}" \
        --no-progress --format json --out "$out/$label-$m" >"$out/$label-$m.json" 2>"$out/$label-$m.err" || rc=$?
      rate=$(jq -r '.connections.perSecond // empty' "$out/$label-$m.json" 2>/dev/null || true)
      failures=$(jq -r '.connections.failed // 0' "$out/$label-$m.json" 2>/dev/null || echo 0)
      why=$(why_failed "churn $m" "$label-$m" "$rc" "$rate" "$failures" connections)
      [ -z "$why" ] || { left_out "$r" "$regime-$m" "$why"; rate=failed; }
      echo "$r $regime $m $rate" >>"$out/rates.tsv"
    done
    echo "repeat $r $regime: $(awk -v r="$r" -v g="$regime" '$1 == r && $2 == g {printf "%s=%s ", $3, $4}' "$out/rates.tsv")" >&2
  done
done

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
whole() { awk '{print ($1 == "-" ? "-" : sprintf("%.0f", $1))}'; }
rates() { awk -v g="$1" -v m="$2" '$2 == g && $3 == m && $4 ~ /^[0-9.]+$/ {print $4}' "$out/rates.tsv"; }
ratios() { # regime: churn / c per repeat where both counted
  awk -v g="$1" '$2 == g && $4 ~ /^[0-9.]+$/ {v[$1 " " $3] = $4; reps[$1]}
    END {for (r in reps) if ((r " c") in v && (r " churn") in v) print v[r " churn"] / v[r " c"]}' "$out/rates.tsv"
}
{
  echo
  echo "medians over $repeats repeats of $n connections (less what excluded.txt lists), connections/s; each measurement in a fresh network namespace"
  printf '%-6s %10s %10s %10s %12s\n' regime c churn churn-rst churn/c
  for g in idle busy one; do
    printf '%-6s %10s %10s %10s %12s\n' "$g" "$(rates "$g" c | median | whole)" "$(rates "$g" churn | median | whole)" \
      "$(rates "$g" churn-rst | median | whole)" "$(ratios "$g" | median | awk '{print ($1 == "-" ? "-" : sprintf("%.2f", $1))}')"
  done
  echo "results in $out"
} | tee "$out/table.txt"
