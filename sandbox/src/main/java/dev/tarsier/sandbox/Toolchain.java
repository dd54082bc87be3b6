package dev.tarsier.sandbox;

import java.util.Map;

/**
 * How one family of runtimes is started inside a sandbox, once {@link Runtimes} has found its toolchain on
 * the host. Implementations are immutable and may be called from any thread.
 */
sealed interface Toolchain permits JavaToolchain, NodeToolchain, PythonToolchain, CustomBootstrap {

  /**
   * The process to run for {@code spec}. {@code env} already holds the variables Lambda sets for every
   * runtime; the toolchain adds its own to it. Called on a worker: it may look at the code directory.
   */
  Runtimes.Launch launch(SandboxSpec spec, Map<String, String> env);
}
