package dev.tarsier.gateway.urls;

import dev.tarsier.invoker.Invoker;
import dev.tarsier.invoker.LambdaFailure;
import dev.tarsier.invoker.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Function URLs: their configurations (the Lambda API's CreateFunctionUrlConfig and friends call these)
 * and the HTTP endpoint that turns requests into payload-format-2.0 events. A URL is reachable at
 * {@code http://<url-id>.lambda-url.<region>.localhost:<port>/} and, for clients that cannot resolve
 * such names, at {@code http://<host>:<port>/_/url/<url-id>/}.
 */
public final class FunctionUrls {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final Vertx vertx;
  private final Invoker invoker;
  private final FunctionUrlStore store;
  private final Clock clock;
  private final String region;
  private final SecureRandom random = new SecureRandom();
  private volatile int port;

  private FunctionUrls(Vertx vertx, Invoker invoker, FunctionUrlStore store, Clock clock, String region) {
    this.vertx = vertx;
    this.invoker = invoker;
    this.store = store;
    this.clock = clock;
    this.region = region;
  }

  public static Future<FunctionUrls> open(Vertx vertx, Invoker invoker, StateStore state, Clock clock, String region) {
    return vertx.executeBlocking(() -> new FunctionUrls(vertx, invoker, new FunctionUrlStore(state), clock, region));
  }

  /** Serves function URLs on {@code router}; mount before any route that matches on the Host header. */
  public void mount(Router router) {
    FunctionUrlEndpoint endpoint = new FunctionUrlEndpoint(invoker, store, clock, region);
    router.route().handler(endpoint::byHost);
    router.route("/_/url/:urlId/*").handler(endpoint::byPath);
    router.route("/_/url/:urlId").handler(endpoint::byPath);
  }

  /** The edge port, once known, for the URLs handed out. */
  public void port(int port) {
    this.port = port;
  }

  /** The URL as handed to callers. */
  public String url(FunctionUrl url) {
    return "http://" + url.urlId() + ".lambda-url." + region + ".localhost:" + port + "/";
  }

  public Future<FunctionUrl> create(String function, String authType, String invokeMode, JsonObject cors) {
    return invoker.getFunction(function).compose(f -> vertx.executeBlocking(() -> {
      if (store.byFunction(function).isPresent()) {
        throw new LambdaFailure.ResourceConflict("Failed to create function url config for [functionArn = " + function
            + "]. Error message:  FunctionUrlConfig exists for this Lambda function");
      }
      check(authType, invokeMode);
      String now = TIME.format(clock.instant());
      FunctionUrl url = new FunctionUrl(function, newUrlId(), authType, invokeMode == null ? "BUFFERED" : invokeMode,
          cors == null ? new JsonObject() : cors, now, now);
      store.put(url);
      return url;
    }));
  }

  public Future<FunctionUrl> get(String function) {
    return invoker.getFunction(function).map(f -> store.byFunction(function).orElseThrow(() -> notFound(function)));
  }

  /** Changes the given fields; null ones keep their value. */
  public Future<FunctionUrl> update(String function, String authType, String invokeMode, JsonObject cors) {
    return get(function).compose(current -> vertx.executeBlocking(() -> {
      check(authType, invokeMode);
      FunctionUrl updated = new FunctionUrl(function, current.urlId(), authType != null ? authType : current.authType(),
          invokeMode != null ? invokeMode : current.invokeMode(), cors != null ? cors : current.cors(), current.creationTime(),
          TIME.format(clock.instant()));
      store.put(updated);
      return updated;
    }));
  }

  public Future<Void> delete(String function) {
    return get(function).compose(url -> vertx.executeBlocking(() -> {
      store.delete(function);
      return null;
    }));
  }

  /** Forgets the URL of a deleted function. */
  public Future<Void> forget(String function) {
    return vertx.executeBlocking(() -> {
      store.delete(function);
      return null;
    });
  }

  Optional<FunctionUrl> find(String urlId) {
    return store.byUrlId(urlId);
  }

  private static void check(String authType, String invokeMode) {
    if (authType != null && !authType.equals("NONE") && !authType.equals("AWS_IAM")) {
      throw new LambdaFailure.InvalidParameterValue("AuthType must be NONE or AWS_IAM, was " + authType);
    }
    if (invokeMode != null && !invokeMode.equals("BUFFERED")) {
      throw new LambdaFailure.InvalidParameterValue("InvokeMode " + invokeMode + " is not supported here; use BUFFERED");
    }
  }

  private LambdaFailure.ResourceNotFound notFound(String function) {
    return new LambdaFailure.ResourceNotFound("The resource you requested does not exist. (function url config of " + function + ")");
  }

  private String newUrlId() {
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }
}
