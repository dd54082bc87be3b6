package dev.tarsier.gateway.s3;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** HTTP dates (RFC 7231 IMF-fixdate) for Date, Last-Modified and the conditional request headers. */
final class HttpDates {
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private HttpDates() {}

  static String format(Instant instant) {
    return IMF_FIXDATE.format(instant);
  }

  /** The instant a header names, or null when it is absent or not a date (such headers are ignored, per RFC 7232). */
  static Instant parse(String value) {
    if (value == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
