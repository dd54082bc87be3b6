package dev.tarsier.gateway;

import dev.tarsier.gateway.lambda.LambdaApi;
import dev.tarsier.gateway.s3.ObjectEvents;
import dev.tarsier.gateway.s3.S3Api;
import dev.tarsier.invoker.EmbeddedInvoker;
import dev.tarsier.invoker.InvokerConfig;
import dev.tarsier.invoker.store.StateStore;
import dev.tarsier.sandbox.SandboxConfig;
import dev.tarsier.sandbox.WarmPool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;

/**
 * The whole platform in one process: the warm pool, the invoker, and the edge HTTP server that
 * serves every API on one port. {@link #start} wires them; {@link #close} stops them, destroying
 * every sandbox.
 */
public final class Platform {
  private final Vertx vertx;
  private final WarmPool pool;
  private final StateStore store;
  private final HttpServer server;

  private Platform(Vertx vertx, WarmPool pool, StateStore store, HttpServer server) {
    this.vertx = vertx;
    this.pool = pool;
    this.store = store;
    this.server = server;
  }

  private static Future<Void> closeQuietly(Vertx vertx, StateStore store) {
    return vertx.executeBlocking(() -> {
      store.close();
      return null;
    });
  }

  public static Future<Platform> start(Vertx vertx, GatewayConfig config) {
    Clock clock = Clock.systemUTC();
    InvokerConfig invokerConfig = InvokerConfig.defaults(config.dataDir());
    SandboxConfig sandboxConfig = SandboxConfig.defaults(config.dataDir()).withKeepAlive(config.keepAlive());
    return vertx.executeBlocking(() -> StateStore.open(config.dataDir().resolve("state.db"))).compose(store ->
        WarmPool.create(vertx, sandboxConfig, clock).compose(pool ->
        EmbeddedInvoker.start(vertx, invokerConfig, pool, clock, store).compose(invoker -> {
          Router router = Router.router(vertx);
          router.get("/_/health").handler(ctx -> ctx.json(new JsonObject()
              .put("status", "ok")
              .put("isolation", pool.isolation())
              .put("runtimes", invoker.runtimes())));
          LambdaApi.mount(router, invoker, invokerConfig);
          return S3Api.mount(router, vertx, store, config.dataDir(), ObjectEvents.NONE).compose(s3 -> vertx.createHttpServer(new HttpServerOptions()
                  .setHost(config.host())
                  .setPort(config.port())
                  .setHandle100ContinueAutomatically(true)
                  .setTcpNoDelay(true))
              .requestHandler(router)
              .listen()
              .map(server -> new Platform(vertx, pool, store, server)));
        }).recover(failure -> pool.close().transform(ignored -> Future.failedFuture(failure))))
        .recover(failure -> closeQuietly(vertx, store).transform(ignored -> Future.failedFuture(failure))));
  }

  /** The edge port actually bound (useful when configured as 0). */
  public int port() {
    return server.actualPort();
  }

  public WarmPool pool() {
    return pool;
  }

  /** Stops taking requests, then destroys every sandbox. */
  public Future<Void> close() {
    return server.close().transform(ignored -> pool.close()).transform(ignored -> closeQuietly(vertx, store));
  }
}
