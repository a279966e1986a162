package dev.churn.bench.result;

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

    /** Reads and checks the file. */
    public static StatesCsv read(Path csv) throws IOException {
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(csv + " is empty");
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

    /** Checks the file when the folder has one (a run may have none: sampling off, or an older run). */
    public static void checkIfPresent(Path csv) throws IOException {
        if (Files.isRegularFile(csv)) {
            read(csv);
        }
    }
}
