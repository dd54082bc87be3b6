package dev.tarsier.sandbox;

/**
 * What one run in a sandbox produced, with the measurements Lambda reports.
 *
 * @param outcome            how it ended
 * @param log                everything the runtime wrote to stdout and stderr for this run (and, on a
 *                           cold start, during its init)
 * @param durationNanos      from handing the event over to the runtime's answer (or the deadline)
 * @param initDurationNanos  runtime init time on a cold start, or -1 when the sandbox was warm
 * @param createNanos        time spent creating the container on a cold start, or 0 when warm
 * @param maxMemoryUsedBytes peak memory of the sandbox's cgroup
 */
public record RunResult(
    Outcome outcome,
    String log,
    long durationNanos,
    long initDurationNanos,
    long createNanos,
    long maxMemoryUsedBytes) {

  public boolean cold() {
    return initDurationNanos >= 0;
  }
}
