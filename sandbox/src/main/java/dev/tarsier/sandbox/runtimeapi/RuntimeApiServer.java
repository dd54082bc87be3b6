package dev.tarsier.sandbox.runtimeapi;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The Lambda Runtime API (2018-06-01) for exactly one sandbox, on its own loopback port: the runtime is
 * known by the address it was given ({@code AWS_LAMBDA_RUNTIME_API} is a bare {@code host:port}), never by
 * anything it sends. Sandboxes share the host's network, so any process could find the port; each new
 * connection is first put to a {@link Peers} check, and one that does not come from the sandbox is
 * refused before it can take an event or answer one. Start it on the context that owns the sandbox;
 * every call reaches the listener there.
 */
public final class RuntimeApiServer {
  /** Lambda's limit on a response: 6 MiB plus a little framing. */
  public static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;
  private static final String PREFIX = "/2018-06-01/runtime/";
  private static final String ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type";

  private final Vertx vertx;
  private final RuntimeApiListener listener;
  private final Peers peers;
  /** Each open connection's verdict: whether it comes from the sandbox. */
  private final Map<HttpConnection, Future<Boolean>> admitted = new HashMap<>();
  private HttpServer server;

  /** Decides whether the connection from {@code 127.0.0.1:clientPort} to this server comes from the sandbox. */
  @FunctionalInterface
  public interface Peers {
    Future<Boolean> admit(int clientPort, int serverPort);
  }

  public RuntimeApiServer(Vertx vertx, RuntimeApiListener listener, Peers peers) {
    this.vertx = vertx;
    this.listener = listener;
    this.peers = peers;
  }

  /** Listens on 127.0.0.1 at a free port and returns the {@code host:port} to give the runtime. */
  public Future<String> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true))
        .connectionHandler(this::vet)
        .requestHandler(this::admitThenRoute)
        .listen()
        .map(listening -> {
          server = listening;
          return "127.0.0.1:" + listening.actualPort();
        });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void vet(HttpConnection connection) {
    Future<Boolean> verdict = peers.admit(connection.remoteAddress().port(), connection.localAddress().port())
        .otherwise(false);
    admitted.put(connection, verdict);
    connection.closeHandler(closed -> admitted.remove(connection));
  }

  /** Requests on an admitted connection go straight through; the first ones on a new connection wait for its verdict. */
  private void admitThenRoute(HttpServerRequest request) {
    Future<Boolean> verdict = admitted.getOrDefault(request.connection(), Future.succeededFuture(false));
    if (verdict.isComplete()) {
      routeIf(verdict.result(), request);
      return;
    }
    request.pause();
    verdict.onComplete(decided -> {
      request.resume();
      routeIf(decided.result(), request);
    });
  }

  private void routeIf(boolean admitted, HttpServerRequest request) {
    if (admitted) {
      route(request);
      return;
    }
    request.response().putHeader("Connection", "close");
    reply(request, 403, "Forbidden", "this Runtime API belongs to another sandbox").onComplete(sent -> request.connection().close());
  }

  private void route(HttpServerRequest request) {
    String path = request.path();
    if (!path.startsWith(PREFIX)) {
      reply(request, 404, "NotFound", "unknown path " + path);
      return;
    }
    String[] parts = path.substring(PREFIX.length()).split("/");
    if (request.method() == HttpMethod.GET && parts.length == 2 && parts[0].equals("invocation") && parts[1].equals("next")) {
      next(request);
    } else if (request.method() == HttpMethod.POST && parts.length == 3 && parts[0].equals("invocation")) {
      String requestId = parts[1];
      switch (parts[2]) {
        case "response" -> withBody(request, body -> listener.responded(requestId, body));
        case "error" -> withBody(request, body -> listener.failed(requestId, errorType(request), body));
        default -> reply(request, 404, "NotFound", "unknown path " + path);
      }
    } else if (request.method() == HttpMethod.POST && parts.length == 2 && parts[0].equals("init") && parts[1].equals("error")) {
      request.body().onSuccess(body -> {
        if (listener.initFailed(errorType(request), body)) {
          accepted(request);
        } else {
          reply(request, 403, "InvalidStateTransition", "State transition from Ready to InitError failed for runtime");
        }
      });
    } else {
      reply(request, 404, "NotFound", "unknown path " + path);
    }
  }

  private void next(HttpServerRequest request) {
    var response = request.response();
    // A runtime that dies while parked must not take the next event with it.
    response.closeHandler(closed -> listener.nextAbandoned(response));
    listener.nextRequested(response);
  }

  private interface BodyConsumer {
    boolean accept(Buffer body);
  }

  private void withBody(HttpServerRequest request, BodyConsumer consumer) {
    request.body().onSuccess(body -> {
      if (body.length() > MAX_RESPONSE_BYTES) {
        reply(request, 413, "RequestEntityTooLarge", "Exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes).");
      } else if (consumer.accept(body)) {
        accepted(request);
      } else {
        reply(request, 400, "InvalidRequestID", "Invalid request ID");
      }
    });
  }

  private static String errorType(HttpServerRequest request) {
    String type = request.getHeader(ERROR_TYPE_HEADER);
    return type == null || type.isBlank() ? null : type;
  }

  private static void accepted(HttpServerRequest request) {
    request.response().setStatusCode(202).putHeader("Content-Type", "application/json").end("{\"status\":\"OK\"}");
  }

  private static Future<Void> reply(HttpServerRequest request, int status, String errorType, String message) {
    return request.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("errorType", errorType).put("errorMessage", message).encode());
  }
}
