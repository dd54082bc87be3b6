package dev.tarsier.sandbox;

/**
 * Why the pool could not give out a sandbox. A closed set, mapped once at the edge.
 */
public abstract sealed class SandboxFailure extends RuntimeException {

  SandboxFailure(String message, Throwable cause) {
    super(message, cause);
  }

  /** The runtime reported {@code /init/error} or exited before its first {@code /next}. */
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

    /** What the runtime printed while it tried to start. */
    public String log() {
      return log;
    }

    public long initDurationNanos() {
      return initDurationNanos;
    }
  }

  /** The container could not be created or started (runc failed, the start timed out). */
  public static final class StartFailed extends SandboxFailure {
    public StartFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
