#!/usr/bin/env bash
# Builds the C reference bench/native/tcpref.c into bench/native/build/tcpref (git-ignored) when the
# binary is missing or older than the source, and prints the binary's path. The bench scripts call it;
# run it yourself to use tcpref by hand:  "$(bench/native/build.sh)" churn 20000
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$here/tcpref.c"
bin="$here/build/tcpref"
command -v "${CC:-cc}" >/dev/null || { echo "$0: needs a C compiler (apt-get install gcc, or set CC)" >&2; exit 2; }
if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
  mkdir -p "$here/build"
  # -O2, no other flags: the reference is plain C as a C programmer would build it
  "${CC:-cc}" -O2 -pthread -o "$bin.tmp" "$src" >&2
  mv "$bin.tmp" "$bin"
fi
printf '%s\n' "$bin"
