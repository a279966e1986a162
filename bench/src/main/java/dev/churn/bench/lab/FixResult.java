package dev.churn.bench.lab;

/**
 * What one exhaustion run did: cycles completed, connects refused with EADDRNOTAVAIL, other failures, the pace it kept
 * (cycles made a second, failed ones included), TIME_WAIT peak.
 */
public record FixResult(Fix fix, long ok, long addrNotAvail, long otherFailures, double perSecond, long timeWaitPeak,
        String firstOtherFailure) {}
