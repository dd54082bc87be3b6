package dev.tarsier.gateway.lambda;

import dev.tarsier.invoker.LambdaFailure;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lambda's error shape, for every failure the invoker can report: the status, {@code x-amzn-ErrorType},
 * and {@code {"Type", "Message"}}. One exhaustive switch, so a new failure cannot be forgotten.
 */
final class LambdaErrors {
  private static final Logger LOG = Logger.getLogger(LambdaErrors.class.getName());

  private LambdaErrors() {}

  static void send(RoutingContext ctx, Throwable failure) {
    if (!(failure instanceof LambdaFailure lambdaFailure)) {
      LOG.log(Level.WARNING, "unexpected failure on " + ctx.request().path(), failure);
      write(ctx, 500, "ServiceException", "Service", "internal error: " + failure, null);
      return;
    }
    switch (lambdaFailure) {
      case LambdaFailure.ResourceNotFound f -> write(ctx, 404, "ResourceNotFoundException", "User", f.getMessage(), null);
      case LambdaFailure.ResourceConflict f -> write(ctx, 409, "ResourceConflictException", "User", f.getMessage(), null);
      case LambdaFailure.InvalidParameterValue f -> write(ctx, 400, "InvalidParameterValueException", "User", f.getMessage(), null);
      case LambdaFailure.RequestEntityTooLarge f -> write(ctx, 413, "RequestEntityTooLargeException", "User", f.getMessage(), null);
      case LambdaFailure.TooManyRequests f -> write(ctx, 429, "TooManyRequestsException", "User", f.getMessage(), f.reason());
      case LambdaFailure.ServiceFailure f -> {
        LOG.log(Level.WARNING, "service failure on " + ctx.request().path(), f);
        write(ctx, 500, "ServiceException", "Service", f.getMessage(), null);
      }
    }
  }

  /** A request the gateway itself rejects before it reaches the invoker. */
  static void invalid(RoutingContext ctx, String message) {
    write(ctx, 400, "InvalidParameterValueException", "User", message, null);
  }

  static void write(RoutingContext ctx, int status, String errorType, String type, String message, String reason) {
    JsonObject body = new JsonObject().put("Type", type).put("Message", message).put("message", message);
    if (reason != null) {
      body.put("Reason", reason);
    }
    HttpServerResponse response = ctx.response();
    if (response.ended()) {
      return;
    }
    response.setStatusCode(status)
        .putHeader("x-amzn-ErrorType", errorType)
        .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
