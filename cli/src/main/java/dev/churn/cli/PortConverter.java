package dev.churn.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a TCP port, 1..65535; picocli names the option in front of the message. */
public final class PortConverter implements ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** The port this text names; IllegalArgumentException with a one-line reason otherwise. */
    public static int parse(String text) {
        String t = text == null ? "" : text.strip();
        if (!t.matches("[-+]?\\d{1,10}")) {
            throw new IllegalArgumentException("'" + text + "' is not a port: use a number in 1..65535");
        }
        long port = Long.parseLong(t);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "' is outside 1..65535");
        }
        return (int) port;
    }
}
