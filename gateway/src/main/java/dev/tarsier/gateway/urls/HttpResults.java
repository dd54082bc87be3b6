package dev.tarsier.gateway.urls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/**
 * A function's result as an HTTP response, as Lambda maps it: an object with {@code statusCode} gives
 * the status, headers, cookies and body; any other JSON is a 200 with the JSON as the body.
 */
final class HttpResults {
  private HttpResults() {}

  /** Writes {@code result}; false when it is not a usable response (the caller then answers 502). */
  static boolean write(Buffer result, HttpServerResponse response) {
    Object parsed;
    try {
      parsed = Json.decodeValue(result);
    } catch (DecodeException e) {
      return false;
    }
    if (!(parsed instanceof JsonObject object) || !object.containsKey("statusCode")) {
      response.setStatusCode(200).putHeader("Content-Type", "application/json").end(result);
      return true;
    }
    if (!(object.getValue("statusCode") instanceof Number status) || status.intValue() < 100 || status.intValue() > 599) {
      return false;
    }
    String body = object.getString("body");
    boolean base64 = object.getBoolean("isBase64Encoded", object.getBoolean("base64Encoded", false));
    Buffer bytes;
    try {
      bytes = body == null ? null : base64 ? Buffer.buffer(Base64.getDecoder().decode(body)) : Buffer.buffer(body);
    } catch (IllegalArgumentException e) {
      return false;
    }
    response.setStatusCode(status.intValue());
    JsonObject headers = object.getJsonObject("headers", new JsonObject());
    headers.forEach(header -> response.putHeader(header.getKey(), String.valueOf(header.getValue())));
    JsonArray cookies = object.getJsonArray("cookies", new JsonArray());
    for (int i = 0; i < cookies.size(); i++) {
      response.headers().add("Set-Cookie", cookies.getString(i));
    }
    if (bytes == null) {
      response.end();
    } else {
      response.end(bytes);
    }
    return true;
  }
}
