# churn in a container: the CLI jar, run as ./churn runs it.
#
# UNTESTED: no container runtime or image registry can be reached from the machines churn is
# developed on, so this image has never been built there. It is kept trivially close to the
# README's own build (the launcher's Maven command, the launcher's JVM flags) so that what is
# tested there is what runs here. docs/kubernetes.md says how to build and push it.
#
#   docker build --build-arg CHURN_COMMIT=$(git rev-parse --short HEAD) -t churn:dev .
#   docker run --rm churn:dev run --duration 5s        # results/ is /work/results in the container

# Build: the same command ./churn runs when its jar is missing or stale.
FROM maven:3-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml ./
COPY monitor monitor
COPY bench bench
COPY cli cli
# The image has no .git, so the build cannot read its commit; results would say "commit unknown".
# Given here, it is what --version, summary.json's environment.churn and churn_build_info report
# (the "dirty" flag stays unknown). Checked without Docker: a `git archive` of the tree built with
# this -D answers `churn --version` with the commit given.
ARG CHURN_COMMIT=unknown
RUN mvn -B -q -DskipTests -pl cli -am package -Dgit.commit.id.abbrev=${CHURN_COMMIT}

# Run: a JRE is enough (the launcher's JDK is only for building). The jar lives outside the
# working directory, so a volume mounted at /work/results (deploy/k8s) hides nothing.
FROM eclipse-temurin:25-jre
COPY --from=build /src/cli/target/churn.jar /opt/churn/churn.jar
WORKDIR /work
# As the launcher does under a C or POSIX locale: a JVM in one reads file names as ASCII, and '--out results/größe'
# failed with "Malformed input" (QA, 2026-12-06).
ENV LC_ALL=C.UTF-8
# The launcher's exec line (its comments say why each flag): native access for the FFM netlink source, and CHURN_JAVA_OPTS split
# into words as the launcher splits it (that needs a shell; exec then replaces the shell, so java
# is PID 1 and gets the kubelet's SIGTERM itself).
ENTRYPOINT ["/bin/sh", "-c", "exec java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:+DisplayVMOutputToStderr -XX:PerMethodTrapLimit=0 -XX:PerBytecodeTrapLimit=0 ${CHURN_JAVA_OPTS:-} -jar /opt/churn/churn.jar \"$@\"", "churn"]
CMD ["--help"]
