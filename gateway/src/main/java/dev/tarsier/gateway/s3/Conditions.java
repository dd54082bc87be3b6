package dev.tarsier.gateway.s3;

import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Conditional request headers, evaluated in RFC 7232's order, which is also S3's: If-Match, else
 * If-Unmodified-Since (412 when false); then If-None-Match, else If-Modified-Since (304 when false
 * for GET and HEAD). Dates compare at whole seconds, since Last-Modified goes out that way.
 */
final class Conditions {
  private Conditions() {}

  enum Outcome { PROCEED, NOT_MODIFIED }

  /** For GetObject and HeadObject; raises PreconditionFailed, answers NOT_MODIFIED for a 304. */
  static Outcome forRead(MultiMap headers, String eTag, Instant lastModified) {
    return evaluate(headers, "", eTag, lastModified, false);
  }

  /** For the {@code x-amz-copy-source-if-*} headers of CopyObject and UploadPartCopy: every failure is a 412. */
  static void forCopySource(MultiMap headers, String eTag, Instant lastModified) {
    evaluate(headers, "x-amz-copy-source-", eTag, lastModified, true);
  }

  private static Outcome evaluate(MultiMap headers, String prefix, String eTag, Instant lastModified, boolean copy) {
    Instant modified = lastModified.truncatedTo(ChronoUnit.SECONDS);
    String ifMatch = headers.get(prefix + "If-Match");
    if (ifMatch != null) {
      if (!matches(ifMatch, eTag)) {
        throw failed(prefix + "If-Match");
      }
    } else {
      Instant unmodifiedSince = HttpDates.parse(headers.get(prefix + "If-Unmodified-Since"));
      if (unmodifiedSince != null && modified.isAfter(unmodifiedSince)) {
        throw failed(prefix + "If-Unmodified-Since");
      }
    }
    String ifNoneMatch = headers.get(prefix + "If-None-Match");
    if (ifNoneMatch != null) {
      if (matches(ifNoneMatch, eTag)) {
        return notModified(copy, prefix + "If-None-Match");
      }
    } else {
      Instant modifiedSince = HttpDates.parse(headers.get(prefix + "If-Modified-Since"));
      if (modifiedSince != null && !modified.isAfter(modifiedSince)) {
        return notModified(copy, prefix + "If-Modified-Since");
      }
    }
    return Outcome.PROCEED;
  }

  private static Outcome notModified(boolean copy, String header) {
    if (copy) {
      throw failed(header);
    }
    return Outcome.NOT_MODIFIED;
  }

  /** Whether an If-Match / If-None-Match list names this ETag (or is {@code *}). */
  static boolean matches(String list, String eTag) {
    for (String candidate : list.split(",")) {
      String tag = candidate.strip();
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals("*") || unquote(tag).equals(eTag)) {
        return true;
      }
    }
    return false;
  }

  static String unquote(String tag) {
    String stripped = tag.strip();
    return stripped.length() >= 2 && stripped.startsWith("\"") && stripped.endsWith("\"")
        ? stripped.substring(1, stripped.length() - 1)
        : stripped;
  }

  private static S3Exception failed(String header) {
    return S3Error.PRECONDITION_FAILED.exception().with("Condition", header);
  }
}
