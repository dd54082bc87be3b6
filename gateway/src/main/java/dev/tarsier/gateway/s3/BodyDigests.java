package dev.tarsier.gateway.s3;

import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;

/**
 * The digests computed over a body's decoded bytes as they stream past: always MD5 (the ETag), plus the
 * checksum and the SHA-256 the client announced, if any. Event-loop confined, like the stream feeding it.
 */
final class BodyDigests {
  private final MessageDigest md5 = Checksum.messageDigest("MD5");
  private final Checksum checksum;
  private final Checksum.Digest checksumDigest;
  private final MessageDigest sha256;
  private long size;

  BodyDigests(Checksum checksum, boolean sha256) {
    this.checksum = checksum;
    this.checksumDigest = checksum == null ? null : checksum.start();
    this.sha256 = sha256 ? Checksum.messageDigest("SHA-256") : null;
  }

  void update(Buffer data) {
    byte[] bytes = data.getBytes();
    update(bytes, 0, bytes.length);
  }

  void update(byte[] bytes, int offset, int length) {
    size += length;
    md5.update(bytes, offset, length);
    if (checksumDigest != null) {
      checksumDigest.update(bytes, offset, length);
    }
    if (sha256 != null) {
      sha256.update(bytes, offset, length);
    }
  }

  long size() {
    return size;
  }

  Checksum checksum() {
    return checksum;
  }

  /** Finishes every digest; call once, after the last byte. */
  Result finish() {
    return new Result(size, md5.digest(), checksumDigest == null ? null : checksumDigest.finish(),
        sha256 == null ? null : sha256.digest());
  }

  record Result(long size, byte[] md5, byte[] checksum, byte[] sha256) {}
}
