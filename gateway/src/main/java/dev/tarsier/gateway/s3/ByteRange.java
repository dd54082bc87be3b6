package dev.tarsier.gateway.s3;

/**
 * A satisfiable byte range of an object, from a {@code Range: bytes=a-b | a- | -n} header. Like S3, a
 * header that is not a single well-formed byte range is ignored (the whole object is sent), and a range
 * that starts past the end is InvalidRange (416) with {@code Content-Range: bytes * /size}.
 */
record ByteRange(long start, long end) {

  long length() {
    return end - start + 1;
  }

  String contentRange(long size) {
    return "bytes " + start + "-" + end + "/" + size;
  }

  /** The range asked for, or null for the whole object. */
  static ByteRange parse(String header, long size) {
    if (header == null) {
      return null;
    }
    String value = header.strip();
    if (!value.startsWith("bytes=") || value.indexOf(',') >= 0) {
      return null;
    }
    String spec = value.substring("bytes=".length()).strip();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    Long first = number(spec.substring(0, dash));
    Long last = number(spec.substring(dash + 1));
    if (first == null) {
      if (last == null) {
        return null;
      }
      if (last == 0 || size == 0) {
        throw unsatisfiable(header, size);
      }
      return new ByteRange(Math.max(0, size - last), size - 1);
    }
    if (last != null && last < first) {
      return null;
    }
    if (first >= size) {
      throw unsatisfiable(header, size);
    }
    return new ByteRange(first, last == null ? size - 1 : Math.min(last, size - 1));
  }

  private static Long number(String text) {
    String digits = text.strip();
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
      return null;
    }
    return Long.parseLong(digits);
  }

  private static S3Exception unsatisfiable(String header, long size) {
    return S3Error.INVALID_RANGE.exception()
        .with("RangeRequested", header)
        .with("ActualObjectSize", size)
        .header("Content-Range", "bytes */" + size);
  }
}
