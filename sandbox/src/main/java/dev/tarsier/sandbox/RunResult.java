package dev.tarsier.sandbox;

/**
 * What one run in a sandbox produced, with the measurements Lambda reports and the cold-start breakdown:
 * an invocation's time from {@code acquire} to its answer is {@code queueNanos + createNanos +
 * initDurationNanos + durationNanos} on a cold start and {@code queueNanos + durationNanos} on a warm one.
 *
 * @param outcome            how it ended
 * @param log                everything the runtime wrote to stdout and stderr for this run (and, on a
 *                           cold start, during its init)
 * @param durationNanos      the handler: from handing the event over to the runtime's answer (or the deadline)
 * @param initDurationNanos  runtime init on a cold start (from the container's launch to the runtime's first
 *                           {@code /next}), or -1 when the sandbox was warm
 * @param createNanos        creating the sandbox on a cold start (listener, bundle, launching runc), or 0 when warm
 * @param maxMemoryUsedBytes peak memory of the sandbox's cgroup (of the runtime's process without runc)
 * @param queueNanos         waiting for a sandbox: for memory, for a busy one, to thaw a frozen one; on a
 *                           cold start without its create and init
 * @param cold               whether this invocation waited for a new sandbox to start
 * @param sandboxId          which sandbox ran it
 */
public record RunResult(
    Outcome outcome,
    String log,
    long durationNanos,
    long initDurationNanos,
    long createNanos,
    long maxMemoryUsedBytes,
    long queueNanos,
    boolean cold,
    String sandboxId) {}
