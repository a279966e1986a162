# Sourced by run-vs-tcpref.sh and monitor-vs-tcpref.sh: pairs_median PAIRS SHAPE prints the median of
# one shape's per-repeat ratios from a pairs.tsv ("rep shape peer churn" lines after a header, full
# precision, "-" for a run that failed): churn / peer over the repeats where both counted, to three
# decimals, then " (N of M repeats: see excluded.txt)" when a repeat failed, or "-" when none counted.
pairs_median() {
  local ratios used asked
  ratios=$(awk -v s="$2" 'NR > 1 && $2 == s && $3 ~ /^[0-9.]+$/ && $4 ~ /^[0-9.]+$/ && $3 > 0 {printf "%.6f\n", $4 / $3}' "$1")
  asked=$(awk -v s="$2" 'NR > 1 && $2 == s' "$1" | wc -l)
  used=$(grep -c . <<<"$ratios" || true)
  if [ "$used" = 0 ]; then
    printf -- '-'
  else
    sort -g <<<"$ratios" | awk '{a[NR] = $1} END {printf "%.3f", NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
  fi
  [ "$used" = "$asked" ] || printf ' (%d of %d repeats: see excluded.txt)' "$used" "$asked"
}
