# Sourced by pin-jar.sh and pin-bench-jar.sh: pin_copy JAR DIR NAME prints the path of a copy of JAR
# in DIR named NAME-<content hash>.jar, made if missing (touched if there: its day starts over), and
# removes the NAME-*.jar copies there that no script has pinned for a day (a run still using one is
# not that old).
pin_copy() {
  local jar="$1" dir="$2" name="$3" pinned
  pinned="$dir/$name-$(sha1sum "$jar" | cut -c1-12).jar"
  mkdir -p "$dir"
  find "$dir" -name "$name-*.jar" -mmin +1440 -delete 2>/dev/null || true
  if [ -f "$pinned" ]; then
    touch "$pinned"
  else
    cp "$jar" "$pinned.part" && mv "$pinned.part" "$pinned" || return 1   # the caller, under set -e, stops
  fi
  echo "$pinned"
}
