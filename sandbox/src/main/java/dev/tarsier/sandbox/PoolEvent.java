package dev.tarsier.sandbox;

import java.time.Instant;

/** Something that happened to the pool: the input of one {@link PoolStep}. Each carries the time it happened. */
sealed interface PoolEvent {

  Instant now();

  /** A caller wants a sandbox for {@code spec}; {@code waiterId} names it in the effects that answer it. */
  record AcquireRequested(long waiterId, SandboxSpec spec, Instant now) implements PoolEvent {}

  /** A sandbox's runtime asked for its first event. */
  record SandboxStarted(String sandboxId, Instant now) implements PoolEvent {}

  /** A sandbox could not be started; it has already removed what it created. */
  record SandboxFailedToStart(String sandboxId, SandboxFailure failure, Instant now) implements PoolEvent {}

  /** A run ended; {@code reusable} when the sandbox may serve again (not after a timeout, crash or OOM). */
  record RunEnded(String sandboxId, boolean reusable, Instant now) implements PoolEvent {}

  /** A sandbox's runtime exited, or broke the Runtime API's rules, outside a run. */
  record SandboxExited(String sandboxId, Instant now) implements PoolEvent {}

  /** A sandbox is gone: container, cgroups and listener removed, its memory free again. */
  record SandboxRemoved(String sandboxId, Instant now) implements PoolEvent {}

  /** Time passed: idle sandboxes may expire, waiters may run out of time. */
  record ClockTicked(Instant now) implements PoolEvent {}

  /** Keep {@code count} sandboxes of {@code spec} started (0 stops pre-warming it). */
  record PrewarmSet(SandboxSpec spec, int count, Instant now) implements PoolEvent {}

  /** The function's code or configuration changed: sandboxes of this key serve no new callers. */
  record KeyRetired(String poolKey, Instant now) implements PoolEvent {}

  /** The pool is shutting down. */
  record PoolClosed(Instant now) implements PoolEvent {}
}
