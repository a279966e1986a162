package dev.churn.bench.result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A run's folder that holds what a run leaves when it never finished: its temporary files, and no summary. */
public final class UnfinishedRun {

    private UnfinishedRun() {
    }

    /**
     * What a folder with no summary says when a run that never finished left its temporary files there (SIGKILL, or
     * the machine went down: the log grows as {@code .latency.hlog.<hex>.tmp} and {@code .summary.json.<hex>.tmp}
     * holds the summary's room, results/README.md): "empty, or not a churn results folder" read as a wrong path (QA,
     * 2026-12-06), in report, compare --runs and merge alike. When it holds none, the runs its folders hold ({@link #runsInside}), or null. Nothing is deleted: the partial
     * log is what is left of the run.
     */
    public static String describe(Path dir) {
        List<Path> logs = new ArrayList<>();
        boolean temporary = false;
        boolean others = false;
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String target = AtomicFile.targetOf(f);
                temporary |= target != null;
                others |= target == null;
                if (ResultCollector.FILE.equals(target) && Files.isRegularFile(f)) {
                    logs.add(f);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return null; // unreadable: the usual line says what was expected
        }
        if (!temporary) {
            return runsInside(dir);
        }
        List<String> partial = new ArrayList<>();
        for (Path log : logs) {
            try {
                partial.add(String.format(Locale.ROOT, "%,d bytes (%s)", Files.size(log), log.getFileName()));
            } catch (IOException e) {
                partial.add("unknown size (" + log.getFileName() + ")");
            }
        }
        return dir + (others ? " holds no " + SummaryJson.FILE + " but" : " holds only") + " the temporary files of a run"
                + " that never finished (killed, or the machine went down): "
                + (partial.isEmpty() ? "no latency log was started"
                        : (partial.size() == 1 ? "a partial latency log of " : "partial latency logs of ")
                                + String.join(" and ", partial))
                + (others ? "" : ", no " + SummaryJson.FILE);
    }

    /**
     * A folder with no summary whose folders hold runs: a comparison stopped before its first run finished writes no
     * comparison.json, only the stopped run's folder, and "empty, or not a churn results folder" read as a wrong path
     * though compare had named that folder (QA, 2026-12-08). Null when none of its folders holds a summary.
     */
    private static String runsInside(Path dir) {
        List<String> runs = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (Files.isRegularFile(f.resolve(SummaryJson.FILE))) {
                    runs.add(f.getFileName().toString());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
        if (runs.isEmpty()) {
            return null;
        }
        String named = runs.size() <= 3 ? String.join(", ", runs) : String.join(", ", runs.subList(0, 3)) + ", ...";
        return dir + " holds no " + SummaryJson.FILE + " or comparison.json, but " + (runs.size() == 1 ? "its folder "
                + named + " holds a run" : runs.size() + " of its folders hold runs (" + named + ")") + ": name "
                + (runs.size() == 1 ? "it" : "one") + " instead (a comparison stopped before its first run finished"
                + " writes no comparison.json)";
    }
}
