package dev.tarsier.sandbox;

import io.vertx.core.Future;

/**
 * The right to run one invocation in one sandbox. Single use: {@link #run} hands the sandbox back to
 * the pool when the run ends (idle again, or destroyed after a timeout, crash or OOM).
 */
public final class Lease {
  private final WarmPool pool;
  private final Sandbox sandbox;
  private final boolean cold;
  private boolean used;

  Lease(WarmPool pool, Sandbox sandbox, boolean cold) {
    this.pool = pool;
    this.sandbox = sandbox;
    this.cold = cold;
  }

  /** True when the sandbox was started for this lease. */
  public boolean cold() {
    return cold;
  }

  public String sandboxId() {
    return sandbox.id();
  }

  /** Runs {@code invocation}, then returns the sandbox to the pool. May be called once. */
  public Future<RunResult> run(Invocation invocation) {
    if (used) {
      throw new IllegalStateException("lease on sandbox " + sandbox.id() + " used twice");
    }
    used = true;
    return pool.run(sandbox, invocation);
  }
}
