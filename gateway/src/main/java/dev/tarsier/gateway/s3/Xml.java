package dev.tarsier.gateway.s3;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes S3's XML responses: a prolog, a root element in S3's namespace, escaped text. Elements are
 * written in call order, so callers follow the order of S3's own documents (some clients care).
 */
final class Xml {
  static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
  /** S3 always writes milliseconds and {@code Z}; some parsers (Joda's in old SDKs) insist. */
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private final StringBuilder out = new StringBuilder(256);

  private Xml() {}

  /** A document whose root element carries S3's namespace. */
  static Xml document(String root) {
    Xml xml = new Xml();
    xml.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(root).append(" xmlns=\"").append(NAMESPACE).append("\">");
    return xml;
  }

  /** A document without a namespace, as S3 writes its error documents. */
  static Xml plainDocument(String root) {
    Xml xml = new Xml();
    xml.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(root).append('>');
    return xml;
  }

  Xml open(String name) {
    out.append('<').append(name).append('>');
    return this;
  }

  Xml close(String name) {
    out.append("</").append(name).append('>');
    return this;
  }

  /** {@code <name>value</name>}; nothing at all when the value is null. */
  Xml element(String name, Object value) {
    if (value == null) {
      return this;
    }
    out.append('<').append(name).append('>');
    escape(String.valueOf(value));
    out.append("</").append(name).append('>');
    return this;
  }

  /** Escaped text inside the element written last. */
  Xml text(String value) {
    if (value != null) {
      escape(value);
    }
    return this;
  }

  Xml time(String name, Instant instant) {
    return element(name, TIME.format(instant));
  }

  /** Ends the document by closing its root. */
  String end(String root) {
    return out.append("</").append(root).append('>').toString();
  }

  private void escape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\r' -> out.append("&#13;");
        default -> out.append(c);
      }
    }
  }
}
