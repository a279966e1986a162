package dev.churn.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * What {@code --warmup} asked for: a length ({@code 0s} for none), or {@code auto}, a warm-up that
 * ends when the JIT compiler threads have gone quiet ({@link dev.churn.bench.engine.AutoWarmup}).
 * {@code length} is null for {@code auto}.
 */
record WarmupOption(Duration length) {

    static final WarmupOption AUTO = new WarmupOption(null);

    boolean auto() {
        return length == null;
    }

    /** {@code auto}, or a duration as {@link DurationConverter.NonNegative} reads it. */
    static final class Converter implements ITypeConverter<WarmupOption> {
        @Override
        public WarmupOption convert(String value) {
            if (value != null && value.strip().toLowerCase(Locale.ROOT).equals("auto")) {
                return AUTO;
            }
            try {
                return new WarmupOption(new DurationConverter.NonNegative().convert(value));
            } catch (TypeConversionException e) {
                throw new TypeConversionException(e.getMessage() + ", or auto (until the JIT is quiet)");
            }
        }
    }
}
