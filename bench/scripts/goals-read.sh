# Sourced by goals.sh: how each comparison script's results folder becomes lines of the goals
# ledger. record() appends one line to $out/goals.tsv, stamped with $day, $started and $commit; the
# readers (tcpref_goals, neper_goals, tls_goals, http_goals, monitor_goals) read a folder's
# pairs.tsv (each repeat's two rates, full precision, "-" for one the repeat could not use) and
# excluded.txt (why), as the scripts write them, or from a folder older than those, its table.txt and
# runs.txt. Kept apart so that a test can read fixture folders with them (GoalsLedgerTest), and a
# folder a script made by hand can be read the same way.

# The commit a run measures, for the ledger's commit column: HEAD, with "+changes" when the tree differs from it
# in what is measured or does the measuring: the code, the C reference, the floors, and the scripts that run the
# suites and compute their medians (a script edited but not committed once left the column naming a clean commit).
measured_commit() { # repository root
  local c
  c="$(git -C "$1" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  [ -z "$(git -C "$1" status --porcelain -- pom.xml {monitor,bench,cli}/pom.xml {monitor,bench,cli}/src/main bench/native bench/floor \
      'bench/scripts/*.sh' 'bench/scripts/*.java' 2>/dev/null)" ] || c="$c+changes"
  echo "$c"
}

# median, min and max of the numbers on stdin, anything else skipped: "median min max" (or "- - -")
spread() { awk '$1 ~ /^[0-9.]+$/ {print $1}' | sort -g | awk '{a[NR] = $1} END {if (!NR) print "- - -"; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[1], a[NR]}'; }
# min and max of the numbers on stdin: "min max" (or "- -")
range() { spread | cut -d' ' -f2-; }
# the median of the numbers on stdin, unrounded (or "-")
median_of() { spread | cut -d' ' -f1 | awk '$1 ~ /^[0-9.]+$/ {printf "%.6f\n", $1; next} {print}'; }
# "n / d", unrounded, from two numbers (or "-" when either is missing or d is 0)
divide() { awk -v n="$1" -v d="$2" 'BEGIN {if (n ~ /^[0-9.]+$/ && d ~ /^[0-9.]+$/ && d > 0) printf "%.6f\n", n / d; else print "-"}'; }
# a number to two decimals, as the scripts' tables print a ratio (or "-")
two_places() { awk -v x="$1" 'BEGIN {if (x ~ /^[0-9.]+$/) printf "%.2f\n", x; else print "-"}'; }
# per-repeat ratios "min max" to two decimals, from unrounded ratios on stdin (or "- -": an empty
# line printed as 0.00 once)
ratio_range() { awk '$1 ~ /^[0-9.]+$/ {printf "%.2f\n", $1}' | range; }

# goal id, median, "min max", op (>= or <=), threshold, command, results folder, and optionally a
# note (before NOTE's in the note column) and "undecided" (holds "-": the line does not count toward
# the goal, its note says why): one ledger line, stamped with the start of its suite ($day,
# $started). A goal's median comes unrounded, from the rates each repeat measured, and whether it
# holds is decided on that: decided on the tables' two decimals, 0.7988 once read as 0.80 and held a
# goal of 0.8. The ledger keeps it to three decimals.
record() {
  local id="$1" median="$2" mm="$3" op="$4" threshold="$5" cmd="$6" folder="$7" note="${8:-}" decide="${9:-}" holds=no
  local lo hi
  read -r lo hi <<<"$mm"
  [ "$threshold" != - ] || op=-
  if [[ ! "$median" =~ ^[0-9.]+$ ]] || [ "$threshold" = - ] || [ "$decide" = undecided ]; then
    holds=-   # no figure, no goal (a figure shown beside the goals for comparison), or not to be decided
  elif [ "$op" = ">=" ] && [ "$(echo "$median >= $threshold" | bc -l)" = 1 ]; then
    holds=yes
  elif [ "$op" = "<=" ] && [ "$(echo "$median <= $threshold" | bc -l)" = 1 ]; then
    holds=yes
  fi
  [[ ! "$median" =~ ^[0-9]*\.[0-9]{4,}$ ]] || median=$(printf '%.3f' "$median")
  [ -z "${NOTE:-}" ] || note="${note:+$note; }$NOTE"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$day" "$started" "$commit" "$id" "$median" "$lo" "$hi" \
    "$op" "$threshold" "$holds" "$cmd" "${folder#"$root"/}" "$note" >>"$out/goals.tsv"
}

# One goal from its pairs, "rep peer churn [floor]" lines on stdin, one per repeat measured, a rate
# the repeat could not use being "-" (or anything not a number). A repeat counts only with both rates:
# a failed churn run once dropped out of churn's median while its peer kept all its repeats. The
# median is median churn / median peer over the repeats that count ("medians": neper, TLS, HTTP, as
# their scripts' tables) or the median of their ratios ("ratios": tcpref, the monitor); the range is
# of their ratios. Fewer repeats than measured is said in the note (with excluded.txt's reasons), and
# fewer than 3 is not decided; a folder whose isolation.txt says it was not measured in fresh network
# namespaces is not decided either.
pair_goal() { # goal id, op, threshold, command, results folder, medians|ratios, shape as excluded.txt names it
  local id="$1" op="$2" threshold="$3" cmd="$4" folder="$5" how="$6" shape="$7" pairs usable m note decide=""
  pairs=$(awk '$1 != ""')
  usable=$(awk '$2 ~ /^[0-9.]+$/ && $3 ~ /^[0-9.]+$/ && $2 > 0' <<<"$pairs")
  if [ "$how" = medians ]; then
    m=$(divide "$(awk '{print $3}' <<<"$usable" | median_of)" "$(awk '{print $2}' <<<"$usable" | median_of)")
  else
    m=$(awk 'NF {printf "%.6f\n", $3 / $2}' <<<"$usable" | median_of)
  fi
  # "4 of 5 repeats: repeat 3 failed (churn exit 1)"; the reasons from excluded.txt ("rep shape why")
  note=$(awk -v shape="$shape" -v f="$folder/excluded.txt" '
    BEGIN {while ((getline l < f) > 0) {split(l, w, " "); if (w[2] != shape) continue
             r = l; sub(/^[^ ]+ +[^ ]+ +/, "", r); if (w[1] in why) r = why[w[1]] ", " r; why[w[1]] = r}}
    {if ($2 ~ /^[0-9.]+$/ && $3 ~ /^[0-9.]+$/ && $2 > 0) used++
      else dropped = dropped sprintf(", repeat %s failed (%s)", $1, ($1 in why ? why[$1] : "no rate"))}
    END {n = NR; if (!n) {print "not measured: no repeat in its results"; exit}
      s = used + 0 < n ? sprintf("%d of %d repeats: %s", used, n, substr(dropped, 3)) : ""
      if (used + 0 < 3) s = (s == "" ? sprintf("%d of %d repeats", used, n) : s) ": fewer than 3, not decided"
      print s}' <<<"$pairs")
  [ -n "$pairs" ] || note="not measured: no repeat in its results"
  case "$note" in *"not decided"*|"not measured"*) decide=undecided ;; esac
  if [ -f "$folder/isolation.txt" ] && ! grep -q 'fresh network namespace' "$folder/isolation.txt"; then
    note="${note:+$note; }measured on the host, not in fresh network namespaces: not counted"; decide=undecided
  fi
  # (NF: with no usable repeat, $usable is one empty line, which gawk would divide 0 by 0 for and stop)
  record "$id" "$m" "$(awk 'NF {printf "%.6f\n", $3 / $2}' <<<"$usable" | ratio_range)" "$op" "$threshold" "$cmd" "$folder" "$note" "$decide"
}

# run-vs-tcpref.sh's folder: per goal, the median of the per-repeat ratios (as the script's own
# median line), each from the repeat's two rates at full precision (pairs.tsv; an older folder's
# table.txt has them rounded to whole connections per second), and their range
tcpref_goals() { # kind (cold|warm|steady), results folder, command
  local kind="$1" folder="$2" cmd="$3" spec num den id cold warm steady threshold
  # The goals (issue 13): blocking at 20,000 connections (cold, as the script runs, and warmed up,
  # as churn run does by default), raw in the steady state, CRR at 20,000 and in the steady state
  # (with blocking's java.net.Socket and with raw's C system calls). The rest is shown beside them.
  # table.txt's columns: rep c_churn/s blocking/s ratio raw/s ratio c_crr/s crr/s ratio crr_raw/s ratio.
  for spec in "3 2 blocking 0.9 0.9 -" "5 2 raw - - 0.95" "8 7 crr-blocking 0.9 0.9 0.9" "10 7 crr-raw 0.9 0.9 0.9"; do
    read -r num den id cold warm steady <<<"$spec"
    case "$kind" in cold) threshold=$cold ;; warm) threshold=$warm ;; *) threshold=$steady ;; esac
    pairs_of "$folder" table.txt "$id" 0 1 "$den" "$num" | pair_goal "c.$id.$kind" ">=" "$threshold" "$cmd" "$folder" ratios "$id"
  done
}

# A shape's pairs from a folder: pairs.tsv's "rep shape peer churn [floor]" lines as "rep peer churn
# [floor]", or from an older folder's table (runs.txt or table.txt), the columns given (rep, peer,
# churn, floor)
pairs_of() { # results folder, older file, shape, then its shape column (0: none) and rep, peer, churn, floor columns
  if [ -f "$1/pairs.tsv" ]; then
    awk -v s="$3" 'NR > 1 && $2 == s {print $1, $3, $4, $5}' "$1/pairs.tsv"
  else
    awk -v s="$3" -v sc="$4" -v r="$5" -v p="$6" -v c="$7" -v f="${8:-0}" \
      '$1 ~ /^[0-9]+$/ && (sc == 0 || $sc == s) {print $r, $p, $c, (f ? $f : "")}' "$1/$2"
  fi
}

# Per shape: median churn rate / median neper rate over the repeats where both ran (the script's own
# table), and the per-repeat ratios' range.
neper_goals() { # results folder, command
  local folder="$1" cmd="$2" spec id threshold
  for spec in "flow1 1.0" "sel64 1.0" "ep64 1.0" "vir64 0.8" "flow1-tw 1.0" "sel64-tw 1.0" "ep64-tw 1.0" "vir64-tw 0.8"; do
    read -r id threshold <<<"$spec"
    # table.txt: "<id> (<description>)  neper (lo-hi)  churn (lo-hi)  ratio  neper_us  churn_us"
    grep -q "^$id " "$folder/table.txt" || continue   # a shape this churn could not run
    # runs.txt (older folders): "rep shape neper/s churn/s ratio neper_us churn_us", rates rounded
    pairs_of "$folder" runs.txt "$id" 2 1 3 4 | pair_goal "neper.$id" ">=" "$threshold" "$cmd" "$folder" medians "$id"
  done
}

tls_goals() { # results folder, command
  local folder="$1" cmd="$2" id pairs
  for id in new reuse new-accp reuse-accp; do
    # table.txt: "<id>  s_time (lo-hi)  churn (lo-hi)  ratio  ..."; runs.txt: "rep shape s_time/s churn/s ratio resumed floor/s"
    grep -q "^$id " "$folder/table.txt" || continue
    pairs=$(pairs_of "$folder" runs.txt "$id" 2 1 3 4 7)
    pair_goal "tls.$id" ">=" 0.8 "$cmd" "$folder" medians "$id" <<<"$pairs"
    floor_beside "tls.$id" "$folder" "$cmd" "$(awk -v id="$id" '$1 == id {print $10, $9}' "$folder/table.txt" | head -n 1)" \
      "$(awk '{print $2, $3, $4}' <<<"$pairs")"
  done
}

# run-vs-floor.sh's folder (its neper rounds on): the floors beside the neper goals, from raw.tsv
# ("rep id tool rate ..."), each shape with its floor (flow1 f1, sel64 fnio, vir64 fvir) and its neper
# configuration (n1, n64): the medians of each one's rates (every run with a rate, as the script's
# table has them, to its two decimals) and the per-repeat rates. (Read off table.txt by column
# before: where a median was missing, its "-" moved the columns, and neper's CPU per transaction
# went into the ledger as floor / neper.)
neper_floor_goals() { # results folder, command
  local folder="$1" cmd="$2" spec id fid gid f c n
  for spec in "flow1 f1 n1" "sel64 fnio n64" "vir64 fvir n64"; do
    read -r id fid gid <<<"$spec"
    f=$(awk -v i="$fid" 'NR > 1 && $2 == i && $3 == "floor" {print $4}' "$folder/raw.tsv" | median_of)
    c=$(awk -v i="$id" 'NR > 1 && $2 == i && $3 == "churn" {print $4}' "$folder/raw.tsv" | median_of)
    n=$(awk -v i="$gid" 'NR > 1 && $2 == i && $3 == "neper" {print $4}' "$folder/raw.tsv" | median_of)
    floor_beside "neper.$id" "$folder" "$cmd" "$(two_places "$(divide "$f" "$n")") $(two_places "$(divide "$c" "$f")")" \
      "$(awk -v id="$id" -v fid="$fid" -v gid="$gid" 'NR > 1 && $4 ~ /^[0-9.]+$/ {
          if ($2 == gid && $3 == "neper") p[$1] = $4; else if ($2 == id && $3 == "churn") c[$1] = $4; else if ($2 == fid && $3 == "floor") f[$1] = $4
        } END {for (r in f) if ((r in p) && (r in c)) print p[r], c[r], f[r]}' "$folder/raw.tsv")"
  done
}

# Beside a goal whose peer run also ran the JDK's floor (bench/floor: the same steps, nothing of
# churn's): the floor against the peer ("<goal>.floor": how far any client on this JDK gets) and
# churn against the floor ("<goal>.vs-floor": churn's own share), day by day, so that "beyond the
# JDK's floor" and "churn's own" are figures in the ledger, not claims. A repeat counts for a ratio
# when it has both of its rates.
floor_beside() { # goal id, results folder, command, "floor/peer churn/floor" medians, per-repeat "peer churn floor" lines
  local id="$1" folder="$2" cmd="$3" floor own
  read -r floor own <<<"$4"
  [[ "$floor" =~ ^[0-9.]+$ ]] || return 0   # no floor in this run
  # the repeats in which peer, churn and floor all counted, as the scripts' floor ratios are (since 2026-12-07 19:30 UTC)
  local same
  same=$(awk '$1 ~ /^[0-9.]+$/ && $1 > 0 && $2 ~ /^[0-9.]+$/ && $3 ~ /^[0-9.]+$/ && $3 > 0' <<<"$5")
  record "$id.floor" "$floor" "$(awk 'NF {printf "%.2f\n", $3 / $1}' <<<"$same" | range)" - - "$cmd" "$folder"
  record "$id.vs-floor" "$own" "$(awk 'NF {printf "%.2f\n", $2 / $3}' <<<"$same" | range)" - - "$cmd" "$folder"
}

http_goals() { # transport, results folder, command
  local folder="$2" pairs
  # pairs.tsv's shape is the transport; runs.txt (older folders): "rep ab/s churn/s ratio floor/s"
  pairs=$(pairs_of "$folder" runs.txt "$1" 0 1 2 3 5)
  pair_goal "http.$1" ">=" 1.0 "$3" "$folder" medians "$1" <<<"$pairs"
  # With TRANSPORT=blocking the table's line of figures goes on: "floor (lo-hi)  churn/floor  floor/ab"
  floor_beside "http.$1" "$folder" "$3" "$(grep -A 1 '^ab/s ' "$folder/table.txt" | tail -n 1 | awk '{print $9, $8}')" \
    "$(awk '{print $2, $3, $4}' <<<"$pairs")"
}

# monitor-vs-tcpref.sh's folder: per source, the median of the per-repeat ratios Java / C (as the
# script's own lines), each from its two costs: pairs.tsv ("rep source c_us java_us"), or an older
# folder's table.txt ("rep tw java_nl_us c_nl_us java_pr_us c_pr_us nl_ratio pr_ratio oshi_x")
monitor_goals() { # results folder, command
  local folder="$1" cmd="$2" spec src j c threshold
  for spec in "netlink 3 4 1.5" "proc 5 6 1.3"; do
    read -r src j c threshold <<<"$spec"
    pairs_of "$folder" table.txt "$src" 0 1 "$c" "$j" | pair_goal "monitor.$src" "<=" "$threshold" "$cmd" "$folder" ratios "$src"
  done
}
