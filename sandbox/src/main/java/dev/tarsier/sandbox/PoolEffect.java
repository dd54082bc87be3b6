package dev.tarsier.sandbox;

/** What a {@link PoolStep} asks the pool's driver to do once the new state is in place. */
sealed interface PoolEffect {

  /** Start a sandbox with this id; report {@code SandboxStarted} or {@code SandboxFailedToStart}. */
  record StartSandbox(String sandboxId, SandboxSpec spec, InitializationType type) implements PoolEffect {}

  /** Give the sandbox to the waiter, thawing it first when it was frozen. */
  record HandOver(long waiterId, String sandboxId, boolean cold, boolean thaw) implements PoolEffect {}

  /** Freeze an idle sandbox so it burns no CPU. */
  record Freeze(String sandboxId) implements PoolEffect {}

  /** Destroy the sandbox (idempotent) and report {@code SandboxRemoved}; {@code reason} is logged. */
  record Destroy(String sandboxId, String reason) implements PoolEffect {}

  /** Answer the waiter with a failure. */
  record FailWaiter(long waiterId, SandboxFailure failure) implements PoolEffect {}
}
