package dev.tarsier.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
  @Test
  void parsesClosedOpenAndSuffixRanges() {
    assertThat(ByteRange.parse("bytes=0-9", 100)).isEqualTo(new ByteRange(0, 9));
    assertThat(ByteRange.parse("bytes=90-", 100)).isEqualTo(new ByteRange(90, 99));
    assertThat(ByteRange.parse("bytes=-10", 100)).isEqualTo(new ByteRange(90, 99));
    assertThat(ByteRange.parse("bytes=-1000", 100)).isEqualTo(new ByteRange(0, 99));
    assertThat(ByteRange.parse("bytes=50-1000", 100)).isEqualTo(new ByteRange(50, 99));
  }

  @Test
  void ignoresWhatIsNotASingleByteRange() {
    assertThat(ByteRange.parse(null, 100)).isNull();
    assertThat(ByteRange.parse("items=0-1", 100)).isNull();
    assertThat(ByteRange.parse("bytes=0-1,5-6", 100)).isNull();
    assertThat(ByteRange.parse("bytes=9-3", 100)).isNull();
    assertThat(ByteRange.parse("bytes=x-", 100)).isNull();
  }

  @Test
  void startsPastTheEndAreInvalidRange() {
    assertThatThrownBy(() -> ByteRange.parse("bytes=100-", 100))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.headers).containsEntry("Content-Range", "bytes */100"));
    assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 100)).isInstanceOf(S3Exception.class);
    assertThatThrownBy(() -> ByteRange.parse("bytes=0-", 0)).isInstanceOf(S3Exception.class);
  }
}
