# Sourced by the comparison scripts, with $root set: builds churn if needed, outside the timed runs,
# then makes every churn the script starts run one copy of that jar (CHURN_JAR, which ./churn runs as
# it is). ./churn rebuilds itself when a source changes or a commit is made, and a long run (goals.sh
# takes 40 minutes) would otherwise measure two builds, and name both, if the tree moved meanwhile.
# A CHURN_JAR already set (goals.sh pins once for all its suites) is kept. The copies live in
# cli/target/pinned/, named by their content, so the same build is copied once; `mvn clean` removes
# them, and a copy no script has pinned for a day goes (a run still using one is not that old).
if [ -z "${CHURN_JAR:-}" ]; then
  "$root/churn" --version >/dev/null
  pinned_sum="$(sha1sum "$root/cli/target/churn.jar" | cut -c1-12)"
  mkdir -p "$root/cli/target/pinned"
  find "$root/cli/target/pinned" -name 'churn-*.jar' -mmin +1440 -delete 2>/dev/null || true
  CHURN_JAR="$root/cli/target/pinned/churn-$pinned_sum.jar"
  if [ -f "$CHURN_JAR" ]; then
    touch "$CHURN_JAR" # pinned again: its day starts over
  else
    cp "$root/cli/target/churn.jar" "$CHURN_JAR.part" && mv "$CHURN_JAR.part" "$CHURN_JAR"
  fi
  export CHURN_JAR
  unset pinned_sum
fi
