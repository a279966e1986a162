package dev.churn.bench.lab;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs code on a fresh platform thread that first called setns(2) on /run/netns/NAME: every socket
 * that thread creates, Java's included, lives in that namespace, and /proc/thread-self/net and
 * /proc/sys/net show that namespace. Sockets keep their namespace when used from other threads.
 */
final class InNamespace {

    private InNamespace() {}

    /** Runs the task in the named namespace and returns its result; its exceptions come back as IOException. */
    static <T> T call(String namespace, Callable<T> task) throws IOException {
        FutureTask<T> f = new FutureTask<>(() -> {
            LabLibc.setNetns("/run/netns/" + namespace);
            return task.call();
        });
        Thread t = Thread.ofPlatform().name("churn-lab-" + namespace).start(f);
        try {
            return f.get();
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted in namespace " + namespace, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(c.getMessage(), c);
        }
    }
}
