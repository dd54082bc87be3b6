package dev.tarsier.gateway.s3;

import java.nio.charset.StandardCharsets;

/** Object key rules: at most 1024 bytes of UTF-8, as S3 allows. */
final class ObjectKeys {
  static final int MAX_BYTES = 1024;

  private ObjectKeys() {}

  static void check(String key) {
    if (key.length() > MAX_BYTES / 3 && key.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw S3Error.KEY_TOO_LONG.exception().with("Size", key.getBytes(StandardCharsets.UTF_8).length).with("MaxSizeAllowed", MAX_BYTES);
    }
  }
}
