package dev.tarsier.gateway.urls;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A function URL's CORS settings ({@code AllowOrigins}, {@code AllowMethods}, …) applied to requests. */
final class Cors {
  private final JsonObject settings;

  Cors(JsonObject settings) {
    this.settings = settings;
  }

  boolean isPreflight(HttpServerRequest request) {
    return request.method().name().equals("OPTIONS") && request.getHeader("Origin") != null
        && request.getHeader("Access-Control-Request-Method") != null && !settings.isEmpty();
  }

  /** Answers a preflight: the allowed methods and headers when the origin is allowed, no CORS headers otherwise. */
  void preflight(HttpServerRequest request, HttpServerResponse response) {
    String origin = request.getHeader("Origin");
    if (allows(origin)) {
      response.putHeader("Access-Control-Allow-Origin", allowOriginValue(origin));
      response.putHeader("Access-Control-Allow-Methods", join("AllowMethods", "*"));
      String headers = join("AllowHeaders", null);
      if (headers != null) {
        response.putHeader("Access-Control-Allow-Headers", headers);
      }
      if (settings.getInteger("MaxAge") != null) {
        response.putHeader("Access-Control-Max-Age", settings.getInteger("MaxAge").toString());
      }
      credentials(response);
    }
    response.setStatusCode(200).end();
  }

  /** Adds the CORS headers of an actual request. */
  void decorate(HttpServerRequest request, HttpServerResponse response) {
    String origin = request.getHeader("Origin");
    if (origin == null || settings.isEmpty() || !allows(origin)) {
      return;
    }
    response.putHeader("Access-Control-Allow-Origin", allowOriginValue(origin));
    String expose = join("ExposeHeaders", null);
    if (expose != null) {
      response.putHeader("Access-Control-Expose-Headers", expose);
    }
    credentials(response);
  }

  private boolean allows(String origin) {
    JsonArray origins = settings.getJsonArray("AllowOrigins", new JsonArray());
    return origins.contains("*") || origins.contains(origin);
  }

  private String allowOriginValue(String origin) {
    boolean credentials = settings.getBoolean("AllowCredentials", false);
    return settings.getJsonArray("AllowOrigins", new JsonArray()).contains("*") && !credentials ? "*" : origin;
  }

  private void credentials(HttpServerResponse response) {
    if (settings.getBoolean("AllowCredentials", false)) {
      response.putHeader("Access-Control-Allow-Credentials", "true");
    }
  }

  private String join(String field, String fallback) {
    JsonArray values = settings.getJsonArray(field);
    if (values == null || values.isEmpty()) {
      return fallback;
    }
    return String.join(",", values.stream().map(String::valueOf).toList());
  }
}
