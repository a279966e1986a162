package dev.churn.cli;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.PortRange;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.engine.RunSpec;
import dev.churn.bench.jmh.BenchPreset;
import dev.churn.bench.tls.TlsVersion;
import dev.churn.monitor.GroupKey;
import dev.churn.monitor.SourceKind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The picocli converters of churn's commands: each reads one kind of value and throws a one-line
 * reason naming the allowed values (picocli puts the option's name in front). Numbers are ASCII
 * digits only: Java's own parsers take any Unicode digit ({@code ٣} is 3), which nobody means on a
 * command line; {@link Main#commandLine()} registers {@link AnyInt} and {@link AnyLong} for every
 * option without a converter of its own.
 */
final class OptionConverters {

    private OptionConverters() {}

    /** {@code blocking}, {@code nio}, {@code selector}, {@code virtual}, {@code raw} or {@code epoll}. */
    static final class Transport implements ITypeConverter<TransportKind> {
        @Override
        public TransportKind convert(String v) {
            return named(TransportKind.class, v, TransportKind.values());
        }
    }

    /** {@code client}, {@code server}, {@code abort}, {@code half} or {@code never}. */
    static final class CloserName implements ITypeConverter<Closer> {
        @Override
        public Closer convert(String v) {
            return named(Closer.class, v, Closer.values());
        }
    }

    /** {@code auto}, {@code netlink}, {@code proc} or {@code oshi}. */
    static final class Source implements ITypeConverter<SourceKind> {
        @Override
        public SourceKind convert(String v) {
            return named(SourceKind.class, v, SourceKind.values());
        }
    }

    /** {@code port}, {@code peer}, {@code remote}, {@code side} or {@code process}: monitor's --by. */
    static final class GroupKeyName implements ITypeConverter<GroupKey> {
        @Override
        public GroupKey convert(String v) {
            return named(GroupKey.class, v, GroupKey.values());
        }
    }

    /** What tab completes {@code bench --preset} to. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Stream.of(BenchPreset.SMOKE, BenchPreset.QUICK, BenchPreset.FULL).map(BenchPreset::name).iterator();
        }
    }

    /** What tab completes a {@code --tls} version to. */
    static final class TlsVersions implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(TlsVersion.values()).map(TlsVersion::label).iterator();
        }
    }

    /** {@code off}, {@code 0} or a number of seconds. */
    static final class LingerValue implements ITypeConverter<Linger> {
        @Override
        public Linger convert(String v) {
            asciiDigitsOnly(v);
            try {
                return Linger.parse(v);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code FROM-TO}, e.g. {@code 20000-20999}. */
    static final class Ports implements ITypeConverter<PortRange> {
        @Override
        public PortRange convert(String v) {
            asciiDigitsOnly(v);
            try {
                return PortRange.parse(v);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A port to listen on: 1..65535, or 0 for one the kernel picks. */
    static final class ListenPort implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            if (v.strip().equals("0")) {
                return 0;
            }
            try {
                return PortConverter.parse(v);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage() + " (or 0: the kernel picks)");
            }
        }
    }

    /** A local address to listen on: {@code 127.0.0.1}, {@code ::1}, {@code localhost}. */
    static final class BindAddress implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String v) {
            String h = v.strip();
            if (h.isEmpty()) { // InetAddress takes "" for loopback: an empty value would pass unseen
                throw new TypeConversionException("empty; name an address to listen on, e.g. 127.0.0.1 or ::1");
            }
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            try {
                return InetAddress.getByName(h);
            } catch (UnknownHostException e) {
                throw new TypeConversionException("'" + v + "' is not an address to listen on, e.g. 127.0.0.1 or ::1");
            }
        }
    }

    /** Any int, in ASCII digits: the default for int and Integer options; the command checks the range. */
    static final class AnyInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            long n = wholeSaturated(v);
            if (n > Integer.MAX_VALUE) {
                throw new TypeConversionException("'" + v + "' is too large (at most " + Integer.MAX_VALUE + ")");
            }
            if (n < Integer.MIN_VALUE) {
                throw new TypeConversionException("'" + v + "' is too small (at least " + Integer.MIN_VALUE + ")");
            }
            return (int) n;
        }
    }

    /** Any long, in ASCII digits: the default for long and Long options; the command checks the range. */
    static final class AnyLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String v) {
            return whole(v);
        }
    }

    /** A whole number in [min, max], refused in one line that says the range as the option checks it. */
    private abstract static class WholeIn implements ITypeConverter<Integer> {
        private final long min;
        private final long max;
        private final String range;

        WholeIn(long min, long max, String range) {
            this.min = min;
            this.max = max;
            this.range = range;
        }

        @Override
        public Integer convert(String v) {
            long n = wholeSaturated(v);
            if (n < min || n > max) {
                throw new TypeConversionException("'" + v + "' must be a whole number " + range);
            }
            return (int) n;
        }
    }

    /** A whole number of at least 1 (connections, concurrency, backlog). */
    static final class PositiveInt extends WholeIn {
        PositiveInt() {
            super(1, Integer.MAX_VALUE, "from 1 to " + Integer.MAX_VALUE);
        }
    }

    /** Cycles at once, or the most in flight: 1 to {@link Load#MAX_CONCURRENCY}. */
    static final class Concurrency extends WholeIn {
        Concurrency() {
            super(1, Load.MAX_CONCURRENCY, String.format(Locale.ROOT, "from 1 to %,d", Load.MAX_CONCURRENCY));
        }
    }

    /** A server's listeners: 1 to {@link SocketConfig#MAX_LISTENERS}. */
    static final class Listeners extends WholeIn {
        Listeners() {
            super(1, SocketConfig.MAX_LISTENERS, "from 1 to " + SocketConfig.MAX_LISTENERS);
        }
    }

    /** A request's or a response's bytes: 0 to {@link RunSpec#MAX_MESSAGE_BYTES}. */
    static final class MessageBytes extends WholeIn {
        MessageBytes() {
            super(0, RunSpec.MAX_MESSAGE_BYTES, String.format(Locale.ROOT, "of bytes from 0 to %,d (16 MiB)",
                    RunSpec.MAX_MESSAGE_BYTES));
        }
    }

    /** A whole number of at least 1, up to Long.MAX_VALUE. */
    static final class PositiveLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String v) {
            long n = whole(v);
            if (n < 1) {
                throw new TypeConversionException("'" + v + "' must be a whole number of at least 1");
            }
            return n;
        }
    }

    /** A whole number of at least 0 (bytes, where 0 means none or the kernel's default; a limit where 0 means none). */
    static final class NonNegativeInt extends WholeIn {
        NonNegativeInt() {
            super(0, Integer.MAX_VALUE, "from 0 to " + Integer.MAX_VALUE);
        }
    }

    /** A whole number of at least 0, up to Long.MAX_VALUE. */
    static final class NonNegativeLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String v) {
            long n = whole(v);
            if (n < 0) {
                throw new TypeConversionException("'" + v + "' must be a whole number of at least 0");
            }
            return n;
        }
    }

    /** Connections per second: a positive number, decimals allowed ({@code 0.5} is one every two seconds). */
    static final class Rate implements ITypeConverter<Double> {
        @Override
        public Double convert(String v) {
            double r;
            try {
                // Decimal only: Double.parseDouble also takes hex floats and a 'd' or 'f' suffix.
                if (!DECIMAL.matcher(v.strip()).matches()) {
                    throw new NumberFormatException(v);
                }
                r = Double.parseDouble(v.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + v + "' is not a rate: give connections per second, e.g. 1000");
            }
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new TypeConversionException("'" + v + "' must be a positive number of connections per second");
            }
            if (r < Load.MIN_RATE) {
                throw new TypeConversionException("'" + v + "' is slower than churn paces: at least one connection a day"
                        + " (0.0000116 per second), as long as a run may last");
            }
            if (r > Load.MAX_RATE) {
                throw new TypeConversionException(String.format(Locale.ROOT, "'%s' is faster than churn paces: at most %,d "
                        + "connections per second", v, (long) Load.MAX_RATE));
            }
            return r;
        }
    }

    /** {@code HOST:PORT}: {@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code localhost:8080}. */
    static final class Target implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String v) {
            return parseTarget(v);
        }
    }

    /** Parses HOST:PORT, resolving the host now (a name that resolves nowhere is the user's typo). */
    static InetSocketAddress parseTarget(String v) {
        String t = v.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new TypeConversionException("'" + v + "' is not HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080");
        }
        if (t.startsWith("[") && t.endsWith("]")) {
            // "[::1]": its last colon is the address's own, so the port is what is missing.
            throw new TypeConversionException("'" + v + "' has no port: give HOST:PORT, e.g. " + t + ":8080");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            // InetAddress reads "" as loopback: '[]:9' ran against 127.0.0.1 (QA, 2026-12-06). Brackets hold an IPv6
            // address, not a name or an IPv4 address, which would read as IPv6 that is not.
            if (host.isEmpty()) {
                throw new TypeConversionException("'" + v + "' has no host: give HOST:PORT, e.g. [::1]:8080 or 127.0.0.1:8080");
            }
            if (!host.contains(":")) {
                throw new TypeConversionException("'" + v + "': brackets are for IPv6 addresses; give " + host + ":"
                        + t.substring(colon + 1));
            }
        } else if (host.startsWith("[") != t.contains("]")) {
            // '[::1:23100' was told to put its address in brackets, which it had begun to (QA, 2026-12-07).
            throw new TypeConversionException("'" + v + "': its brackets do not close; write [IPV6]:PORT, e.g. [::1]:8080");
        } else if (host.contains(":")) {
            throw new TypeConversionException("'" + v + "': put an IPv6 address in brackets, e.g. [::1]:8080");
        }
        int port;
        try {
            port = PortConverter.parse(t.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + v + "': the port " + e.getMessage());
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new TypeConversionException("'" + v + "': unknown host '" + host + "'");
        }
    }

    // Underscores group digits (1_000_000); a sign is allowed so '-1' gets the range message, not this one.
    private static final Pattern WHOLE = Pattern.compile("[-+]?[0-9][0-9_]*");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    /**
     * {@link #whole}, a number past a long's range taken as the nearest long: for converters that check a narrower
     * range, whose message then names it ("'9223372036854775808' must be a whole number from 1 to 64"), not a long's
     * (QA, 2026-12-06: "at most 9223372036854775807 either way" for --listeners).
     */
    private static long wholeSaturated(String v) {
        try {
            return whole(v);
        } catch (TypeConversionException e) {
            String t = v.strip();
            if (!WHOLE.matcher(t).matches()) {
                throw e;
            }
            return t.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static long whole(String v) {
        asciiDigitsOnly(v);
        String t = v.strip();
        if (!WHOLE.matcher(t).matches()) {
            throw new TypeConversionException("'" + v + "' is not a whole number");
        }
        try {
            return Long.parseLong(t.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + v + "' is out of range: at most " + Long.MAX_VALUE + " either way");
        }
    }

    /** Refuses a value with a digit other than ASCII 0-9 (Arabic-Indic, fullwidth, ...), which Java's parsers would take. */
    static void asciiDigitsOnly(String v) {
        if (v.chars().anyMatch(c -> Character.isDigit(c) && (c < '0' || c > '9'))) {
            throw new TypeConversionException("'" + v + "' has a digit other than 0-9: type numbers in ASCII digits");
        }
    }

    static <E extends Enum<E>> E named(Class<E> type, String v, E[] values) {
        for (E e : values) {
            if (e.name().equalsIgnoreCase(v.strip())) {
                return e;
            }
        }
        List<String> names = Arrays.stream(values).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        throw new TypeConversionException("'" + v + "' is not " + oneOf(values)
                + OptionSuggestions.phrase(OptionSuggestions.closest(v.strip(), names)));
    }

    /** "a, b or c" of the lower-case names. */
    static String oneOf(Enum<?>[] values) {
        String all = Arrays.stream(values).map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return last < 0 ? all : all.substring(0, last) + " or " + all.substring(last + 2);
    }
}
