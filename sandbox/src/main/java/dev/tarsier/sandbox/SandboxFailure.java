package dev.tarsier.sandbox;

/**
 * Why the pool could not give out a sandbox. A closed set, mapped once at the edge.
 */
public abstract sealed class SandboxFailure extends RuntimeException {

  SandboxFailure(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The runtime reported {@code /init/error} or exited before its first {@code /next}. The pool answers
   * further acquisitions for the same pool key with the same failure for a while (see
   * {@link SandboxConfig#initFailureHold()}) instead of starting sandboxes that would fail the same way;
   * those repeats carry a log that says so.
   */
  public static final class InitFailed extends SandboxFailure {
    private final Outcome.InitFailed outcome;
    private final String log;
    private final long initDurationNanos;

    InitFailed(Outcome.InitFailed outcome, String log, long initDurationNanos) {
      super("runtime init failed: " + outcome.errorType() + " " + outcome.payload(), null);
      this.outcome = outcome;
      this.log = log;
      this.initDurationNanos = initDurationNanos;
    }

    public Outcome.InitFailed outcome() {
      return outcome;
    }

    /** What the runtime printed while it tried to start (for a repeat, a line saying when it will be tried again). */
    public String log() {
      return log;
    }

    public long initDurationNanos() {
      return initDurationNanos;
    }

    /** The same failure, answered again without a new start. */
    InitFailed repeated(String note) {
      return new InitFailed(outcome, note, initDurationNanos);
    }
  }

  /** The container could not be created or started (runc failed, the start timed out). */
  public static final class StartFailed extends SandboxFailure {
    public StartFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * No sandbox could be had within the acquire timeout: the memory budget was taken by busy sandboxes.
   * The message states the pool's state, e.g.
   * {@code no sandbox for fn-a within 2000 ms (idle=0, busy=8, starting=2, queued=31, memory=3968/4096 MB)}.
   */
  public static final class PoolExhausted extends SandboxFailure {
    public PoolExhausted(String message) {
      super(message, null);
    }
  }
}
