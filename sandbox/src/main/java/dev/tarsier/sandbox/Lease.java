package dev.tarsier.sandbox;

import io.vertx.core.Future;

/**
 * The right to run one invocation in one sandbox. Single use: {@link #run} hands the sandbox back to
 * the pool when the run ends (idle again, or destroyed after a timeout, crash or OOM). If the sandbox
 * goes before its runtime received the event, the run moves to another sandbox by itself.
 */
public final class Lease {
  private final WarmPool pool;
  private final Sandbox sandbox;
  private final boolean cold;
  private final long queueNanos;
  private boolean used;

  Lease(WarmPool pool, Sandbox sandbox, boolean cold, long queueNanos) {
    this.pool = pool;
    this.sandbox = sandbox;
    this.cold = cold;
    this.queueNanos = queueNanos;
  }

  /** True when the sandbox was started for this lease's caller. */
  public boolean cold() {
    return cold;
  }

  public String sandboxId() {
    return sandbox.id();
  }

  Sandbox sandbox() {
    return sandbox;
  }

  long queueNanos() {
    return queueNanos;
  }

  /** Runs {@code invocation}, then returns the sandbox to the pool. May be called once. */
  public Future<RunResult> run(Invocation invocation) {
    if (used) {
      throw new IllegalStateException("lease on sandbox " + sandbox.id() + " used twice");
    }
    used = true;
    return pool.run(this, invocation);
  }
}
