package dev.tarsier.sandbox;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * What every sandbox of one pool shares: the pool's Vert.x context, the isolation in force, the
 * runtimes and their start-up archives. Makes the {@link Sandbox}es; used on the pool's context.
 */
final class Sandboxes {
  final Vertx vertx;
  final Context context;
  final Isolation isolation;
  final Runtimes runtimes;
  final JavaArchives archives;
  final Path sandboxesDir;
  final Duration startTimeout;

  Sandboxes(Vertx vertx, Context context, Isolation isolation, Runtimes runtimes, JavaArchives archives, Path sandboxesDir,
      Duration startTimeout) {
    this.vertx = vertx;
    this.context = context;
    this.isolation = isolation;
    this.runtimes = runtimes;
    this.archives = archives;
    this.sandboxesDir = sandboxesDir;
    this.startTimeout = startTimeout;
  }

  /** A sandbox not yet started; {@code onExited} hears of a runtime that exits or breaks the rules while idle. */
  Sandbox create(String id, SandboxSpec spec, InitializationType type, Consumer<Sandbox> onExited) {
    return new Sandbox(id, spec, type, this, onExited);
  }

  /**
   * Runs blocking work on a worker, unordered: sandboxes' file and process work must not queue behind
   * each other (an ordered queue would make every warm run wait for some other sandbox's {@code runc kill}).
   */
  <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }
}
