package dev.tarsier.sandbox;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** Lambda's error JSON, {@code {"errorType": .., "errorMessage": ..}}, read and written. */
public final class ErrorBodies {
  private ErrorBodies() {}

  public static Buffer of(String errorType, String errorMessage) {
    return new JsonObject().put("errorType", errorType).put("errorMessage", errorMessage).toBuffer();
  }

  /** The {@code errorType} field of an error body, or {@code fallback} when it has none. */
  static String errorType(Buffer body, String fallback) {
    try {
      String type = new JsonObject(body).getString("errorType");
      return type == null || type.isBlank() ? fallback : type;
    } catch (DecodeException | ClassCastException e) {
      return fallback;
    }
  }
}
