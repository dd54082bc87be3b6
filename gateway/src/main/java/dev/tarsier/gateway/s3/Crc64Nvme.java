package dev.tarsier.gateway.s3;

/**
 * CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5, initial and final value all ones), the checksum
 * S3 computes by default since 2024 and SDKs send when asked. The JDK has no implementation; this is the
 * plain table-driven form, one byte at a time, which is fast enough for a checksum clients rarely pick.
 */
final class Crc64Nvme implements java.util.zip.Checksum {
  private static final long POLYNOMIAL = 0x9A6C9329AC4BC9B5L;
  private static final long[] TABLE = table();
  private long crc = -1L;

  private static long[] table() {
    long[] table = new long[256];
    for (int n = 0; n < 256; n++) {
      long value = n;
      for (int bit = 0; bit < 8; bit++) {
        value = (value & 1) != 0 ? (value >>> 1) ^ POLYNOMIAL : value >>> 1;
      }
      table[n] = value;
    }
    return table;
  }

  @Override
  public void update(int b) {
    crc = TABLE[(int) ((crc ^ b) & 0xFF)] ^ (crc >>> 8);
  }

  @Override
  public void update(byte[] bytes, int offset, int length) {
    long value = crc;
    for (int i = offset; i < offset + length; i++) {
      value = TABLE[(int) ((value ^ bytes[i]) & 0xFF)] ^ (value >>> 8);
    }
    crc = value;
  }

  @Override
  public long getValue() {
    return ~crc;
  }

  @Override
  public void reset() {
    crc = -1L;
  }
}
