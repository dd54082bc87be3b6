package dev.tarsier.gateway.urls;

import dev.tarsier.invoker.InvokeRequest;
import dev.tarsier.invoker.Invoker;
import dev.tarsier.invoker.LambdaFailure;
import dev.tarsier.invoker.Trigger;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.UUID;

/**
 * The data plane of function URLs: finds the URL by host or path, answers CORS preflights, turns the
 * request into a payload-format-2.0 event, invokes synchronously and maps the result back. A function
 * error or an unusable result is a 502, as Lambda answers.
 */
final class FunctionUrlEndpoint {
  private static final long MAX_BODY = 6L * 1024 * 1024;

  private final Invoker invoker;
  private final FunctionUrlStore store;
  private final Clock clock;
  private final String region;

  FunctionUrlEndpoint(Invoker invoker, FunctionUrlStore store, Clock clock, String region) {
    this.invoker = invoker;
    this.store = store;
    this.clock = clock;
    this.region = region;
  }

  /** {@code <url-id>.lambda-url.<region>.localhost}: anything else passes on to the next route. */
  void byHost(RoutingContext ctx) {
    String host = ctx.request().authority() == null ? null : ctx.request().authority().host();
    int marker = host == null ? -1 : host.indexOf(".lambda-url.");
    if (marker <= 0) {
      ctx.next();
      return;
    }
    serve(ctx, host.substring(0, marker), ctx.request().path());
  }

  /** {@code /_/url/<url-id>/rest/of/path}: the function sees {@code /rest/of/path}. */
  void byPath(RoutingContext ctx) {
    String urlId = ctx.pathParam("urlId");
    String path = ctx.request().path().substring(("/_/url/" + urlId).length());
    serve(ctx, urlId, path.isEmpty() ? "/" : path);
  }

  private void serve(RoutingContext ctx, String urlId, String path) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    FunctionUrl url = store.byUrlId(urlId).orElse(null);
    if (url == null) {
      message(response, 404, "Not Found");
      return;
    }
    if (url.authType().equals("AWS_IAM") && !String.valueOf(request.getHeader("Authorization")).startsWith("AWS4-HMAC-SHA256")) {
      message(response, 403, "Forbidden");
      return;
    }
    Cors cors = new Cors(url.cors());
    if (cors.isPreflight(request)) {
      cors.preflight(request, response);
      return;
    }
    String length = request.getHeader("Content-Length");
    if (length != null && parse(length) > MAX_BODY) {
      message(response, 413, "Request Entity Too Large");
      return;
    }
    request.body().onComplete(read -> {
      if (read.failed() || read.result().length() > MAX_BODY) {
        message(response, read.failed() ? 400 : 413, read.failed() ? "Bad Request" : "Request Entity Too Large");
        return;
      }
      String requestId = UUID.randomUUID().toString();
      JsonObject event = HttpEvents.of(request, path, request.query(), read.result(), url, region, requestId, clock.instant());
      invoker.invoke(new InvokeRequest(url.function(), event.toBuffer(), InvokeRequest.Type.REQUEST_RESPONSE, false, null, Trigger.URL))
          .onComplete(done -> {
            response.putHeader("x-amzn-RequestId", requestId);
            cors.decorate(request, response);
            if (done.failed()) {
              failed(response, done.cause());
            } else if (done.result().functionError() != null || !HttpResults.write(done.result().payload(), response)) {
              message(response, 502, "Internal Server Error");
            }
          });
    });
  }

  private static void failed(HttpServerResponse response, Throwable failure) {
    switch (failure) {
      case LambdaFailure.TooManyRequests t -> message(response, 429, "Too Many Requests");
      case LambdaFailure.ResourceNotFound n -> message(response, 404, "Not Found");
      case LambdaFailure.RequestEntityTooLarge l -> message(response, 413, "Request Entity Too Large");
      default -> message(response, 502, "Internal Server Error");
    }
  }

  private static void message(HttpServerResponse response, int status, String message) {
    if (!response.ended()) {
      response.setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("Message", message).encode());
    }
  }

  private static long parse(String length) {
    try {
      return Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
