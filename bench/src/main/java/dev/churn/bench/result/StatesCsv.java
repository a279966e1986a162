package dev.churn.bench.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.churn.monitor.StateSeries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A run's {@code states.csv} (or a merged folder's {@code states-<host>.csv}) read whole, and refused in one
 * line (IllegalArgumentException naming the file) when it is damaged: every command that reads one checks it
 * alike. {@code report} refused a cut-off file, while {@code merge} copied it into a folder that {@code report}
 * then refused, and {@code compare --runs} compared it (QA, 2026-12-06).
 *
 * @param header the header's columns ({@code t_ms}, the states, ...)
 * @param rows   each data row's columns, as many as the header's
 */
public record StatesCsv(List<String> header, List<String[]> rows) {

    /**
     * Reads and checks the file, and that it has the rows its summary's {@code states} counts ({@code samples}; not
     * checked when absent, as in older summaries): a file cut at a row boundary is otherwise whole, and drew a
     * TIME_WAIT line that stopped early without a word (QA, 2026-12-06).
     */
    public static StatesCsv read(Path csv, JsonNode states) throws IOException {
        StatesCsv table = read(csv);
        JsonNode samples = states.path("samples");
        if (samples.isIntegralNumber()) {
            // A long run's series is thinned past its cap: its file has fewer rows than samples, as StateSeries keeps.
            long want = StateSeries.storedOf(samples.asLong(), StateSeries.DEFAULT_MAX_SAMPLES);
            long rows = table.rows().size();
            if (rows != want) {
                throw new IllegalArgumentException(csv + " holds " + rows + (want == samples.asLong()
                        ? " samples but its " + SummaryJson.FILE + " counts " + want
                        : " rows but its " + SummaryJson.FILE + " counts " + samples.asLong() + " samples, which a long run"
                                + " keeps as " + want + " rows") + " (a cut-off CSV, or one from another run)");
            }
        }
        return table;
    }

    /** Reads and checks the file on its own (its rows against no summary). */
    public static StatesCsv read(Path csv) throws IOException {
        String text;
        try {
            text = Files.readString(csv, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            // The decoder's own words were all the user saw: "churn report: Input length = 1", exit 1 (QA, 2026-12-06).
            throw new IllegalArgumentException(csv + " is not a churn states file: it is not UTF-8 text");
        }
        List<String> lines = text.lines().toList();
        if (text.isEmpty()) {
            throw new IllegalArgumentException(csv + " is " + LatencyLog.EMPTY);
        }
        String[] header = lines.getFirst().split(",");
        if (!Arrays.asList(header).contains("t_ms") || !Arrays.asList(header).contains("TIME_WAIT")) {
            throw new IllegalArgumentException(csv + " is not a churn states file: its header has no t_ms and TIME_WAIT"
                    + " columns");
        }
        // Every row ends with its newline and has the header's columns: one that does not was cut off (a copy or a
        // write that stopped), and read as it is it would chart some states at a time the others have no point for.
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: row %d is cut off (no newline at its end:"
                    + " a damaged or cut-off CSV)", csv, lines.size()));
        }
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                String[] row = lines.get(i).split(",", -1);
                if (row.length != header.length) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: row %d has %d of the header's %d"
                            + " columns (a damaged or cut-off CSV)", csv, i + 1, row.length, header.length));
                }
                rows.add(row);
            }
        }
        return new StatesCsv(List.of(header), List.copyOf(rows));
    }

    /**
     * Checks a run folder's states.csv when it has one (a run may have none: sampling off, or an older run), its rows
     * against the folder's own summary.json.
     */
    public static void checkIfPresent(Path csv) throws IOException {
        Path summary = csv.resolveSibling(SummaryJson.FILE);
        checkIfPresent(csv, Files.isRegularFile(summary) ? SummaryJson.read(summary).path("states") : MissingNode.getInstance());
    }

    /** Checks the file when there is one, its rows against this summary's {@code states}. */
    public static void checkIfPresent(Path csv, JsonNode states) throws IOException {
        if (Files.isRegularFile(csv)) {
            read(csv, states);
        }
    }
}
