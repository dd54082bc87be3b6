package dev.tarsier.gateway.s3;

import java.nio.file.Path;

/** A received body not yet made durable: small ones held in memory, larger ones in a temporary file. */
sealed interface StagedBody {
  /** The first {@code length} bytes of {@code bytes}, which nothing changes any more. */
  record Held(byte[] bytes, int length) implements StagedBody {}

  record Spilled(Path file) implements StagedBody {}
}
