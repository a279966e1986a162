package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * An exception without a message reaching the command line is a fault of churn's: it is said as one, with where it was
 * thrown, where 'churn run: UnsupportedAddressTypeException' said neither (review, 2026-12-07).
 */
class UnexplainedFaultTest {

    @Test
    void anExceptionWithoutAMessageIsNamedAsAnInternalErrorWithWhereItWasThrown() {
        String said = Main.unexplained(thrownHere());
        assertTrue(said.startsWith("internal error, java.lang.IllegalStateException at UnexplainedFaultTest.thrownHere "
                + "(UnexplainedFaultTest.java:"), said);
        assertTrue(said.contains("a fault of churn's, not of its input"), said);
        assertTrue(!said.contains("\n"), said);
    }

    @Test
    void whereIsChurnsOwnFrameNotTheJdksItPassedThrough() {
        RuntimeException e;
        try {
            java.util.List.of().getFirst();
            throw new AssertionError("getFirst of an empty list threw nothing");
        } catch (java.util.NoSuchElementException thrown) {
            e = new RuntimeException((String) null, thrown);
            e.setStackTrace(thrown.getStackTrace());
        }
        String said = Main.unexplained(e);
        assertTrue(said.contains(" at UnexplainedFaultTest.whereIsChurnsOwnFrameNotTheJdksItPassedThrough"), said);
    }

    private static IllegalStateException thrownHere() {
        return new IllegalStateException();
    }
}
