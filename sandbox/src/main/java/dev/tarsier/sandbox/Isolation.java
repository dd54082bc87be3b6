package dev.tarsier.sandbox;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How sandboxes are kept apart from the host and from each other: the boundary between the pool, which
 * we test with a hand-written fake, and the operating system. Blocking methods: call from a worker.
 */
interface Isolation {

  /** What is in force, in a sentence for the start-up banner and {@code /_/health}. */
  String describe();

  /** Whether idle sandboxes can be frozen. */
  boolean freezes();

  /**
   * Starts {@code launch} for the sandbox {@code id}, its files under {@code dir}, its output appended to
   * {@code output}. On failure nothing of it is left running.
   */
  Container launch(String id, Path dir, SandboxSpec spec, Runtimes.Launch launch, Path output) throws IOException;

  /** Removes containers, cgroups and processes a previous run of the pool on this data directory left. */
  void removeLeftovers() throws IOException;

  /** Releases what it made ahead of need; called once the pool's sandboxes are gone. */
  default void close() {}
}
