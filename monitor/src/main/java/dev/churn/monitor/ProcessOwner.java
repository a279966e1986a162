package dev.churn.monitor;

/** A process that holds a socket: its pid and its command ({@code /proc/<pid>/comm}). */
public record ProcessOwner(long pid, String command) {}
