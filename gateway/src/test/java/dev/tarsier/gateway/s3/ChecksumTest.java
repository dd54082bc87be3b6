package dev.tarsier.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ChecksumTest {
  private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

  @Test
  void crc64NvmeMatchesTheCatalogueCheckValue() {
    Crc64Nvme crc = new Crc64Nvme();
    crc.update(CHECK, 0, CHECK.length);
    assertThat(crc.getValue()).isEqualTo(0xAE8B14860A799888L);
  }

  @Test
  void valuesAreBase64OfBigEndianDigests() {
    assertThat(digest(Checksum.CRC32)).isEqualTo(Base64.getEncoder().encodeToString(new byte[] {(byte) 0xCB, (byte) 0xF4, 0x39, 0x26}));
    assertThat(digest(Checksum.CRC32C)).isEqualTo(Base64.getEncoder().encodeToString(new byte[] {(byte) 0xE3, 0x06, (byte) 0x92, (byte) 0x83}));
    assertThat(Base64.getDecoder().decode(digest(Checksum.CRC64NVME))).hasSize(8);
  }

  @Test
  void headersAndAlgorithmNamesMapToTheSameChecksum() {
    assertThat(Checksum.ofHeader("X-Amz-Checksum-CRC32C")).isEqualTo(Checksum.CRC32C);
    assertThat(Checksum.ofHeader("x-amz-checksum-mode")).isNull();
    assertThat(Checksum.ofAlgorithm("sha256")).isEqualTo(Checksum.SHA256);
  }

  private static String digest(Checksum checksum) {
    Checksum.Digest digest = checksum.start();
    digest.update(CHECK, 0, CHECK.length);
    return Base64.getEncoder().encodeToString(digest.finish());
  }
}
