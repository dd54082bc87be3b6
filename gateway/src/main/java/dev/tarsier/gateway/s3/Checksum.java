package dev.tarsier.gateway.s3;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The additional checksums S3 clients send ({@code x-amz-checksum-<name>}, as a header or an aws-chunked
 * trailer): each value is the base64 of the big-endian digest of the whole decoded body.
 */
enum Checksum {
  CRC32("crc32"),
  CRC32C("crc32c"),
  CRC64NVME("crc64nvme"),
  SHA1("sha1"),
  SHA256("sha256");

  final String wireName;
  /** The header (and trailer) carrying this checksum. */
  final String header;

  Checksum(String wireName) {
    this.wireName = wireName;
    this.header = "x-amz-checksum-" + wireName;
  }

  /** The algorithm named by a header like {@code x-amz-checksum-crc32}, or null if the name is not one. */
  static Checksum ofHeader(String header) {
    String name = header.toLowerCase(Locale.ROOT);
    for (Checksum checksum : values()) {
      if (checksum.header.equals(name)) {
        return checksum;
      }
    }
    return null;
  }

  /** The algorithm named the way {@code x-amz-checksum-algorithm} names it (CRC32, SHA256 ...), or null. */
  static Checksum ofAlgorithm(String algorithm) {
    for (Checksum checksum : values()) {
      if (checksum.name().equalsIgnoreCase(algorithm)) {
        return checksum;
      }
    }
    return null;
  }

  Digest start() {
    return switch (this) {
      case CRC32 -> new CrcDigest(new CRC32(), 4);
      case CRC32C -> new CrcDigest(new CRC32C(), 4);
      case CRC64NVME -> new CrcDigest(new Crc64Nvme(), 8);
      case SHA1 -> new HashDigest(messageDigest("SHA-1"));
      case SHA256 -> new HashDigest(messageDigest("SHA-256"));
    };
  }

  static MessageDigest messageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM lacks " + algorithm, e);
    }
  }

  /** A running digest over the body's bytes. */
  interface Digest {
    void update(byte[] bytes, int offset, int length);

    byte[] finish();
  }

  private record CrcDigest(java.util.zip.Checksum crc, int width) implements Digest {
    @Override
    public void update(byte[] bytes, int offset, int length) {
      crc.update(bytes, offset, length);
    }

    @Override
    public byte[] finish() {
      long value = crc.getValue();
      ByteBuffer out = ByteBuffer.allocate(8).putLong(value);
      byte[] all = out.array();
      return java.util.Arrays.copyOfRange(all, 8 - width, 8);
    }
  }

  private record HashDigest(MessageDigest digest) implements Digest {
    @Override
    public void update(byte[] bytes, int offset, int length) {
      digest.update(bytes, offset, length);
    }

    @Override
    public byte[] finish() {
      return digest.digest();
    }
  }
}
