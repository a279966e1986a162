package dev.churn.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a positive duration as users type it: a number (decimals allowed) and a unit of ns, us
 * (or µs), ms, s, m or h, e.g. {@code 200ms}, {@code 1.5s}, {@code 10m}. Picocli names the option
 * in front of the message; {@link #parse} serves code outside picocli.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(ns|us|µs|ms|s|m|h)");
    /** Parts summed, as a user writes a long one: 5m20s, 1h30m (monitor --duration 5m20s was refused, QA 2026-12-06). */
    private static final Pattern COMPOUND = Pattern.compile("(?:(?:\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(?:ns|us|µs|ms|s|m|h)\\s*)+");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(?:\\.\\d+)?|\\.\\d+)");
    private static final String EXAMPLE = "e.g. 200ms or 1s";
    private static final String UNITS = "ns, us, ms, s, m, h";

    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** For options where zero means "none", like --warmup: accepts 0 (with or without a unit). */
    public static final class NonNegative implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String t = value == null ? "" : value.strip();
            if (t.matches("0+(\\.0+)?\\s*(ns|us|µs|ms|s|m|h)?")) {
                return Duration.ZERO;
            }
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage().replace("must be positive", "must be 0 or more"));
            }
        }
    }

    /** The duration this text names; IllegalArgumentException with a one-line reason when it names none. */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("-")) {
            throw new IllegalArgumentException("'" + text + "' must be positive, " + EXAMPLE);
        }
        if (!COMPOUND.matcher(t).matches()) {
            if (NUMBER.matcher(t).matches()) {
                throw new IllegalArgumentException("'" + text + "' needs a unit (" + UNITS + "), " + EXAMPLE);
            }
            throw new IllegalArgumentException("'" + text + "' is not a duration: use a number and a unit ("
                    + UNITS + "), " + EXAMPLE);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        for (Matcher m = DURATION.matcher(t); m.find(); ) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
        }
        nanos = nanos.setScale(0, RoundingMode.HALF_UP);
        if (nanos.signum() <= 0) {
            throw new IllegalArgumentException("'" + text + "' must be positive, " + EXAMPLE);
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too long: at most about 292 years");
        }
        return Duration.ofNanos(nanos.longValueExact());
    }

    /** A short form users would type back: {@code 200ms}, {@code 1s}, {@code 1.5s}, {@code 2m}. */
    public static String format(Duration d) {
        long ns = d.toNanos();
        if (ns % 3_600_000_000_000L == 0) {
            return ns / 3_600_000_000_000L + "h";
        }
        if (ns % 60_000_000_000L == 0) {
            return ns / 60_000_000_000L + "m";
        }
        if (ns >= 1_000_000_000L) {
            return BigDecimal.valueOf(ns, 9).stripTrailingZeros().toPlainString() + "s";
        }
        if (ns >= 1_000_000L) {
            return BigDecimal.valueOf(ns, 6).stripTrailingZeros().toPlainString() + "ms";
        }
        if (ns >= 1_000L) {
            return BigDecimal.valueOf(ns, 3).stripTrailingZeros().toPlainString() + "us";
        }
        return ns + "ns";
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }
}
