package dev.tarsier.gateway.s3;

import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;

/** A received body not yet made durable: small ones held in memory, larger ones in a temporary file. */
sealed interface StagedBody {
  record Held(Buffer bytes) implements StagedBody {}

  record Spilled(Path file) implements StagedBody {}
}
