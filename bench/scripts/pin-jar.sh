# Sourced by the comparison scripts, with $root set: builds churn if needed, outside the timed runs,
# then makes every churn the script starts run one copy of that jar (CHURN_JAR, which ./churn runs as
# it is). ./churn rebuilds itself when a source changes or a commit is made, and a long run (goals.sh
# takes 40 minutes) would otherwise measure two builds, and name both, if the tree moved meanwhile.
# A CHURN_JAR already set (goals.sh pins once for all its suites) is kept. The copies live in
# cli/target/pinned/, named by their content, so the same build is copied once; `mvn clean` removes
# them, and a copy no script has pinned for a day goes (a run still using one is not that old).
if [ -z "${CHURN_JAR:-}" ]; then
  "$root/churn" --version >/dev/null
  . "$root/bench/scripts/pin-copy.sh"
  CHURN_JAR="$(pin_copy "$root/cli/target/churn.jar" "$root/cli/target/pinned" churn)"
  export CHURN_JAR
fi
