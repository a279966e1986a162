package dev.churn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code churn lab}: the TCP state lab; only subcommands (states, timewait, exhaust, hosts). */
@Command(
        name = "lab",
        mixinStandardHelpOptions = true,
        description = {
            // The timers as the kernel set them, not how long the sockets lasted: the timer wheel fires them up to
            // 2 s late (three TIME_WAITs whose timers read 60 s were gone after 60.6-61.8 s; docs/commands.md)
            "The TCP state lab: real sockets walked through every state, the kernel's timers on TIME_WAIT and "
                    + "FIN_WAIT2, port exhaustion and its fixes.",
            "",
            "  churn lab states      every TCP state, as a sequence diagram (no root needed)",
            "  churn lab timewait    the timers TIME_WAIT and FIN_WAIT2 get (root: a private namespace)",
            "  churn lab exhaust     run out of ports, then each fix (root: private namespaces)",
            "  churn lab hosts       one server and N client hosts on a bridge, results merged (root)",
        },
        subcommands = {LabStatesCommand.class, LabTimewaitCommand.class, LabExhaustCommand.class, LabHostsCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every observation matched TCP", "1:the kernel disagreed, or the work failed",
            "2:bad input or missing root", "130:stopped by Ctrl-C (what finished is printed)", "143:stopped by SIGTERM"})
public final class LabCommand implements Runnable {

    /** The JSON writer every lab subcommand uses. */
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Prints a subcommand's JSON document (maps, lists and plain values: it always serializes). */
    static void printJson(java.io.PrintWriter out, java.util.Map<String, Object> doc) {
        try {
            out.println(JSON.writeValueAsString(doc));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialize", e);
        }
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw Subcommands.missing(spec);
    }

    /** How a lab subcommand prints its result. */
    enum Format { TABLE, JSON }

    /** --format table|json. */
    static final class FormatName implements ITypeConverter<Format> {
        @Override
        public Format convert(String v) {
            for (Format f : Format.values()) {
                if (f.name().equalsIgnoreCase(v.strip())) {
                    return f;
                }
            }
            throw new TypeConversionException("'" + v + "' is not table or json");
        }
    }

    /** The one-line refusal when a lab needs root, naming the command. */
    static UsageException needsRoot() {
        return new UsageException("needs root, with CAP_SYS_ADMIN and CAP_NET_ADMIN, to create network namespaces (run as"
                + " root outside a container that drops them, or try 'churn lab states', which needs none)");
    }
}
