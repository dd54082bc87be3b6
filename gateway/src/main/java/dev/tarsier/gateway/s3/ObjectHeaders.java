package dev.tarsier.gateway.s3;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The headers an object keeps and returns on GET and HEAD: its content headers and its user metadata
 * ({@code x-amz-meta-*}, names lower-cased as S3 does). Stored as one JSON column.
 */
record ObjectHeaders(String contentType, String cacheControl, String contentDisposition, String contentEncoding,
                     String contentLanguage, String expires, Map<String, String> userMetadata) {
  /** What S3 answers when an upload named no Content-Type. */
  static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
  private static final String META = "x-amz-meta-";

  static ObjectHeaders from(MultiMap headers) {
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(META) && name.length() > META.length()) {
        metadata.merge(name.substring(META.length()), header.getValue(), (a, b) -> a + "," + b);
      }
    }
    String contentType = headers.get("Content-Type");
    return new ObjectHeaders(contentType == null ? DEFAULT_CONTENT_TYPE : contentType, headers.get("Cache-Control"),
        headers.get("Content-Disposition"), withoutAwsChunked(headers.get("Content-Encoding")),
        headers.get("Content-Language"), headers.get("Expires"), metadata);
  }

  /** aws-chunked describes the upload's framing, not the object, so S3 drops it from what it stores. */
  private static String withoutAwsChunked(String contentEncoding) {
    if (contentEncoding == null) {
      return null;
    }
    String kept = Arrays.stream(contentEncoding.split(","))
        .map(String::strip)
        .filter(coding -> !coding.isEmpty() && !coding.equalsIgnoreCase("aws-chunked"))
        .collect(Collectors.joining(","));
    return kept.isEmpty() ? null : kept;
  }

  void writeTo(MultiMap response) {
    put(response, "Content-Type", contentType);
    put(response, "Cache-Control", cacheControl);
    put(response, "Content-Disposition", contentDisposition);
    put(response, "Content-Encoding", contentEncoding);
    put(response, "Content-Language", contentLanguage);
    put(response, "Expires", expires);
    userMetadata.forEach((name, value) -> response.set(META + name, value));
  }

  private static void put(MultiMap response, String name, String value) {
    if (value != null) {
      response.set(name, value);
    }
  }

  String toJson() {
    JsonObject json = new JsonObject()
        .put("contentType", contentType)
        .put("cacheControl", cacheControl)
        .put("contentDisposition", contentDisposition)
        .put("contentEncoding", contentEncoding)
        .put("contentLanguage", contentLanguage)
        .put("expires", expires);
    JsonObject metadata = new JsonObject();
    userMetadata.forEach(metadata::put);
    return json.put("metadata", metadata).encode();
  }

  static ObjectHeaders fromJson(String text) {
    JsonObject json = new JsonObject(text);
    Map<String, String> metadata = new LinkedHashMap<>();
    json.getJsonObject("metadata", new JsonObject()).forEach(entry -> metadata.put(entry.getKey(), String.valueOf(entry.getValue())));
    return new ObjectHeaders(json.getString("contentType"), json.getString("cacheControl"),
        json.getString("contentDisposition"), json.getString("contentEncoding"), json.getString("contentLanguage"),
        json.getString("expires"), metadata);
  }
}
