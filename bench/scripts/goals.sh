#!/usr/bin/env bash
# Every performance goal of churn, measured in one go against its peers, and written down as one
# dated record beside the ledger of earlier days (docs/goals.tsv).
#
#   [REPEATS=5] [NEPER=/path/to/tcp_crr] [ONLY="c neper tls http monitor"] bench/scripts/goals.sh
#   bench/scripts/goals.sh --ledger      (where each goal stands by the ledger alone; measures nothing)
# LEDGER=FILE reads another ledger than docs/goals.tsv.
#
# A goal is a ratio against a peer measured in the same run (churn / peer, or for the monitor
# churn's sample time / C's), and it counts as met when it holds on two different days, not on one
# good run. This script runs the comparison scripts beside it, one suite after another (each of
# them alternates churn with its peer, each measurement in a fresh network namespace), reads the
# median and the per-repeat range each one reports, and says which goal held today, and on which
# days the ledger says it held before:
#   c        run-vs-tcpref.sh REPEATS 20000, cold (as it runs by default) and with WARMUP=2s, and the
#            steady state, TW_BUCKETS=0 WARMUP=2s run-vs-tcpref.sh REPEATS 200000       (~10 min)
#   neper    run-vs-neper.sh with SECONDS=5 WARMUP=10; only with NEPER (build it yourself) (~17 min)
#            then ONLY="flow1 sel64 vir64" run-vs-floor.sh, the JDK's floors            (~9 min)
#   tls      run-vs-openssl.sh with SECONDS=5 WARMUP=60s                                (~47 min)
#   http     run-vs-ab.sh with REQUESTS=30000 WARMUP=5s, for blocking and epoll         (~4 min)
#            (5000 until 2026-12-07: 0.2-0.4 s a run on a fast day, too short to compare)
# Beside the neper, TLS and HTTP blocking goals go the JDK's floors (bench/floor: the same steps,
# nothing of churn's) as figures with no goal: <goal>.floor, the floor against the peer, and
# <goal>.vs-floor, churn against the floor (goals-read.sh reads them).
#   monitor  monitor-vs-tcpref.sh REPEATS (JMH, the benchmarks jar pinned here too)      (~5 min)
# Every suite gets exactly the settings its command column says: goals.sh refuses to start with a
# script's own setting in the environment (WARMUP, TW_BUCKETS, PORT_RANGE, CLOSE, FLOOR, REQUESTS,
# TRANSPORT, INTERVAL, JAVA, CHURN_JAR, BENCH_JAR, CHURN_JAVA_OPTS, CC), which a suite would otherwise take while
# the ledger records its default (INTERVAL: run-vs-ab.sh gives churn --interval with it, and the http
# lines' command did not say so; CC: bench/native/build.sh builds tcpref, the C peer, with it). (JAVA_HOME, which picks the JDK, is kept: env.txt names the JDK.)
# NOTE="..." goes into every line's note column (a loaded machine, a changed setting, ...).
# A goal line whose median came from fewer repeats than asked says so in its note (and why, from the
# suite's excluded.txt); with fewer than 3 it is not decided (holds "-", not counted).
# The suites need what their scripts need (root for the namespaces, jq, bc, cc, openssl, nginx-light,
# apache2-utils); a suite whose script refuses to start is reported as not run, and the others go on.
# Without root the c and monitor suites do not run either: their scripts alone would measure on the
# host, and every goal is measured in fresh network namespaces.
#
# (The times are those of 2026-12-02, 5 repeats, on 2 vCPUs, with the TLS floors on ACCP added on
# 2026-12-04, the neper floors on 2026-12-05, and the longer warm-ups of 2026-12-05, 60 s for TLS
# and 10 s for the neper shapes and their floors, estimated: about 90 minutes in all.)
# Output, in results/<stamp>-goals/: goals.tsv (one line per goal, the ledger's columns), table.txt
# (what is printed), standing.tsv (each goal's days, the ledger's and this run's), env.txt (date,
# commit, kernel, load) and the log of each suite; each suite's
# own results folder is named in goals.tsv. To add the day to the ledger, after reading it:
#   tail -n +2 results/<stamp>-goals/goals.tsv >> docs/goals.tsv
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
scripts="$root/bench/scripts"
ledger="${LEDGER:-$root/docs/goals.tsv}"
repeats="${REPEATS:-5}"
only="${ONLY:-c neper tls http monitor}"
export LC_ALL=C   # printf and awk print 0.92, not 0,92, whatever the caller's locale

# Where each goal stands, from ledger lines (header included) on stdin: per goal, tab-separated,
# its name, its goal (">=0.9", or "-" for a figure with no goal), its last run, and the days it held
# ("held/measured: DAY held/runs ..." and "MET" from two days). A day counts when most of its runs
# held; a goal is met when it held on two days or more.
standing() {
  awk -F'\t' -v OFS='\t' '
    $1 == "date" {next}
    {order[$4] = order[$4] ? order[$4] : ++n; names[order[$4]] = $4
     last[$4] = sprintf("%s %s %s", $1, $2, $5) ($6 == "-" ? "" : sprintf(" (%s-%s)", $6, $7)); goal[$4] = ($9 == "-" ? "-" : $8 $9)
     if ($10 != "-") {k = $4 SUBSEP $1; if (!(k in runs)) days[$4] = days[$4] " " $1; runs[k]++; if ($10 == "yes") held[k]++}}
    END {
      for (i = 1; i <= n; i++) {
        g = names[i]; split(substr(days[g], 2), ds, " "); h = 0; t = 0; list = ""
        for (j = 1; j in ds; j++) {k = g SUBSEP ds[j]; t++; if (held[k] * 2 > runs[k]) h++; list = list sprintf(" %s %d/%d", ds[j], held[k], runs[k])}
        print g, goal[g], last[g], (goal[g] == "-" ? "no goal: shown beside the goals" : sprintf("%d/%d:%s%s", h, t, list, h >= 2 ? "  MET" : ""))
      }
    }'
}

case "${1:-}" in
  ""|--ledger) [ $# -le 1 ] || { echo "$0: takes --ledger or nothing (settings go in the environment: see --help)" >&2; exit 2; } ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "$0: unknown argument '$1': it takes --ledger or nothing (settings go in the environment: see --help)" >&2; exit 2 ;;
esac

# --ledger: where each goal stands by the ledger alone, measuring nothing.
if [ "${1:-}" = --ledger ]; then
  [ -f "$ledger" ] || { echo "$0: the ledger $ledger is missing" >&2; exit 2; }
  printf '%-24s %-8s %-24s %s\n' goal goal "last run (median, range)" "days it held / days measured"
  standing <"$ledger" | awk -F'\t' '{printf "%-24s %-8s %-24s %s\n", $1, $2, $3, $4}'
  exit 0
fi
# The suites read these from the environment, and the command column records what each suite was
# given: a WARMUP=20s left in the shell would run the cold c suite warmed up under a cold command
# (review, 2026-12-07). Checked first, before anything else can start a suite.
leaked="" values=""
# (CHURN_JAR and BENCH_JAR too: the pins keep one already set, and would measure another build than
# the commit column names; CHURN_JAVA_OPTS reaches every churn through ./churn.)
for v in WARMUP TW_BUCKETS PORT_RANGE CLOSE FLOOR REQUESTS TRANSPORT INTERVAL JAVA CHURN_JAR BENCH_JAR CHURN_JAVA_OPTS CC; do
  [ -z "$(printenv "$v")" ] || { leaked="$leaked $v"; values="$values $v='$(printenv "$v")'"; }
done
[ -z "$leaked" ] || { echo "$0: unset${leaked} (set to${values}): each suite takes the settings its recorded command says, and these would reach suites whose command does not name them" >&2; exit 2; }
[[ "$repeats" =~ ^[1-9][0-9]*$ ]] || { echo "$0: REPEATS must be a whole number >= 1, not '$repeats'" >&2; exit 2; }
for s in $only; do
  case "$s" in c|neper|tls|http|monitor) ;; *) echo "$0: ONLY takes c, neper, tls, http and monitor, not '$s'" >&2; exit 2 ;; esac
done
[ -f "$ledger" ] || { echo "$0: the ledger $ledger is missing" >&2; exit 2; }
command -v bc >/dev/null || { echo "$0: needs bc (apt-get install bc)" >&2; exit 2; }
. "$root/bench/scripts/pin-jar.sh"   # one build for every suite, whatever happens to the tree meanwhile
# Fresh network namespaces need root: without it run-vs-tcpref.sh and monitor-vs-tcpref.sh fall back
# to the host, which is not how a goal is measured, so their suites are not run (the others refuse).
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then namespaces=1; else namespaces=0; fi
# and one build of the JMH benchmarks for the monitor suite, made now rather than by mvn between
# suites (not when that suite will not run)
[[ " $only " != *" monitor "* ]] || [ "$namespaces" = 0 ] || . "$root/bench/scripts/pin-bench-jar.sh"

stamp="$(date -u +%Y%m%d-%H%M%S)"
out="$root/results/$stamp-goals"
mkdir -p "$out"
run_day="$(date -u +%F)"
. "$root/bench/scripts/goals-read.sh"   # how each suite's results become ledger lines, and the commit they name
commit="$(measured_commit "$root")"
{
  echo "date      $(date -u '+%F %T') UTC"
  echo "commit    $commit"
  echo "churn     $("$root/churn" --version 2>&1 | head -1), pinned: $CHURN_JAR"
  [ -z "${BENCH_JAR:-}" ] || echo "jmh       pinned: $BENCH_JAR"
  echo "jdk       $( . "$root/bench/scripts/find-java.sh" 2>/dev/null && echo "$java: $("$java" -version 2>&1 | head -n 1)" || echo "none found")"
  echo "kernel    $(uname -r), $(nproc) CPUs"
  echo "load      $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the start"
  echo "repeats   $repeats"
  echo "suites    $only"
} | tee "$out/env.txt"

header="date	time_utc	commit	goal	median	min	max	op	threshold	holds	command	results	note"
echo "$header" >"$out/goals.tsv"

# Runs one comparison script (env assignments first, then the script and its arguments), its
# output to $out/<suite>.log; prints the results folder it names on its last line, or nothing.
run_suite() {
  local name="$1"; shift
  echo "== $name: $*" >&2
  if env "$@" >"$out/$name.log" 2>&1; then
    sed -nE 's/^results in (.*)$/\1/p' "$out/$name.log" | tail -n 1
  else
    echo "   $name did not run to its end (exit $?): see $out/$name.log" >&2
    tail -n 3 "$out/$name.log" | sed 's/^/   | /' >&2
  fi
}


# A suite's lines carry the date and time it started (record's $day and $started): one date taken at
# the start put a suite that began after midnight UTC under the day before.
start() { read -r day started < <(date -u '+%F %H:%M'); }

for suite in $only; do
  case "$suite" in
    c)
      if [ "$namespaces" = 0 ]; then
        echo "== c: not run (needs root for a fresh network namespace per measurement; run-vs-tcpref.sh alone measures on the host)" >&2
        continue
      fi
      cmd="bench/scripts/run-vs-tcpref.sh $repeats 20000"
      start; f=$(run_suite c-cold "$scripts/run-vs-tcpref.sh" "$repeats" 20000)
      [ -z "$f" ] || tcpref_goals cold "$f" "$cmd"
      start; f=$(run_suite c-warm WARMUP=2s "$scripts/run-vs-tcpref.sh" "$repeats" 20000)
      [ -z "$f" ] || tcpref_goals warm "$f" "WARMUP=2s $cmd"
      start; f=$(run_suite c-steady TW_BUCKETS=0 WARMUP=2s "$scripts/run-vs-tcpref.sh" "$repeats" 200000)
      [ -z "$f" ] || tcpref_goals steady "$f" "TW_BUCKETS=0 WARMUP=2s bench/scripts/run-vs-tcpref.sh $repeats 200000"
      ;;
    neper)
      if [ -z "${NEPER:-}" ]; then
        echo "== neper: not run (set NEPER=/path/to/tcp_crr; build neper yourself, see bench/scripts/README.md)" >&2
        continue
      fi
      # The warm-up given and recorded, as the TLS lines' WARMUP=60s: the scripts' default (10 s since
      # 2026-12-05, 1 s before) is not in the command column otherwise.
      start; f=$(run_suite neper NEPER="$NEPER" REPEATS="$repeats" SECONDS=5 WARMUP=10 "$scripts/run-vs-neper.sh")
      [ -z "$f" ] || neper_goals "$f" "NEPER=/path/to/tcp_crr REPEATS=$repeats SECONDS=5 WARMUP=10 bench/scripts/run-vs-neper.sh"
      # The JDK's floors for the same shapes, beside the goals: how far java.net.Socket, java.nio and
      # virtual threads get against neper that day, and churn against them (against churn serve).
      start; f=$(run_suite neper-floor NEPER="$NEPER" REPEATS="$repeats" SECONDS=5 WARMUP=10 ONLY="flow1 sel64 vir64" "$scripts/run-vs-floor.sh")
      [ -z "$f" ] || neper_floor_goals "$f" "NEPER=/path/to/tcp_crr REPEATS=$repeats SECONDS=5 WARMUP=10 ONLY=\"flow1 sel64 vir64\" bench/scripts/run-vs-floor.sh"
      ;;
    tls)
      start; f=$(run_suite tls REPEATS="$repeats" SECONDS=5 WARMUP=60s "$scripts/run-vs-openssl.sh")
      [ -z "$f" ] || tls_goals "$f" "REPEATS=$repeats SECONDS=5 WARMUP=60s bench/scripts/run-vs-openssl.sh"
      ;;
    http)
      for t in blocking epoll; do
        start; f=$(run_suite "http-$t" REPEATS="$repeats" REQUESTS=30000 WARMUP=5s TRANSPORT="$t" "$scripts/run-vs-ab.sh")
        [ -z "$f" ] || http_goals "$t" "$f" "REPEATS=$repeats REQUESTS=30000 WARMUP=5s TRANSPORT=$t bench/scripts/run-vs-ab.sh"
      done
      ;;
    monitor)
      if [ "$namespaces" = 0 ]; then
        echo "== monitor: not run (needs root for a fresh network namespace per repeat; monitor-vs-tcpref.sh alone measures on the host)" >&2
        continue
      fi
      start; f=$(run_suite monitor "$scripts/monitor-vs-tcpref.sh" "$repeats")
      [ -z "$f" ] || monitor_goals "$f" "bench/scripts/monitor-vs-tcpref.sh $repeats"
      ;;
  esac
done

# The table: today's figure, and per goal the days on which the ledger (and today) say it held.
{
  echo
  echo "goals measured from $run_day (commit $commit); ratio = churn / peer (monitor: sample time, churn / C)"
  printf '%-24s %7s %-12s %-7s %-6s %s\n' goal median range goal holds "days it held / days measured (ledger and today)"
  cat "$ledger" "$out/goals.tsv" | standing >"$out/standing.tsv"
  tail -n +2 "$out/goals.tsv" | while IFS=$'\t' read -r _ _ _ id m lo hi op th holds _ _ note; do
    days=$(awk -F'\t' -v id="$id" '$1 == id {print $4}' "$out/standing.tsv")
    [ "$th" != - ] || op=""
    printf '%-24s %7s %-12s %-7s %-6s %s\n' "$id" "$m" "$([ "$lo" = - ] && echo - || echo "$lo-$hi")" "$op$th" "$holds" "$days"
    # the reader's own note (fewer repeats, not decided), not NOTE's, which every line has
    note="${note%"${NOTE:-}"}"; note="${note%; }"
    [ -z "$note" ] || echo "    $note"
  done
  echo
  echo "a goal counts as met when it held on two days or more; the runs are in $out/goals.tsv"
  echo "results in $out"
} | tee "$out/table.txt"
