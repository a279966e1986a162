# Sourced by run-vs-neper.sh, run-vs-openssl.sh, run-vs-ab.sh and cpu-regime.sh, with $out set: when a run cannot
# count, and saying so.
#
# why_failed TOOL LABEL EXIT RATE FAILED UNIT [OVERFLOW] prints why a run cannot count, or nothing
# when it can: a non-zero exit, no rate, FAILED connections or requests (UNIT), or a TIME_WAIT
# overflow the run did not ask for (OVERFLOW, given only where it counts).
why_failed() {
  if [ "$3" != 0 ]; then echo "$1 exited $3 (see $2.*)"
  elif [[ ! "$4" =~ ^[0-9.]+$ ]]; then echo "$1 wrote no rate (see $2.*)"
  elif [ "$5" != 0 ]; then echo "$1 counted $5 failed $6"
  elif [ "${7:-0}" != 0 ]; then echo "$1 overflowed the TIME_WAIT table ($7): not comparable"
  fi
}

# left_out REP SHAPE WHY... says each non-empty WHY on standard error and in excluded.txt ("rep shape
# why"), which goals-read.sh reads into a goal line's note.
left_out() {
  local rep="$1" shape="$2" why; shift 2
  for why in "$@"; do
    [ -z "$why" ] || { echo "warning: r$rep $shape: $why: repeat $rep left out of $shape" >&2; echo "$rep $shape $why" >>"$out/excluded.txt"; }
  done
}
