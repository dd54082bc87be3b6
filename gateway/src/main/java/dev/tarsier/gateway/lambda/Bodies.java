package dev.tarsier.gateway.lambda;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** JSON request bodies and replies of the Lambda API, with Lambda's error shape on failure. */
final class Bodies {
  private Bodies() {}

  /** The body as a JSON object, or null after answering 400 when it is not one. */
  static JsonObject json(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        LambdaErrors.invalid(ctx, "The request body must be a JSON object");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      LambdaErrors.invalid(ctx, "The request body is not valid JSON: " + e.getMessage());
      return null;
    }
  }

  static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onComplete(done -> {
      if (done.succeeded()) {
        ctx.response()
            .setStatusCode(status)
            .putHeader("Content-Type", "application/json")
            .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
            .end(done.result().encode());
      } else {
        LambdaErrors.send(ctx, done.cause());
      }
    });
  }

  static void noContent(RoutingContext ctx, Future<Void> result) {
    result.onComplete(done -> {
      if (done.succeeded()) {
        ctx.response().setStatusCode(204).putHeader("x-amzn-RequestId", UUID.randomUUID().toString()).end();
      } else {
        LambdaErrors.send(ctx, done.cause());
      }
    });
  }
}
