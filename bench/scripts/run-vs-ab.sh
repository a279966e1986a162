#!/usr/bin/env bash
# churn run --http against ApacheBench (ab, apache2-utils), alternating in the same run, both
# against the same nginx: a GET on a fresh connection each time, one at a time.
#
#   [REPEATS=5] [REQUESTS=30000] [WARMUP=1s] [TRANSPORT=blocking] [INTERVAL=1s] bench/scripts/run-vs-ab.sh
#
#   ab      ab -n REQUESTS -c 1 http://127.0.0.1:8080/          (HTTP/1.0, no keep-alive: a connection each)
#   churn   churn run --http / --connections REQUESTS --target 127.0.0.1:8080 --warmup WARMUP --transport TRANSPORT
#           (selector and epoll with --threads 1: one client thread, as ab; INTERVAL adds --interval INTERVAL,
#           the state sampler's period: its default, 100ms, dumps nginx's TIME_WAIT ten times a second)
#   floor   java bench/floor/HttpCrr.java 127.0.0.1:8080 3600 WARMUP / REQUESTS   (TRANSPORT=blocking only)
#           java.net.Socket taking blocking's steps per request and nothing of churn's: churn / floor
#           is churn's own cost, floor / ab the JDK's socket layer's (FLOOR=0 leaves it out)
# churn's warm-up (the JIT; ab needs none; WARMUP=0s measures it cold) closes its connections with
# SO_LINGER 0, so the measured part starts without their TIME_WAIT; the floor warms up as long
# (whole seconds, rounded up) and closes its warm-up the same way.
#
# nginx (Debian's nginx-light) runs from a configuration this script writes into the results folder:
# one process in the foreground (no daemon, no master), access log off, serving a 612-byte index.html
# (the size of nginx's own welcome page). Each measurement runs in a fresh network namespace of its
# own (ip netns add, loopback up, deleted after) with its own nginx in it, so none inherits another's
# TIME_WAIT. Rate: ab's "Requests per second"; churn's connections.perSecond (summary.json).
# A repeat counts only when churn exited 0 with its summary and no failed connections and ab exited
# 0 with its rate and no failed or non-2xx requests: a failed one shows as "failed" in runs.txt, says
# why on standard error and in excluded.txt ("rep transport why"), and leaves both tools' medians.
# Everything goes to results/<stamp>-vs-ab-<transport>/: raw.tsv, pairs.tsv (per repeat ab's,
# churn's and the floor's rates, "-" for a failed one; goals.sh reads it), excluded.txt, each run's
# output, churn's results directories, nginx.conf, commands.txt and table.txt.
set -euo pipefail
export LC_ALL=C   # printf and awk print 0.92, not 0,92, whatever the caller's locale
case "${1:-}" in
  "") ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "$0: takes no arguments (its settings go in the environment: --help says which)" >&2; exit 2 ;;
esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
repeats="${REPEATS:-5}"
requests="${REQUESTS:-30000}"
warmup="${WARMUP:-1s}"
transport="${TRANSPORT:-blocking}"
interval_args=()
if [ -n "${INTERVAL:-}" ]; then
  [[ "$INTERVAL" =~ ^[1-9][0-9]*(ms|s)$ ]] || { echo "$0: INTERVAL must be like 100ms or 1s, not '$INTERVAL'" >&2; exit 2; }
  interval_args=(--interval "$INTERVAL")
fi
case "$transport" in
  blocking|nio|virtual) transport_args=(--transport "$transport") ;;
  selector|epoll) transport_args=(--transport "$transport" --threads 1) ;;
  *) echo "$0: TRANSPORT must be blocking, nio, virtual, selector or epoll, not '$transport'" >&2; exit 2 ;;
esac
floor="${FLOOR:-1}"
[ "$transport" = blocking ] || floor=0   # the floor is java.net.Socket on one platform thread: blocking's steps
case "$warmup" in   # the floor's warm-up in whole seconds, rounded up
  *ms) warm_s=$(( (${warmup%ms} + 999) / 1000 )) ;;
  *s) warm_s=${warmup%s} ;;
  auto) warm_s=1 ;;
  *) warm_s="" ;;   # a typo ("5x") ran every churn into a refusal, and the script exited 0
esac
[[ "$warm_s" =~ ^[0-9]+$ ]] || { echo "$0: WARMUP must be like 5s, 500ms or auto, not '$warmup'" >&2; exit 2; }
nginx=/usr/sbin/nginx
[[ "$repeats" =~ ^[1-9][0-9]*$ ]] || { echo "$0: REPEATS must be a whole number >= 1, not '$repeats'" >&2; exit 2; }
[[ "$requests" =~ ^[1-9][0-9]*$ ]] || { echo "$0: REQUESTS must be a whole number >= 1, not '$requests'" >&2; exit 2; }
[ -x "$nginx" ] || { echo "$0: needs nginx at $nginx (apt-get install nginx-light)" >&2; exit 2; }
command -v ab >/dev/null || { echo "$0: needs ab (apt-get install apache2-utils)" >&2; exit 2; }
command -v jq >/dev/null || { echo "$0: needs jq (apt-get install jq)" >&2; exit 2; }
command -v ss >/dev/null || { echo "$0: needs ss (apt-get install iproute2)" >&2; exit 2; }
[ "$(id -u)" = 0 ] && command -v ip >/dev/null || { echo "$0: needs root and ip (iproute2) for a network namespace per measurement" >&2; exit 2; }
port=8080   # inside each namespace: nothing else there
target="127.0.0.1:$port"

out="$root/results/$(date +%Y%m%d-%H%M%S)-vs-ab-$transport"
mkdir -p "$out/www"
. "$root/bench/scripts/pin-jar.sh"   # builds the jar if needed, outside the timed runs, and pins it
[ "$floor" = 0 ] || . "$root/bench/scripts/find-java.sh"   # sets java: a JDK 25+ for bench/floor
head -c 611 /dev/zero | tr '\0' x >"$out/www/index.html"; echo >>"$out/www/index.html"
cat >"$out/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $out/nginx.pid;
error_log $out/nginx-error.log;
events {
    worker_connections 1024;
}
http {
    access_log off;
    client_body_temp_path $out/client_body;
    proxy_temp_path $out/proxy;
    fastcgi_temp_path $out/fastcgi;
    uwsgi_temp_path $out/uwsgi;
    scgi_temp_path $out/scgi;
    default_type text/html;
    server {
        listen $target;
        root $out/www;
    }
}
EOF

ns=""
cleanup() { # on any exit: end what runs in our current namespace (only we start processes there), delete it
  if [ -n "$ns" ]; then
    local p
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    for p in $(seq 1 50); do [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break; sleep 0.02; done
    ip netns del "$ns" 2>/dev/null || true
  fi
  ns=""
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
nsn=0
# A fresh namespace with nginx listening in it; returns once it listens.
ns_nginx() {
  nsn=$((nsn + 1))
  ns="churn-vs-ab-$$-$nsn"
  ip netns add "$ns"
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" timeout 3600 "$nginx" -p "$out" -c "$out/nginx.conf" -e "$out/nginx-error.log" \
    >"$out/nginx-$nsn.txt" 2>&1 &
  local i
  for i in $(seq 1 250); do   # at most 5 s
    ip netns exec "$ns" ss -Hltn "sport = :$port" | grep -q . && return 0
    sleep 0.02
  done
  echo "$0: nginx did not listen in $ns (see $out/nginx-error.log)" >&2
  exit 1
}

# ab: label. Sets res to: rate, failed (failed requests plus non-2xx responses).
ab_run() {
  local label="$1"
  run_rc=0
  ip netns exec "$ns" timeout 3600 ab -n "$requests" -c 1 "http://$target/" >"$out/$label.txt" 2>&1 || run_rc=$?
  res=$(awk '/^Requests per second:/ {r = $4} /^Failed requests:/ {f += $3} /^Non-2xx responses:/ {f += $3}
    END {print (r == "" ? "nan" : r), f + 0}' "$out/$label.txt")
}

# churn: label. Sets res to: rate, failed; run_rc to its exit status.
churn_run() {
  local label="$1"
  run_rc=0
  ip netns exec "$ns" timeout 3600 "$root/churn" run --no-progress --format json --out "$out/$label" \
    --http / --connections "$requests" --target "$target" --warmup "$warmup" "${transport_args[@]}" "${interval_args[@]}" \
    >"$out/$label.json" 2>"$out/$label.err" || run_rc=$?
  res=$(jq -r '[.connections.perSecond, .connections.failed] | map(tostring) | join(" ")' "$out/$label.json" 2>/dev/null) ||
    res="nan 0"
  [ -n "$res" ] || res="nan 0"   # an empty or missing JSON: jq prints nothing and succeeds
}

# The JDK's floor: label. Sets res to: rate, failed (0, or nan when it failed: it measured nothing).
floor_run() {
  local label="$1"
  if ip netns exec "$ns" timeout 3600 "$java" "${floor_jvm[@]}" "$root/bench/floor/HttpCrr.java" "$target" 3600 "$warm_s" / "$requests" \
      >"$out/$label.txt" 2>&1; then
    res="$(sed -nE 's/.* per_second=([0-9.]+).*/\1/p' "$out/$label.txt") 0"
  else
    echo "warning: $label: the floor exited with $? (see $out/$label.txt)" >&2
    res="nan 0"
  fi
}

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')   host: $(uname -r), $(nproc) CPUs"
  echo "nginx: $("$nginx" -v 2>&1)   ab: $(ab -V 2>&1 | head -1)"
  echo "churn: $("$root/churn" --version 2>&1 | head -1)"
  echo "REPEATS=$repeats REQUESTS=$requests WARMUP=$warmup; each measurement in a fresh network namespace with its own nginx:"
  echo "  nginx -p $out -c $out/nginx.conf -e $out/nginx-error.log"
  echo "  ab -n $requests -c 1 http://$target/"
  echo "  churn run --http / --connections $requests --target $target --warmup $warmup ${transport_args[*]}${interval_args[*]:+ ${interval_args[*]}} --no-progress --format json --out DIR"
  [ "$floor" = 0 ] || echo "  $java ${floor_jvm[*]} bench/floor/HttpCrr.java $target 3600 $warm_s / $requests"
} | tee "$out/commands.txt"
echo

. "$root/bench/scripts/failed-run.sh"   # why_failed, left_out

echo "rep tool rate failed" >"$out/raw.tsv"
echo "rep transport ab/s churn/s floor/s" >"$out/pairs.tsv"
: >"$out/excluded.txt"
printf '%-4s %10s %10s %7s %10s\n' rep ab/s churn/s ratio floor/s | tee "$out/runs.txt"
for r in $(seq 1 "$repeats"); do
  # alternate which tool goes first, so neither always meets the warmer machine
  fr="-" awhy="" cwhy=""
  for tool in $( [ $((r % 2)) = 1 ] && echo "ab churn floor" || echo "floor churn ab"); do
    [ "$tool" != floor ] || [ "$floor" != 0 ] || continue
    ns_nginx
    if [ "$tool" = floor ]; then
      floor_run "r$r-floor"; read -r fr ff <<<"$res"
      echo "$r floor $fr $ff" >>"$out/raw.tsv"
    elif [ "$tool" = ab ]; then
      ab_run "r$r-ab"; read -r ar af <<<"$res"
      echo "$r ab $ar $af" >>"$out/raw.tsv"
      awhy=$(why_failed ab "r$r-ab" "$run_rc" "$ar" "$af" requests)
    else
      churn_run "r$r-churn"; read -r cr cf <<<"$res"
      echo "$r churn $cr $cf" >>"$out/raw.tsv"
      cwhy=$(why_failed churn "r$r-churn" "$run_rc" "$cr" "$cf" requests)
    fi
    cleanup
  done
  left_out "$r" "$transport" "$awhy" "$cwhy"
  [ -z "$awhy" ] || ar=failed
  [ -z "$cwhy" ] || cr=failed
  echo "$r $transport $ar $cr $fr" | sed 's/ failed/ -/g; s/ nan/ -/g' >>"$out/pairs.tsv"
  awk -v r="$r" -v a="$ar" -v b="$cr" -v f="$fr" 'BEGIN {
    printf "%-4s %10s %10s %7s %10s\n", r, a, b, (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || a == 0 ? "-" : sprintf("%.2f", b / a)), f}' |
    tee -a "$out/runs.txt"
done

# median and range of the rate for one tool: "median min max" (or "nan nan nan"), from pairs.tsv,
# over the repeats where ab and churn both counted; with "floor", only those where the floor counted
# too (the floor's always), so that churn/floor and floor/ab compare the same repeats (a floor that
# failed once left churn's and ab's medians over a repeat more than its own)
stat() { # tool [floor]
  awk -v c="$(case "$1" in ab) echo 3 ;; churn) echo 4 ;; *) echo 5 ;; esac)" -v f="$([ "$1" = floor ] || [ "${2:-}" = floor ] && echo 1)" \
    'NR > 1 && $c ~ /^[0-9.]+$/ && $3 ~ /^[0-9.]+$/ && $4 ~ /^[0-9.]+$/ && (!f || $5 ~ /^[0-9.]+$/) {print $c}' "$out/pairs.tsv" | sort -g |
    awk '{a[NR] = $1} END {if (!NR) print "nan nan nan"; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[1], a[NR]}'
}
{
  echo
  echo "medians over $repeats alternating repeats of $requests requests, requests/s (range min-max); ratio = churn / ab:"
  [ "$floor" = 0 ] || echo "floor = java.net.Socket alone (bench/floor/HttpCrr.java): churn/floor is churn's share, floor/ab the JDK's"
  read -r am alo ahi < <(stat ab)
  read -r cm clo chi < <(stat churn)
  read -r fm flo fhi < <(stat floor)
  read -r af _ _ < <(stat ab floor)
  read -r cf _ _ < <(stat churn floor)
  # One line of figures under its header (goals-read.sh reads the floor's medians from it, and the
  # goal's rates from pairs.tsv); the floor's columns follow the ratio.
  awk -v am="$am" -v alo="$alo" -v ahi="$ahi" -v cm="$cm" -v clo="$clo" -v chi="$chi" -v fm="$fm" -v flo="$flo" -v fhi="$fhi" \
      -v af="$af" -v cf="$cf" '
    function f(m, lo, hi) {return m == "nan" ? "-" : sprintf("%.0f (%.0f-%.0f)", m, lo, hi)}
    function q(a, b) {return (a == "nan" || b == "nan" || b == 0) ? "-" : sprintf("%.2f", a / b)}
    BEGIN {printf "%-24s %-24s %6s", "ab/s", "churn/s", "ratio";
      if (fm != "nan") printf " %-24s %11s %8s", "floor/s", "churn/floor", "floor/ab";
      printf "\n%-24s %-24s %6s", f(am, alo, ahi), f(cm, clo, chi), q(cm, am);
      if (fm != "nan") printf " %-24s %11s %8s", f(fm, flo, fhi), q(cf, fm), q(fm, af);
      printf "\n"}'
  awk 'NR > 1 {n++; if ($3 ~ /^[0-9.]+$/ && $4 ~ /^[0-9.]+$/) u++}
    END {if (u + 0 < n) printf "medians over %d of %d repeats (excluded.txt says why)\n", u, n}' "$out/pairs.tsv"
  echo "results in $out"
} | tee "$out/table.txt"
