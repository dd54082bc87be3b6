package dev.tarsier.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsChunkedDecoderTest {
  private static final String SIGNATURE = ";chunk-signature=" + "0a".repeat(32);

  @Test
  void decodesSignedChunksWithTrailersFedOneByteAtATime() {
    String encoded = "5" + SIGNATURE + "\r\nhello\r\n6" + SIGNATURE + "\r\n world\r\n0" + SIGNATURE + "\r\n"
        + "x-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:" + "1b".repeat(32) + "\r\n\r\n";
    Buffer out = Buffer.buffer();
    AwsChunkedDecoder decoder = new AwsChunkedDecoder(out::appendBuffer);
    for (byte b : encoded.getBytes(StandardCharsets.US_ASCII)) {
      decoder.accept(Buffer.buffer(new byte[] {b}));
    }
    Map<String, String> trailers = decoder.finish();
    assertThat(out.toString()).isEqualTo("hello world");
    assertThat(trailers).containsEntry("x-amz-checksum-crc32", "DUoRhQ==");
  }

  @Test
  void acceptsABodyWithoutTheFinalEmptyLine() {
    Buffer out = Buffer.buffer();
    AwsChunkedDecoder decoder = new AwsChunkedDecoder(out::appendBuffer);
    decoder.accept(Buffer.buffer("3\r\nabc\r\n0\r\n"));
    assertThat(decoder.finish()).isEmpty();
    assertThat(out.toString()).isEqualTo("abc");
  }

  @Test
  void refusesMalformedOrCutShortFraming() {
    assertThatThrownBy(() -> new AwsChunkedDecoder(b -> {}).accept(Buffer.buffer("zz\r\n"))).isInstanceOf(S3Exception.class);
    assertThatThrownBy(() -> new AwsChunkedDecoder(b -> {}).accept(Buffer.buffer("2\r\nabc\r\n"))).isInstanceOf(S3Exception.class);
    AwsChunkedDecoder cut = new AwsChunkedDecoder(b -> {});
    cut.accept(Buffer.buffer("10\r\nabc"));
    assertThatThrownBy(cut::finish).isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error).isEqualTo(S3Error.INCOMPLETE_BODY));
  }
}
