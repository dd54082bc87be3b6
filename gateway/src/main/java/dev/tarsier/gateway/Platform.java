package dev.tarsier.gateway;

import dev.tarsier.gateway.api.RecordsApi;
import dev.tarsier.gateway.console.Console;
import dev.tarsier.gateway.lambda.LambdaApi;
import dev.tarsier.gateway.notifications.BucketNotifications;
import dev.tarsier.gateway.notifications.WebhookIntake;
import dev.tarsier.gateway.urls.FunctionUrls;
import dev.tarsier.gateway.s3.S3Api;
import dev.tarsier.invoker.EmbeddedInvoker;
import dev.tarsier.invoker.InvokerConfig;
import dev.tarsier.invoker.store.StateStore;
import dev.tarsier.sandbox.SandboxConfig;
import dev.tarsier.sandbox.WarmPool;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.Map;

/**
 * The whole platform in one process: the state store, the warm pool, the invoker with its queue,
 * and the edge HTTP server that serves every API on one port. {@link #start} wires them;
 * {@link #close} stops them, destroying every sandbox.
 */
public final class Platform {
  private final Vertx vertx;
  private final WarmPool pool;
  private final StateStore store;
  private final EmbeddedInvoker invoker;
  private final HttpServer server;
  private final PlatformGauges gauges;

  private Platform(Vertx vertx, WarmPool pool, StateStore store, EmbeddedInvoker invoker, HttpServer server, PlatformGauges gauges) {
    this.vertx = vertx;
    this.pool = pool;
    this.store = store;
    this.invoker = invoker;
    this.server = server;
    this.gauges = gauges;
  }

  public static Future<Platform> start(Vertx vertx, GatewayConfig config) {
    return start(vertx, config, Clock.systemUTC());
  }

  /** Starts the platform on {@code clock}: every age, deadline and timestamp it keeps is read from it. */
  public static Future<Platform> start(Vertx vertx, GatewayConfig config, Clock clock) {
    InvokerConfig invokerConfig = InvokerConfig.defaults(config.dataDir())
        .withAccountConcurrency(config.accountConcurrency())
        .withRetryDelays(config.retryDelays());
    SandboxConfig sandboxConfig = SandboxConfig.defaults(config.dataDir()).withKeepAlive(config.keepAlive());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    LoopbackBuckets buckets = new LoopbackBuckets();
    return vertx.executeBlocking(() -> StateStore.open(config.dataDir().resolve("state.db"))).compose(store ->
        WarmPool.create(vertx, sandboxConfig, clock).compose(pool ->
            EmbeddedInvoker.start(vertx, invokerConfig, pool, clock, store, registry, buckets).compose(invoker ->
            FunctionUrls.open(vertx, invoker, store, clock, invokerConfig.region()).compose(urls ->
            BucketNotifications.open(vertx, store, invoker, clock, invokerConfig.region()).compose(notifications -> {
              Router router = Router.router(vertx);
              urls.mount(router);
              new WebhookIntake(vertx, store, notifications).mount(router);
              router.get("/_/health").handler(ctx -> ctx.json(new JsonObject()
                  .put("status", "ok")
                  .put("isolation", pool.isolation())
                  .put("runtimes", invoker.runtimes())));
              router.get("/_/metrics").handler(ctx -> ctx.response()
                  .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                  .end(registry.scrape()));
              LambdaApi.mount(router, invoker, invokerConfig, urls);
              RecordsApi.mount(router, vertx, invoker, clock);
              Console.mount(router);
              PlatformGauges gauges = PlatformGauges.start(vertx, registry, pool, invoker, clock);
              return S3Api.mount(router, vertx, store, S3Api.Settings.defaults(config.dataDir()), notifications, notifications, clock)
                  .compose(s3 -> vertx.createHttpServer(new HttpServerOptions()
                      .setHost(config.host())
                      .setPort(config.port())
                      .setHandle100ContinueAutomatically(true)
                      // No h2c upgrade: the JDK's client asks for it on every first request, and large
                      // responses on the upgraded stream came out as raw HTTP/1 bytes. HTTP/1.1 is what
                      // the AWS SDKs, the CLI, curl and browsers use over plain http anyway.
                      .setHttp2ClearTextEnabled(false)
                      .setTcpNoDelay(true))
                  .requestHandler(router)
                  .listen()
                  .map(server -> {
                    invoker.platformEnvironment(sandboxEnvironment(config, server.actualPort()));
                    invoker.startPrewarmed();
                    urls.port(server.actualPort());
                    buckets.endpoint(java.net.URI.create(sandboxEnvironment(config, server.actualPort()).get("AWS_ENDPOINT_URL")));
                    return new Platform(vertx, pool, store, invoker, server, gauges);
                  }));
            }))).recover(failure -> pool.close().transform(ignored -> Future.failedFuture(failure))))
            .recover(failure -> closeQuietly(vertx, store).transform(ignored -> Future.failedFuture(failure))));
  }

  /**
   * What the AWS SDKs inside a sandbox need to reach this platform: endpoint URLs and credentials it
   * accepts (it does not check signatures). Functions may override them with their own variables.
   */
  static Map<String, String> sandboxEnvironment(GatewayConfig config, int port) {
    String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
    String endpoint = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    return Map.of(
        "AWS_ENDPOINT_URL", endpoint,
        "AWS_ENDPOINT_URL_S3", endpoint,
        "AWS_ENDPOINT_URL_LAMBDA", endpoint,
        "AWS_ACCESS_KEY_ID", "tarsier",
        "AWS_SECRET_ACCESS_KEY", "tarsier");
  }

  /** The edge port actually bound (useful when configured as 0). */
  public int port() {
    return server.actualPort();
  }

  public WarmPool pool() {
    return pool;
  }

  public EmbeddedInvoker invoker() {
    return invoker;
  }

  /** Stops taking requests and delivering events, then destroys every sandbox and closes the store. */
  public Future<Void> close() {
    gauges.stop();
    // Idle keep-alive connections would hold a graceful shutdown for its full 30 s; a second is plenty.
    return server.shutdown(1, java.util.concurrent.TimeUnit.SECONDS)
        .transform(ignored -> invoker.stop())
        .transform(ignored -> pool.close())
        .transform(ignored -> closeQuietly(vertx, store));
  }

  private static Future<Void> closeQuietly(Vertx vertx, StateStore store) {
    return vertx.executeBlocking(() -> {
      store.close();
      return null;
    });
  }
}
