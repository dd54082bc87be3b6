package dev.tarsier.invoker;

import dev.tarsier.invoker.code.CodePackages;
import dev.tarsier.invoker.queue.EventStore;
import dev.tarsier.invoker.queue.QueuedEvent;
import dev.tarsier.invoker.records.InvocationRecord;
import dev.tarsier.invoker.records.InvocationRecords;
import dev.tarsier.invoker.store.FunctionOptionsStore;
import dev.tarsier.invoker.store.FunctionStore;
import dev.tarsier.invoker.store.StateStore;
import dev.tarsier.sandbox.Invocation;
import dev.tarsier.sandbox.RuntimeId;
import dev.tarsier.sandbox.SandboxFailure;
import dev.tarsier.sandbox.SandboxSpec;
import dev.tarsier.sandbox.WarmPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The invoker in the platform's own process: functions in the state store, code on disk, invocations
 * in the warm pool, asynchronous events in the durable queue. Thread-safe; blocking work goes to
 * Vert.x workers.
 */
public final class EmbeddedInvoker implements Invoker {
  private static final Logger LOG = Logger.getLogger(EmbeddedInvoker.class.getName());
  /** Lambda's payload limits: 6 MB synchronous, 1 MB asynchronous. */
  static final int MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
  static final int MAX_ASYNC_PAYLOAD = 1024 * 1024;
  /**
   * How long PutProvisionedConcurrencyConfig waits for the sandboxes before it answers: long enough that
   * a caller usually gets {@code READY} and can invoke at once, short enough that a slow start (a pool
   * full of busy sandboxes) answers {@code IN_PROGRESS}, as Lambda always does, rather than hanging.
   */
  static final Duration PROVISIONED_WAIT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final InvokerConfig config;
  private final WarmPool pool;
  private final Clock clock;
  private final Functions functions;
  private final FunctionOptionsStore options;
  private final InvocationRecords records;
  private final EventStore events;
  private final CodePackages code;
  private final Concurrency concurrency;
  private final Invocations invocations;
  private final AsyncConfigs asyncConfigs;
  private final FunctionPolicies policies;
  private EventDispatcher dispatcher;
  private volatile Map<String, String> platformEnvironment = Map.of();
  private long pruneTimer = -1;

  private EmbeddedInvoker(Vertx vertx, InvokerConfig config, WarmPool pool, Clock clock, StateStore store, MeterRegistry registry)
      throws java.sql.SQLException {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.clock = clock;
    this.code = new CodePackages(config.dataDir().resolve("code"));
    this.functions = new Functions(new FunctionStore(store), code, config, clock);
    this.options = new FunctionOptionsStore(store);
    this.records = new InvocationRecords(store);
    this.events = new EventStore(store);
    this.concurrency = new Concurrency(config.accountConcurrency());
    options.reservations().forEach(concurrency::reserve);
    this.asyncConfigs = new AsyncConfigs(options, config, clock);
    this.policies = new FunctionPolicies(options, config, clock);
    this.invocations = new Invocations(vertx, pool, clock, records, new InvokerMetrics(registry));
  }

  /**
   * Opens the invoker's tables in {@code store}, re-queues events a previous run did not finish, and
   * starts delivering queued events.
   */
  public static Future<EmbeddedInvoker> start(Vertx vertx, InvokerConfig config, WarmPool pool, Clock clock, StateStore store,
      MeterRegistry registry, BucketDestination buckets) {
    return vertx.executeBlocking(() -> new EmbeddedInvoker(vertx, config, pool, clock, store, registry))
        .compose(invoker -> invoker.startDispatcher(buckets).map(invoker));
  }

  private Future<String> startDispatcher(BucketDestination buckets) {
    Destinations destinations = new Destinations(clock, config, events, buckets);
    dispatcher = new EventDispatcher(clock, events, concurrency, destinations, config.retryDelays(), new EventDispatcher.Runner() {
      @Override
      public EventDispatcher.Target target(String function) throws Exception {
        var found = functions.get(function);
        return found.isEmpty() ? null
            : new EventDispatcher.Target(found.get(), options.asyncConfig(function).orElse(AsyncConfig.defaults(function)));
      }

      @Override
      public Future<Invocations.Completed> run(EventDispatcher.Target target, Invocation invocation, Invocations.Context context,
          Concurrency.Permit permit) {
        return invocations.run(spec(target.function()), target.function(), invocation, context, permit);
      }
    });
    pruneTimer = vertx.setPeriodic(60_000, timer -> vertx.executeBlocking(() ->
        records.prune(clock.instant(), config.recordsMaxAge(), config.recordsMaxCount())));
    return vertx.deployVerticle(dispatcher);
  }

  /** Stops delivering events; queued ones stay in the store for the next start. */
  public Future<Void> stop() {
    vertx.cancelTimer(pruneTimer);
    return dispatcher == null || dispatcher.deploymentID() == null ? Future.succeededFuture() : vertx.undeploy(dispatcher.deploymentID());
  }

  /**
   * Queues an event inside the caller's transaction (an object write and the events it causes commit
   * together), then {@link #wake()} once it has committed.
   */
  public static void enqueue(java.sql.Connection transaction, String function, byte[] payload, Trigger trigger, String id,
      Instant now, int depth) throws java.sql.SQLException {
    EventStore.enqueue(transaction, new QueuedEvent(id, function, payload, trigger.wireName(), 0, now, now, depth));
  }

  /**
   * How deep in a chain of bucket events the running invocations of {@code function} are: 0 when none
   * runs because of one. An object written by the function starts events one deeper.
   */
  public int eventDepth(String function) {
    return invocations.depth(function);
  }

  /** Records that events were not queued because a chain of bucket events went too deep. */
  public void loopStopped(String function, String bucket, String key, int depth) {
    invocations.loopStopped(function, bucket, key, depth);
  }

  /**
   * Variables every sandbox gets so the AWS SDKs inside reach this platform with no code change
   * (endpoint URLs, credentials it accepts); set once the edge port is known.
   */
  public void platformEnvironment(Map<String, String> environment) {
    platformEnvironment = Map.copyOf(environment);
  }

  /** Tells the dispatcher that events were queued. */
  public void wake() {
    dispatcher.wake();
  }

  @Override
  public List<String> runtimes() {
    return pool.offeredRuntimes().stream().map(RuntimeId::wireName).sorted().toList();
  }

  @Override
  public Future<FunctionConfig> createFunction(String name, FunctionSettings settings, byte[] zip) {
    return blocking(() -> functions.create(name, settings, zip, runtimes()));
  }

  @Override
  public Future<FunctionConfig> getFunction(String name) {
    return blocking(() -> functions.find(name));
  }

  @Override
  public Future<List<FunctionConfig>> listFunctions(String marker, int maxItems) {
    return blocking(() -> functions.list(marker, maxItems));
  }

  @Override
  public Future<FunctionConfig> updateFunctionCode(String name, byte[] zip) {
    return blocking(() -> {
      FunctionConfig current = functions.find(name);
      FunctionConfig updated = functions.updateCode(name, zip);
      pool.retire(current.poolKey());
      prewarmAgain(updated);
      return updated;
    });
  }

  @Override
  public Future<FunctionConfig> updateFunctionConfiguration(String name, FunctionSettings settings) {
    return blocking(() -> {
      FunctionConfig current = functions.find(name);
      FunctionConfig updated = functions.updateConfiguration(name, settings, runtimes());
      pool.retire(current.poolKey());
      prewarmAgain(updated);
      return updated;
    });
  }

  @Override
  public Future<Void> deleteFunction(String name) {
    return blocking(() -> {
      FunctionConfig current = functions.find(name);
      functions.delete(name);
      options.forget(name);
      concurrency.reserve(name, null);
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
      case EVENT -> blocking(() -> {
        Instant now = clock.instant();
        events.enqueue(new QueuedEvent(requestId, function.name(), request.payload().getBytes(), request.trigger().wireName(), 0, now, now, 0));
        return new InvokeResponse(202, Buffer.buffer(), null, null, requestId);
      }).onSuccess(accepted -> dispatcher.wake());
      case REQUEST_RESPONSE -> runNow(function, new Invocation(requestId, request.payload(), "application/json", request.clientContext()),
          new Invocations.Context(request.trigger(), 1, clock.instant(), request.tailLog(), 0));
    });
  }

  private Future<InvokeResponse> runNow(FunctionConfig function, Invocation invocation, Invocations.Context context) {
    Concurrency.Permit permit;
    try {
      permit = concurrency.acquire(function.name());
    } catch (LambdaFailure.TooManyRequests throttled) {
      invocations.throttled(function, invocation, context.trigger());
      return Future.failedFuture(throttled);
    }
    return invocations.run(spec(function), function, invocation, context, permit).map(Invocations.Completed::response);
  }

  @Override
  public Future<Integer> putFunctionConcurrency(String name, int reserved) {
    return ofExisting(name, () -> {
      if (reserved < 0) {
        throw new LambdaFailure.InvalidParameterValue("ReservedConcurrentExecutions must be at least 0, was " + reserved);
      }
      concurrency.reserve(name, reserved);
      options.reserve(name, reserved);
      return reserved;
    });
  }

  @Override
  public Future<ProvisionedConcurrency> putProvisionedConcurrency(String name, int sandboxes) {
    if (sandboxes < 1) {
      return Future.failedFuture(new LambdaFailure.InvalidParameterValue("ProvisionedConcurrentExecutions must be at least 1, was " + sandboxes));
    }
    FunctionOptionsStore.Prewarm prewarm = new FunctionOptionsStore.Prewarm(sandboxes, clock.instant());
    return blocking(() -> {
      FunctionConfig function = functions.find(name);
      Integer reserved = concurrency.reservation(name);
      if (reserved != null && sandboxes > reserved) {
        throw new LambdaFailure.InvalidParameterValue("Requested Provisioned Concurrency should not be greater than the "
            + "reservedConcurrentExecution for function " + name + " (" + reserved + ")");
      }
      long neededMb = (long) sandboxes * function.memorySize();
      if (neededMb > pool.memoryBudgetMb()) {
        throw new LambdaFailure.InvalidParameterValue(sandboxes + " sandboxes of " + function.memorySize() + " MB need " + neededMb
            + " MB; the sandbox pool's whole memory budget is " + pool.memoryBudgetMb() + " MB");
      }
      options.prewarm(name, prewarm);
      return spec(function);
    }).compose(spec -> pool.prewarm(spec, sandboxes)
        .timeout(PROVISIONED_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .transform(readyFailedOrLate -> provisioned(spec.poolKey(), prewarm)));
  }

  @Override
  public Future<ProvisionedConcurrency> getProvisionedConcurrency(String name) {
    return blocking(() -> {
      String poolKey = functions.find(name).poolKey();
      return options.prewarm(name).map(prewarm -> new Provisioning(poolKey, prewarm)).orElse(null);
    }).compose(found -> found == null ? Future.succeededFuture() : provisioned(found.poolKey(), found.prewarm()));
  }

  /** A function's pre-warm target and the pool key of the sandboxes it keeps warm. */
  private record Provisioning(String poolKey, FunctionOptionsStore.Prewarm prewarm) {}

  private Future<ProvisionedConcurrency> provisioned(String poolKey, FunctionOptionsStore.Prewarm prewarm) {
    return pool.provisioned(poolKey).map(status -> ProvisionedConcurrency.of(prewarm.sandboxes(), status, prewarm.lastModified()));
  }

  @Override
  public Future<Void> deleteProvisionedConcurrency(String name) {
    return blocking(() -> {
      FunctionConfig function = functions.find(name);
      options.prewarm(name, null);
      pool.prewarm(spec(function), 0);
      return null;
    });
  }

  /** After a code or configuration change the warm sandboxes are of the old function: warm the new one. */
  private void prewarmAgain(FunctionConfig updated) throws java.sql.SQLException {
    options.prewarm(updated.name()).ifPresent(prewarm -> pool.prewarm(spec(updated), prewarm.sandboxes()));
  }

  /**
   * Starts the sandboxes kept warm for every function that asked for them, as at the last run; call
   * once the {@link #platformEnvironment} is set, since sandboxes keep the environment they start with.
   */
  public Future<Void> startPrewarmed() {
    return blocking(() -> {
      for (var entry : options.prewarmed().entrySet()) {
        functions.get(entry.getKey()).ifPresent(function -> pool.prewarm(spec(function), entry.getValue().sandboxes()));
      }
      return null;
    });
  }

  @Override
  public Future<Integer> getFunctionConcurrency(String name) {
    return ofExisting(name, () -> concurrency.reservation(name));
  }

  @Override
  public Future<Void> deleteFunctionConcurrency(String name) {
    return ofExisting(name, () -> {
      concurrency.reserve(name, null);
      options.reserve(name, null);
      return null;
    });
  }

  @Override
  public Future<AsyncConfig> putEventInvokeConfig(String name, Integer maxRetryAttempts, Integer maxEventAgeSeconds, String onSuccess,
      String onFailure, boolean merge) {
    return ofExisting(name, () -> asyncConfigs.put(name, maxRetryAttempts, maxEventAgeSeconds, onSuccess, onFailure, merge));
  }

  @Override
  public Future<AsyncConfig> getEventInvokeConfig(String name) {
    return ofExisting(name, () -> asyncConfigs.get(name));
  }

  @Override
  public Future<String> addPermission(String name, Permission permission) {
    return ofExisting(name, () -> policies.add(name, permission));
  }

  @Override
  public Future<FunctionPolicy> getPolicy(String name) {
    return ofExisting(name, () -> policies.get(name));
  }

  @Override
  public Future<Void> removePermission(String name, String statementId) {
    return ofExisting(name, () -> {
      policies.remove(name, statementId);
      return null;
    });
  }

  @Override
  public Future<Void> deleteEventInvokeConfig(String name) {
    return ofExisting(name, () -> {
      asyncConfigs.delete(name);
      return null;
    });
  }

  @Override
  public Future<List<InvocationRecord>> invocations(InvocationRecords.Query query) {
    return blocking(() -> records.find(query));
  }

  @Override
  public Future<InvocationRecord> invocation(String id) {
    return blocking(() -> records.get(id).orElseThrow(() -> new LambdaFailure.ResourceNotFound("No invocation with id " + id)));
  }

  @Override
  public Future<EventStore.Depth> queueDepth() {
    return blocking(events::depth);
  }

  @Override
  public Future<AccountConcurrency> accountConcurrency() {
    return Future.succeededFuture(new AccountConcurrency(concurrency.accountLimit(), concurrency.unreserved()));
  }

  private SandboxSpec spec(FunctionConfig function) {
    Map<String, String> environment = new HashMap<>(platformEnvironment);
    // Known by its key: an object the function writes through the platform's S3 says who wrote it.
    environment.put("AWS_ACCESS_KEY_ID", FunctionKeys.accessKeyOf(function.name()));
    environment.putAll(function.environment());
    environment.put("AWS_REGION", config.region());
    environment.put("AWS_DEFAULT_REGION", config.region());
    return new SandboxSpec(function.name(), config.functionArn(function.name()), function.poolKey(),
        RuntimeId.fromWireName(function.runtime()).orElseThrow(() -> new LambdaFailure.InvalidParameterValue(
            "runtime " + function.runtime() + " is no longer offered on this machine")),
        function.handler(), code.dir(function.codeSha256()), function.memorySize(), Duration.ofSeconds(function.timeout()),
        function.ephemeralStorage(), environment);
  }

  /** Blocking work on a function that must exist: ResourceNotFound first when it does not. */
  private <T> Future<T> ofExisting(String name, Callable<T> work) {
    return blocking(() -> {
      functions.find(name);
      return work.call();
    });
  }

  /** Runs store and file work on a worker; anything that is not a LambdaFailure becomes a ServiceFailure. */
  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.<T>executeBlocking(work).recover(failure -> Future.failedFuture(asLambdaFailure(failure)));
  }

  /** Maps a failure that is not the function's fault to a service failure, keeping Lambda failures as they are. */
  static Throwable asLambdaFailure(Throwable failure) {
    if (failure instanceof LambdaFailure) {
      return failure;
    }
    if (failure instanceof SandboxFailure.PoolExhausted) {
      return new LambdaFailure.TooManyRequests(failure.getMessage(), "ConcurrentInvocationLimitExceeded");
    }
    if (failure instanceof SandboxFailure.StartFailed) {
      LOG.log(Level.WARNING, "a sandbox could not start", failure);
      return new LambdaFailure.ServiceFailure(failure.getMessage(), failure);
    }
    return new LambdaFailure.ServiceFailure("internal error: " + failure, failure);
  }
}
