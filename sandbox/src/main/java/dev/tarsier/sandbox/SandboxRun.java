package dev.tarsier.sandbox;

import io.vertx.core.Promise;

/** The event a {@link Sandbox} is running and what is known of it so far. Used on the pool's context only. */
final class SandboxRun {
  final Invocation invocation;
  final Promise<Sandbox.Ran> result = Promise.promise();
  /** Written to the runtime's {@code /next}: from here on, losing the runtime is a crash, not a retry. */
  boolean delivered;
  long deliveredNanos;
  /** Settled: answered by the runtime, or ended by the deadline, a crash or a broken connection. */
  boolean answered;
  /** Measuring and giving the result has begun. */
  boolean finishing;
  Outcome outcome;
  long durationNanos;
  long timerId = -1;
  long settleTimerId = -1;

  SandboxRun(Invocation invocation) {
    this.invocation = invocation;
  }
}
