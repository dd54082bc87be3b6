package dev.tarsier.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListingTest {
  @Test
  void successorIsTheLeastStringAfterEveryStringWithThePrefix() {
    assertThat(Listing.successor("docs/")).isEqualTo("docs0");
    assertThat(Listing.successor("a\uD7FF")).isEqualTo("a\uE000");
    assertThat(Listing.successor("x" + new String(Character.toChars(0x1F600)))).isEqualTo("x" + new String(Character.toChars(0x1F601)));
    assertThat(Listing.successor(new String(Character.toChars(Character.MAX_CODE_POINT)))).isNull();
  }

  @Test
  void comparesInUtf8ByteOrderNotUtf16Order() {
    String supplementary = new String(Character.toChars(0x1F600));
    assertThat("\uFF5E".compareTo(supplementary)).as("UTF-16 puts the surrogate pair first").isPositive();
    assertThat(Listing.compareUtf8("\uFF5E", supplementary)).isNegative();
    assertThat(Listing.compareUtf8("abc", "abd")).isNegative();
    assertThat(Listing.compareUtf8("ab", "abc")).isNegative();
    assertThat(Listing.compareUtf8("", "")).isZero();
  }
}
