package dev.tarsier.sandbox;

import io.vertx.core.Future;
import java.nio.file.Path;

/** Placeholder until the archive builder lands: launches unchanged. */
final class JavaArchives {
  JavaArchives(Path dir, String idScope) {}

  static JavaArchives none() {
    return new JavaArchives(null, null);
  }

  Runtimes.Launch apply(SandboxSpec spec, Runtimes.Launch launch) {
    return launch;
  }

  void build(Sandboxes sandboxes) {}

  Future<Void> ready() {
    return Future.succeededFuture();
  }

  Future<Void> close() {
    return Future.succeededFuture();
  }
}
