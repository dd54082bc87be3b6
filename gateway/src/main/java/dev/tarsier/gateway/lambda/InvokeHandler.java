package dev.tarsier.gateway.lambda;

import dev.tarsier.invoker.InvokeRequest;
import dev.tarsier.invoker.Invoker;
import dev.tarsier.invoker.Trigger;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code POST /2015-03-31/functions/{name}/invocations}: Invoke, with Lambda's headers both ways. */
final class InvokeHandler implements Handler<RoutingContext> {
  private final Invoker invoker;

  InvokeHandler(Invoker invoker) {
    this.invoker = invoker;
  }

  @Override
  public void handle(RoutingContext ctx) {
    InvokeRequest.Type type = switch (String.valueOf(ctx.request().getHeader("X-Amz-Invocation-Type"))) {
      case "null", "RequestResponse" -> InvokeRequest.Type.REQUEST_RESPONSE;
      case "Event" -> InvokeRequest.Type.EVENT;
      case "DryRun" -> InvokeRequest.Type.DRY_RUN;
      default -> null;
    };
    if (type == null) {
      LambdaErrors.invalid(ctx, "X-Amz-Invocation-Type must be RequestResponse, Event or DryRun");
      return;
    }
    String clientContext = ctx.request().getHeader("X-Amz-Client-Context");
    String decodedContext;
    try {
      decodedContext = clientContext == null ? null : new String(Base64.getDecoder().decode(clientContext), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      LambdaErrors.invalid(ctx, "X-Amz-Client-Context must be base64");
      return;
    }
    Buffer payload = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    boolean tail = "Tail".equals(ctx.request().getHeader("X-Amz-Log-Type"));
    // The console marks its test runs so that the history can tell them from API calls.
    Trigger trigger = type == InvokeRequest.Type.EVENT ? Trigger.EVENT
        : "console".equals(ctx.request().getHeader("X-Tarsier-Trigger")) ? Trigger.CONSOLE : Trigger.API;
    InvokeRequest request = new InvokeRequest(FunctionHandlers.name(ctx), payload, type, tail, decodedContext, trigger);
    invoker.invoke(request).onComplete(done -> {
      if (done.failed()) {
        LambdaErrors.send(ctx, done.cause());
        return;
      }
      var result = done.result();
      HttpServerResponse response = ctx.response()
          .setStatusCode(result.statusCode())
          .putHeader("x-amzn-RequestId", result.requestId())
          .putHeader("X-Amz-Executed-Version", "$LATEST");
      if (result.functionError() != null) {
        response.putHeader("X-Amz-Function-Error", result.functionError());
      }
      if (result.logResult() != null) {
        response.putHeader("X-Amz-Log-Result", result.logResult());
      }
      if (result.statusCode() == 200) {
        response.putHeader("Content-Type", "application/json").end(result.payload());
      } else {
        response.end();
      }
    });
  }
}
