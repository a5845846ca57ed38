package io.drover.testkit;

/** What runs on this machine, for tests that check a program and its children were killed. */
public final class Processes {
    private Processes() {}

    /** True if no process's command line contains {@code part}. */
    public static boolean noneRunning(String part) {
        return ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().commandLine().orElse("").contains(part));
    }
}
