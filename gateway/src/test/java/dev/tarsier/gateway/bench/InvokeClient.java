package dev.tarsier.gateway.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;

/**
 * Lambda's Invoke over loopback with a lean keep-alive client: the load generator, in the same process as
 * the platform (as the benchmark's targets assume). The platform does not check signatures, and the
 * SDK's own signing and marshalling cost is not what this measures.
 *
 * <p>Every request is issued on one Vert.x context: requests issued from a plain thread each get a new
 * context, and Vert.x 5.0.7's client then now and then never completes one (seen in about one in
 * 20,000 round trips on this machine).
 */
final class InvokeClient implements AutoCloseable {
  private final HttpClient client;
  private final Context context;
  private final int port;

  InvokeClient(Vertx vertx, int port, int connections) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(connections));
    this.context = vertx.getOrCreateContext();
    this.port = port;
  }

  /** Runs {@code request} on the client's context. */
  static <T> Future<T> on(Context context, java.util.function.Supplier<Future<T>> request) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> request.get().onComplete(promise));
    return promise.future();
  }

  /** Invokes {@code function}; fails unless the function answered without an error. */
  Future<Buffer> invoke(String function, String payload) {
    return on(context, () -> send(function, payload));
  }

  private Future<Buffer> send(String function, String payload) {
    return client.request(HttpMethod.POST, port, "127.0.0.1", "/2015-03-31/functions/" + function + "/invocations")
        .compose(request -> request.send(payload))
        .compose(response -> response.body().compose(body -> response.statusCode() == 200 && response.getHeader("X-Amz-Function-Error") == null
            ? Future.succeededFuture(body)
            : Future.failedFuture("invoke of " + function + " answered " + response.statusCode() + ": " + body)));
  }

  /** Invokes {@code function} asking for the tail of its log, and returns that log. */
  Future<String> invokeWithLog(String function, String payload) {
    return on(context, () -> client.request(HttpMethod.POST, port, "127.0.0.1", "/2015-03-31/functions/" + function + "/invocations")
        .compose(request -> request.putHeader("X-Amz-Log-Type", "Tail").send(payload))
        .compose(response -> response.body().compose(body -> response.statusCode() == 200 && response.getHeader("X-Amz-Function-Error") == null
            ? Future.succeededFuture(new String(java.util.Base64.getDecoder().decode(response.getHeader("X-Amz-Log-Result")),
                java.nio.charset.StandardCharsets.UTF_8))
            : Future.failedFuture("invoke of " + function + " answered " + response.statusCode() + ": " + body))));
  }

  @Override
  public void close() {
    client.close();
  }
}
