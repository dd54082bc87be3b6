package dev.tarsier.invoker;

import dev.tarsier.invoker.code.CodePackages;
import dev.tarsier.invoker.store.FunctionStore;
import dev.tarsier.invoker.store.StateStore;
import dev.tarsier.sandbox.Invocation;
import dev.tarsier.sandbox.RuntimeId;
import dev.tarsier.sandbox.SandboxFailure;
import dev.tarsier.sandbox.SandboxSpec;
import dev.tarsier.sandbox.WarmPool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The invoker in the platform's own process: functions in the state store, code on disk, invocations
 * in the warm pool. Thread-safe; blocking work goes to Vert.x workers.
 */
public final class EmbeddedInvoker implements Invoker {
  private static final Logger LOG = Logger.getLogger(EmbeddedInvoker.class.getName());
  /** Lambda's payload limits: 6 MB synchronous, 1 MB asynchronous. */
  static final int MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
  static final int MAX_ASYNC_PAYLOAD = 1024 * 1024;
  private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

  private final Vertx vertx;
  private final InvokerConfig config;
  private final WarmPool pool;
  private final Clock clock;
  private final FunctionStore functions;
  private final CodePackages code;
  private final Invocations invocations;

  private EmbeddedInvoker(Vertx vertx, InvokerConfig config, WarmPool pool, Clock clock, StateStore store) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.clock = clock;
    this.functions = new FunctionStore(store);
    this.code = new CodePackages(config.dataDir().resolve("code"));
    this.invocations = new Invocations(pool, clock);
  }

  /** Returns a ready invoker keeping its functions in {@code store}. */
  public static Future<EmbeddedInvoker> start(Vertx vertx, InvokerConfig config, WarmPool pool, Clock clock, StateStore store) {
    return Future.succeededFuture(new EmbeddedInvoker(vertx, config, pool, clock, store));
  }

  @Override
  public List<String> runtimes() {
    return pool.offeredRuntimes().stream().map(RuntimeId::wireName).sorted().toList();
  }

  @Override
  public Future<FunctionConfig> createFunction(String name, FunctionSettings settings, byte[] zip) {
    return blocking(() -> {
      FunctionRules.checkName(name);
      FunctionConfig draft = apply(defaults(name), settings);
      FunctionRules.check(draft, runtimes());
      if (functions.get(name).isPresent()) {
        throw new LambdaFailure.ResourceConflict("Function already exist: " + name);
      }
      CodePackages.Stored stored = code.store(zip);
      FunctionConfig created = withCode(draft, stored);
      if (!functions.insert(created)) {
        throw new LambdaFailure.ResourceConflict("Function already exist: " + name);
      }
      return created;
    });
  }

  @Override
  public Future<FunctionConfig> getFunction(String name) {
    return blocking(() -> find(name));
  }

  @Override
  public Future<List<FunctionConfig>> listFunctions(String marker, int maxItems) {
    return blocking(() -> functions.list(marker, maxItems));
  }

  @Override
  public Future<FunctionConfig> updateFunctionCode(String name, byte[] zip) {
    return blocking(() -> {
      FunctionConfig current = find(name);
      FunctionConfig updated = withCode(current, code.store(zip));
      if (!functions.update(updated)) {
        throw notFound(name);
      }
      pool.retire(current.poolKey());
      return updated;
    });
  }

  @Override
  public Future<FunctionConfig> updateFunctionConfiguration(String name, FunctionSettings settings) {
    return blocking(() -> {
      FunctionConfig current = find(name);
      FunctionConfig updated = touched(apply(current, settings));
      FunctionRules.check(updated, runtimes());
      if (!functions.update(updated)) {
        throw notFound(name);
      }
      pool.retire(current.poolKey());
      return updated;
    });
  }

  @Override
  public Future<Void> deleteFunction(String name) {
    return blocking(() -> {
      FunctionConfig current = find(name);
      if (!functions.delete(name)) {
        throw notFound(name);
      }
      pool.retire(current.poolKey());
      return null;
    });
  }

  @Override
  public Future<InvokeResponse> invoke(InvokeRequest request) {
    int limit = request.type() == InvokeRequest.Type.EVENT ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
    if (request.payload().length() > limit) {
      return Future.failedFuture(new LambdaFailure.RequestEntityTooLarge(
          "Request must be smaller than " + limit + " bytes for the InvokeFunction operation"));
    }
    String requestId = UUID.randomUUID().toString();
    return getFunction(request.functionName()).compose(function -> switch (request.type()) {
      case DRY_RUN -> Future.succeededFuture(new InvokeResponse(204, Buffer.buffer(), null, null, requestId));
      case EVENT -> {
        // Not yet durable: the event runs in the background of this process.
        invocations.run(spec(function), function, new Invocation(requestId, request.payload(), "application/json", null), false)
            .onFailure(failure -> LOG.log(Level.WARNING, "event " + requestId + " for " + function.name() + " failed", failure));
        yield Future.succeededFuture(new InvokeResponse(202, Buffer.buffer(), null, null, requestId));
      }
      case REQUEST_RESPONSE -> invocations.run(spec(function), function,
          new Invocation(requestId, request.payload(), "application/json", request.clientContext()), request.tailLog());
    });
  }

  private SandboxSpec spec(FunctionConfig function) {
    Map<String, String> environment = new HashMap<>(function.environment());
    environment.put("AWS_REGION", config.region());
    environment.put("AWS_DEFAULT_REGION", config.region());
    return new SandboxSpec(function.name(), config.functionArn(function.name()), function.poolKey(),
        RuntimeId.fromWireName(function.runtime()).orElseThrow(() -> new LambdaFailure.InvalidParameterValue(
            "runtime " + function.runtime() + " is no longer offered on this machine")),
        function.handler(), code.dir(function.codeSha256()), function.memorySize(), Duration.ofSeconds(function.timeout()),
        function.ephemeralStorage(), environment);
  }

  private FunctionConfig find(String name) throws java.sql.SQLException {
    return functions.get(name).orElseThrow(() -> notFound(name));
  }

  private LambdaFailure.ResourceNotFound notFound(String name) {
    return new LambdaFailure.ResourceNotFound("Function not found: " + config.functionArn(name));
  }

  private FunctionConfig defaults(String name) {
    return new FunctionConfig(name, null, null, FunctionRules.DEFAULT_MEMORY_MB, FunctionRules.DEFAULT_TIMEOUT_S,
        FunctionRules.DEFAULT_EPHEMERAL_MB, "", "arn:aws:iam::" + config.account() + ":role/lambda-role", Map.of(), "", 0,
        now(), UUID.randomUUID().toString());
  }

  private static FunctionConfig apply(FunctionConfig f, FunctionSettings s) {
    return new FunctionConfig(f.name(),
        s.runtime() != null ? s.runtime() : f.runtime(),
        s.handler() != null ? s.handler() : f.handler(),
        s.memorySize() != null ? s.memorySize() : f.memorySize(),
        s.timeout() != null ? s.timeout() : f.timeout(),
        s.ephemeralStorage() != null ? s.ephemeralStorage() : f.ephemeralStorage(),
        s.description() != null ? s.description() : f.description(),
        s.role() != null ? s.role() : f.role(),
        s.environment() != null ? s.environment() : f.environment(),
        f.codeSha256(), f.codeSize(), f.lastModified(), f.revisionId());
  }

  private FunctionConfig withCode(FunctionConfig f, CodePackages.Stored stored) {
    return touched(new FunctionConfig(f.name(), f.runtime(), f.handler(), f.memorySize(), f.timeout(), f.ephemeralStorage(),
        f.description(), f.role(), f.environment(), stored.sha256(), stored.size(), f.lastModified(), f.revisionId()));
  }

  private FunctionConfig touched(FunctionConfig f) {
    return new FunctionConfig(f.name(), f.runtime(), f.handler(), f.memorySize(), f.timeout(), f.ephemeralStorage(),
        f.description(), f.role(), f.environment(), f.codeSha256(), f.codeSize(), now(), UUID.randomUUID().toString());
  }

  private String now() {
    return LAST_MODIFIED.format(clock.instant());
  }

  /** Runs store and file work on a worker; anything that is not a LambdaFailure becomes a ServiceFailure. */
  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.<T>executeBlocking(work).recover(failure -> Future.failedFuture(failure instanceof LambdaFailure
        ? failure
        : new LambdaFailure.ServiceFailure("internal error: " + failure, failure)));
  }

  /** Maps a sandbox start failure that is not the function's fault to a service failure. */
  static Throwable asLambdaFailure(Throwable failure) {
    if (failure instanceof LambdaFailure) {
      return failure;
    }
    if (failure instanceof SandboxFailure.PoolExhausted) {
      return new LambdaFailure.TooManyRequests(failure.getMessage(), "ConcurrentInvocationLimitExceeded");
    }
    if (failure instanceof SandboxFailure.StartFailed) {
      return new LambdaFailure.ServiceFailure(failure.getMessage(), failure);
    }
    return new LambdaFailure.ServiceFailure("internal error: " + failure, failure);
  }
}
