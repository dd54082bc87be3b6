package dev.tarsier.gateway.s3;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure the client caused or should see, in S3's terms. Carries the extra elements S3 puts in its
 * error document (Key, BucketName, Condition, ActualObjectSize ...) so a debugging user sees them too.
 * No stack trace: these are answers, not bugs, and uploads raise them on hot paths.
 */
final class S3Exception extends RuntimeException {
  final S3Error error;
  final Map<String, String> details = new LinkedHashMap<>();
  /** Response headers that belong to this error, such as {@code Content-Range} on InvalidRange. */
  final Map<String, String> headers = new LinkedHashMap<>();

  S3Exception(S3Error error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  S3Exception with(String element, Object value) {
    if (value != null) {
      details.put(element, String.valueOf(value));
    }
    return this;
  }

  S3Exception header(String name, String value) {
    headers.put(name, value);
    return this;
  }
}
