package dev.churn.cli;

import dev.churn.bench.engine.RunInfo;
import dev.churn.bench.engine.RunListener;
import dev.churn.bench.engine.RunResult;
import dev.churn.bench.engine.Tick;
import java.util.List;

/**
 * Hands each engine event to several listeners in order. A listener that throws does not stop the
 * others nor the run: the first such failure is kept for {@link #failure()}, so the command can
 * report it once the run is over.
 */
final class CompositeListener implements RunListener {

    private final List<RunListener> listeners;
    private volatile RuntimeException failure;

    CompositeListener(RunListener... listeners) {
        this.listeners = List.of(listeners);
    }

    @Override
    public void started(RunInfo info) {
        each(l -> l.started(info));
    }

    @Override
    public void measuring() {
        each(RunListener::measuring);
    }

    @Override
    public void tick(Tick tick) {
        each(l -> l.tick(tick));
    }

    @Override
    public void rehearse(Tick tick) {
        each(l -> l.rehearse(tick));
    }

    @Override
    public void finished(RunResult result) {
        each(l -> l.finished(result));
    }

    /** The first exception a listener threw, or null. */
    RuntimeException failure() {
        return failure;
    }

    private void each(java.util.function.Consumer<RunListener> call) {
        for (RunListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }
}
