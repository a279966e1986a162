package dev.churn.cli;

import dev.churn.monitor.AddressText;
import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Where {@code churn monitor --listen} serves {@code /metrics}: {@code PORT} (loopback, 127.0.0.1),
 * {@code HOST:PORT} or {@code [IPV6]:PORT}. Loopback is the default because the counts describe the
 * host: exposing them beyond it is a choice the user makes by naming an address (0.0.0.0 for all).
 * Port 0 asks the kernel for a free port; the command prints the one it got.
 *
 * @param address the resolved address to bind
 * @param port 0..65535
 */
public record ListenAddress(InetAddress address, int port) {

    /** The address as a URL authority: {@code 127.0.0.1:9464} or {@code [::1]:9464}. */
    public String authority(int actualPort) {
        String host = AddressText.literal(address);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + actualPort;
    }

    /** Parses the option's text; IllegalArgumentException with a one-line reason otherwise. */
    public static ListenAddress parse(String text) {
        String t = text == null ? "" : text.strip();
        String host;
        String port;
        if (t.startsWith("[")) {
            int close = t.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' is not [IPV6]:PORT");
            }
            host = t.substring(1, close);
            port = t.substring(close + 2);
        } else if (t.indexOf(':') < 0) {
            host = null;
            port = t;
        } else if (t.indexOf(':') != t.lastIndexOf(':')) {
            throw new IllegalArgumentException("'" + text + "': write an IPv6 address in brackets, e.g. [::1]:9464");
        } else {
            host = t.substring(0, t.indexOf(':'));
            port = t.substring(t.indexOf(':') + 1);
        }
        if (host != null && host.isEmpty()) {
            // InetAddress would read "" as loopback; say what is meant instead of guessing.
            throw new IllegalArgumentException("'" + text + "' has no host: use PORT (loopback), 127.0.0.1:PORT "
                    + "or 0.0.0.0:PORT (every address)");
        }
        if (!port.matches("\\d{1,10}") || Long.parseLong(port) > 65535) {
            throw new IllegalArgumentException("'" + text + "': the port must be a number in 0..65535 (0: any free port)");
        }
        InetAddress address;
        try {
            address = host == null ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "': unknown host '" + host + "'");
        }
        return new ListenAddress(address, Integer.parseInt(port));
    }

    /** picocli's converter: the option's name goes in front of the message. */
    public static final class Converter implements ITypeConverter<ListenAddress> {
        @Override
        public ListenAddress convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
