package dev.churn.monitor;

import java.util.Locale;

/**
 * How close one destination is to running out of local ports, by the fraction in use.
 * {@link #PAST_HALF} is where connect() gets slow, {@link #NEARLY_FULL} where it soon fails; the
 * reason for half is in {@link PortHeadroom}.
 */
public enum HeadroomLevel {
    /** Under half the ports in use. */
    OK(0.0),
    /** Half or more in use: connect()'s first pass over the ports finds none free. */
    PAST_HALF(0.5),
    /** 90% or more in use: EADDRNOTAVAIL is near. */
    NEARLY_FULL(0.9);

    private final double from;

    HeadroomLevel(double from) {
        this.from = from;
    }

    /** The fraction in use from which this level holds. */
    public double from() {
        return from;
    }

    /** The level of a used fraction. */
    public static HeadroomLevel of(double usedFraction) {
        return usedFraction >= NEARLY_FULL.from ? NEARLY_FULL : usedFraction >= PAST_HALF.from ? PAST_HALF : OK;
    }

    /** Lower case with a dash ({@code past-half}), as JSON and CSV write it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
