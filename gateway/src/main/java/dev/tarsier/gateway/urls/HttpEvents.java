package dev.tarsier.gateway.urls;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** An HTTP request as API Gateway payload format 2.0, the event a function URL sends. */
final class HttpEvents {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
      .withZone(ZoneOffset.UTC);

  private HttpEvents() {}

  /**
   * @param path    the path the function sees (the part after {@code /_/url/<id>} in the path form)
   * @param query   the raw query string, without {@code ?}
   */
  static JsonObject of(HttpServerRequest request, String path, String query, Buffer body, FunctionUrl url, String region,
      String requestId, Instant now) {
    JsonObject headers = new JsonObject();
    JsonArray cookies = new JsonArray();
    MultiMap all = request.headers();
    for (String name : all.names()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("cookie")) {
        for (String header : all.getAll(name)) {
          for (String cookie : header.split(";")) {
            if (!cookie.isBlank()) {
              cookies.add(cookie.strip());
            }
          }
        }
      } else {
        headers.put(lower, String.join(",", all.getAll(name)));
      }
    }
    String host = url.urlId() + ".lambda-url." + region + ".on.aws";
    JsonObject event = new JsonObject()
        .put("version", "2.0")
        .put("routeKey", "$default")
        .put("rawPath", path)
        .put("rawQueryString", query == null ? "" : query)
        .put("headers", headers);
    if (!cookies.isEmpty()) {
      event.put("cookies", cookies);
    }
    Map<String, String> parameters = queryParameters(query);
    if (!parameters.isEmpty()) {
      event.put("queryStringParameters", new JsonObject(new LinkedHashMap<>(parameters)));
    }
    event.put("requestContext", new JsonObject()
        .put("accountId", "anonymous")
        .put("apiId", url.urlId())
        .put("domainName", host)
        .put("domainPrefix", url.urlId())
        .put("http", new JsonObject()
            .put("method", request.method().name())
            .put("path", path)
            .put("protocol", request.version() == null ? "HTTP/1.1" : request.version().alpnName().equals("h2") ? "HTTP/2" : "HTTP/1.1")
            .put("sourceIp", request.remoteAddress() == null ? "127.0.0.1" : request.remoteAddress().hostAddress())
            .put("userAgent", request.getHeader("User-Agent") == null ? "" : request.getHeader("User-Agent")))
        .put("requestId", requestId)
        .put("routeKey", "$default")
        .put("stage", "$default")
        .put("time", TIME.format(now))
        .put("timeEpoch", now.toEpochMilli()));
    if (body != null && body.length() > 0) {
      boolean text = isText(request.getHeader("Content-Type"));
      event.put("body", text ? body.toString(java.nio.charset.StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body.getBytes()));
      event.put("isBase64Encoded", !text);
    } else {
      event.put("isBase64Encoded", false);
    }
    return event;
  }

  /** Duplicate parameters are joined with commas, as format 2.0 does. */
  private static Map<String, String> queryParameters(String query) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return parameters;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      parameters.merge(name, value, (a, b) -> a + "," + b);
    }
    return parameters;
  }

  private static String decode(String value) {
    try {
      return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return value;
    }
  }

  static boolean isText(String contentType) {
    if (contentType == null) {
      return true;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    return type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.contains("javascript")
        || type.startsWith("application/x-www-form-urlencoded");
  }
}
