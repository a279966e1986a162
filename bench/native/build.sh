#!/usr/bin/env bash
# Builds a C program of bench/native (tcpref.c by default, or the one named: build.sh sockhold) into
# bench/native/build/<name> (git-ignored) when the binary is missing or older than the source, and
# prints the binary's path. The bench scripts call it; run it yourself to use one by hand:
#   "$(bench/native/build.sh)" churn 20000
#   "$(bench/native/build.sh sockhold)" -n 10 -c 100
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name="${1:-tcpref}"
case "$name" in
  tcpref|sockhold) ;;
  *) echo "usage: $0 [tcpref|sockhold]" >&2; exit 2 ;;
esac
src="$here/$name.c"
bin="$here/build/$name"
command -v "${CC:-cc}" >/dev/null || { echo "$0: needs a C compiler (apt-get install gcc, or set CC)" >&2; exit 2; }
# The compiler a binary was built with, beside it: CC=clang with a gcc binary already built printed that
# binary, unsaid, where CC asked for another.
cc_used="$(command -v "${CC:-cc}")"
if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ] || [ "$(cat "$bin.cc" 2>/dev/null)" != "$cc_used" ]; then
  mkdir -p "$here/build"
  # -O2, no other flags (-Wall changes no code): plain C as a C programmer would build it
  "${CC:-cc}" -O2 -Wall -pthread -o "$bin.tmp.$$" "$src" >&2
  mv "$bin.tmp.$$" "$bin"
  printf '%s\n' "$cc_used" >"$bin.cc"
fi
printf '%s\n' "$bin"
