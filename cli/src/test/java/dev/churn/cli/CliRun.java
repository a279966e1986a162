package dev.churn.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One {@code churn} command line run in-process, with its exit code and captured output. */
record CliRun(int code, String out, String err) {

    /** Runs {@code churn ARGS...} through {@link Main#commandLine()} and captures both streams. */
    static CliRun churn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
