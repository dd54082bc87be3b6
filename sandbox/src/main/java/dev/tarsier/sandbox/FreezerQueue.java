package dev.tarsier.sandbox;

import io.vertx.core.Future;

/**
 * The freezes and thaws of one sandbox's container, each run on a worker after the one asked for before
 * it, so a thaw can never overtake the freeze it undoes. Used on the sandbox's context only.
 */
final class FreezerQueue {
  private final Sandboxes shared;
  private Future<Void> last = Future.succeededFuture();

  FreezerQueue(Sandboxes shared) {
    this.shared = shared;
  }

  /** Queues a freeze ({@code true}) or thaw of {@code target}; completes when it has taken effect. */
  Future<Void> apply(Container target, boolean freeze) {
    last = last.transform(ignored -> shared.blocking(() -> {
      if (freeze) {
        target.freeze();
      } else {
        target.thaw();
      }
      return null;
    }));
    return last;
  }

  /** Completes when everything queued so far has taken effect. */
  Future<Void> settled() {
    return last;
  }
}
