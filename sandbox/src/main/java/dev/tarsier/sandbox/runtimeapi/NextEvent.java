package dev.tarsier.sandbox.runtimeapi;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The answer to a runtime's {@code GET /next}: the event as the body and Lambda's headers around it
 * (request id, deadline, function ARN, trace id, content type, and the client context when there is one).
 */
public record NextEvent(String requestId, long deadlineEpochMillis, String functionArn, String traceId, String contentType,
    String clientContext, Buffer payload) {

  /** Writes the event on the parked {@code /next} response; the future fails if the connection broke meanwhile. */
  public Future<Void> writeTo(HttpServerResponse next) {
    next.closeHandler(null);
    next.setStatusCode(200)
        .putHeader("Lambda-Runtime-Aws-Request-Id", requestId)
        .putHeader("Lambda-Runtime-Deadline-Ms", Long.toString(deadlineEpochMillis))
        .putHeader("Lambda-Runtime-Invoked-Function-Arn", functionArn)
        .putHeader("Lambda-Runtime-Trace-Id", traceId)
        .putHeader("Content-Type", contentType == null ? "application/json" : contentType);
    // Only set when present: the runtimes treat an empty client context as a malformed one.
    if (clientContext != null) {
      next.putHeader("Lambda-Runtime-Client-Context", clientContext);
    }
    return next.end(payload);
  }
}
