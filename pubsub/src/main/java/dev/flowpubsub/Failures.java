package dev.flowpubsub;

/** Which failures the hub survives and reports, and which it lets end the thread. */
final class Failures {

    private Failures() {
    }

    /**
     * True for errors after which the JVM itself is in doubt (out of memory, an internal error): they are passed on,
     * after the hub's state is restored. A {@link StackOverflowError} is not fatal: it unwinds the thread that
     * overflowed and is reported like any handler failure.
     */
    static boolean isFatal(Throwable failure) {
        return failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError);
    }
}
