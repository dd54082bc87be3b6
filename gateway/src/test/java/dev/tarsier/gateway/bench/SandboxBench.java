package dev.tarsier.gateway.bench;

import dev.tarsier.gateway.GatewayConfig;
import dev.tarsier.gateway.Platform;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Environment;
import software.amazon.awssdk.services.lambda.model.FunctionCode;

/**
 * {@code ./tarsier bench}: for each runtime's hello function, cold start p50/p90 (Invoke request to
 * response with a new sandbox), warm invoke p50/p99 through the Lambda Invoke API over loopback, warm
 * throughput at concurrency 1 and 16, and idle memory per sandbox from its cgroup; beside them the floors
 * measured in the same run. Prints a table and writes {@code target/bench/sandbox.json}.
 *
 * <p>Arguments: {@code --cold N} (20), {@code --warm N} (2000), {@code --seconds N} (5 per throughput run).
 */
public final class SandboxBench {
  /** The hello function of each runtime: example zip, handler, event. Runtimes without one here are skipped. */
  private record Hello(String runtime, String example, String handler, String event) {}

  private static final List<Hello> HELLOS = List.of(
      new Hello("java17", "hello-java", "example.Hello::handleRequest", "{\"name\":\"Tapir\"}"),
      new Hello("java25", "hello-java", "example.Hello::handleRequest", "{\"name\":\"Tapir\"}"),
      new Hello("nodejs20.x", "hello-event", "hello-event.handler", "\"Tapir\""),
      new Hello("python3.11", "hello-python", "hello.handler", "{\"name\":\"Tapir\"}"));
  private static final int MEMORY_MB = 256;

  private SandboxBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> options = options(args);
    Path out = Files.createDirectories(Path.of("target", "bench").toAbsolutePath());
    Path dataDir = Files.createTempDirectory(out, "data-");
    Vertx vertx = Vertx.vertx();
    Vertx loadVertx = Vertx.vertx();
    Platform platform = Platform.start(vertx, new GatewayConfig("127.0.0.1", 0, dataDir, Duration.ofMinutes(10)))
        .await(120, TimeUnit.SECONDS);
    // Interrupted, it still removes its sandboxes (the platform's own start-up would, but only on this data dir).
    Thread closer = new Thread(() -> {
      try {
        platform.close().await(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("bench: could not close the platform: " + e);
      }
    }, "bench-close");
    Runtime.getRuntime().addShutdownHook(closer);
    JsonObject report = new JsonObject().put("isolation", platform.pool().isolation()).put("machine", machine());
    try (LambdaClient lambda = lambda(platform.port()); InvokeClient client = new InvokeClient(loadVertx, platform.port(), 32)) {
      long archiveStart = System.nanoTime();
      platform.pool().archivesReady().await(10, TimeUnit.MINUTES);
      report.put("archiveBuildSeconds", (System.nanoTime() - archiveStart) / 1e9);
      JsonObject runtimes = new JsonObject();
      JsonObject floors = new JsonObject();
      for (Hello hello : HELLOS) {
        if (!platform.pool().offeredRuntimes().stream().anyMatch(r -> r.wireName().equals(hello.runtime()))) {
          continue;
        }
        RuntimeRun run = new RuntimeRun(platform, lambda, client, hello.runtime(), dataDir);
        runtimes.put(hello.runtime(), run.measure(hello.example(), hello.handler(), hello.event(), options, floors));
      }
      floors.put("httpRoundTripP50Ms", Floors.httpRoundTrip(loadVertx, 2000).percentileMs(50));
      report.put("runtimes", runtimes).put("floors", floors);
    } finally {
      Runtime.getRuntime().removeShutdownHook(closer);
      platform.close().await(60, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
      loadVertx.close().await(10, TimeUnit.SECONDS);
    }
    report.getJsonObject("machine").put("loadAverageAtEnd", Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    Files.writeString(out.resolve("sandbox.json"), report.encodePrettily());
    System.out.println(BenchTable.render(report));
    System.out.println("written to " + out.resolve("sandbox.json"));
  }

  /** The measurements of one runtime's hello function. */
  private record RuntimeRun(Platform platform, LambdaClient lambda, InvokeClient client, String runtime, Path dataDir) {

    JsonObject measure(String example, String handler, String event, Map<String, Integer> options, JsonObject floors) throws Exception {
      String name = "bench-" + runtime.replace('.', '-');
      byte[] zip = Files.readAllBytes(Path.of(System.getProperty("tarsier.examples", "../functions/examples"))
          .resolve(example).resolve("target").resolve(example + ".zip"));
      lambda.createFunction(b -> b.functionName(name).runtime(runtime).handler(handler).memorySize(MEMORY_MB).timeout(30)
          .role("arn:aws:iam::000000000000:role/lambda").code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(zip)).build()));
      JsonObject result = new JsonObject();
      Samples cold = new Samples();
      Samples init = new Samples();
      Samples runcTrue = new Samples();
      Samples bareHello = new Samples();
      for (int i = 0; i < options.get("cold"); i++) {
        int sample = i;
        // A new configuration retires the warm sandbox, so the next invoke needs a new one.
        lambda.updateFunctionConfiguration(b -> b.functionName(name)
            .environment(Environment.builder().variables(Map.of("BENCH_COLD", Integer.toString(sample))).build()));
        awaitQuiet();
        long start = System.nanoTime();
        String log = client.invokeWithLog(name, event).await(60, TimeUnit.SECONDS);
        cold.add(System.nanoTime() - start);
        init.add(initDurationNanos(log));
        // The floors, taken between the samples so that they share the machine's load with them.
        Path bundle = liveBundle();
        runcTrue.add(Floors.runcRun(bundle, dataDir, List.of("/bin/true"), 1).percentileNanos(50));
        bareHello.add(Floors.runcRun(bundle, dataDir, Floors.helloCommand(runtime, Floors.runtimeCommand(bundle)), 1).percentileNanos(50));
      }
      result.put("coldP50Ms", cold.percentileMs(50)).put("coldP90Ms", cold.percentileMs(90)).put("coldInitP50Ms", init.percentileMs(50));
      floors.put("runcTrueP50Ms_" + runtime, runcTrue.percentileMs(50));
      floors.put("bareHelloInRuncP50Ms_" + runtime, bareHello.percentileMs(50));

      for (int i = 0; i < 200; i++) {
        client.invoke(name, event).await(10, TimeUnit.SECONDS);
      }
      Samples warm = new Samples();
      for (int i = 0; i < options.get("warm"); i++) {
        long start = System.nanoTime();
        client.invoke(name, event).await(10, TimeUnit.SECONDS);
        warm.add(System.nanoTime() - start);
      }
      result.put("warmP50Ms", warm.percentileMs(50)).put("warmP99Ms", warm.percentileMs(99));

      Duration window = Duration.ofSeconds(options.get("seconds"));
      result.put("throughputC1PerSecond", throughput(name, event, 1, window));
      throughput(name, event, 16, Duration.ofSeconds(2));
      result.put("throughputC16PerSecond", throughput(name, event, 16, window));

      // Idle long enough to be frozen, then read each sandbox's cgroup.
      Thread.sleep(2_000);
      Map<String, Long> memory = platform.pool().memoryBytes().await(30, TimeUnit.SECONDS);
      double idleMb = memory.values().stream().mapToLong(Long::longValue).average().orElse(0) / (1024 * 1024);
      result.put("idleSandboxes", memory.size()).put("idleMemoryMb", idleMb).put("sandboxesPerGiB", idleMb == 0 ? 0 : 1024 / idleMb);

      // Invokes that find their sandbox frozen: the difference to a warm invoke is what thawing costs.
      Samples thawed = new Samples();
      for (int i = 0; i < 5; i++) {
        long start = System.nanoTime();
        client.invoke(name, event).await(10, TimeUnit.SECONDS);
        thawed.add(System.nanoTime() - start);
        Thread.sleep(1_500);
      }
      result.put("thawedInvokeP50Ms", thawed.percentileMs(50));
      // The same pause, shorter than the freeze delay: what an idle pause costs without the freezer.
      Samples paused = new Samples();
      for (int i = 0; i < 5; i++) {
        Thread.sleep(700);
        long start = System.nanoTime();
        client.invoke(name, event).await(10, TimeUnit.SECONDS);
        paused.add(System.nanoTime() - start);
      }
      result.put("idleUnfrozenInvokeP50Ms", paused.percentileMs(50));

      lambda.deleteFunction(b -> b.functionName(name));
      awaitQuiet();
      return result;
    }

    /** Invokes from {@code concurrency} loops for {@code window}; returns completed invokes per second. */
    double throughput(String name, String event, int concurrency, Duration window) throws Exception {
      AtomicLong done = new AtomicLong();
      long end = System.nanoTime() + window.toNanos();
      List<Future<Void>> loops = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        loops.add(loop(name, event, end, done));
      }
      long start = System.nanoTime();
      Future.all(loops).await(window.toSeconds() + 120, TimeUnit.SECONDS);
      return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** One caller invoking back to back until {@code end}; each invoke is issued when the previous answers. */
    private Future<Void> loop(String name, String event, long end, AtomicLong done) {
      Promise<Void> finished = Promise.promise();
      next(name, event, end, done, finished);
      return finished.future();
    }

    private void next(String name, String event, long end, AtomicLong done, Promise<Void> finished) {
      if (System.nanoTime() >= end) {
        finished.complete();
        return;
      }
      client.invoke(name, event).onComplete(answered -> {
        if (answered.failed()) {
          finished.fail(answered.cause());
        } else {
          done.incrementAndGet();
          next(name, event, end, done, finished);
        }
      });
    }

    /** Waits until no sandbox is starting or being destroyed, so one measurement does not pay for another's. */
    void awaitQuiet() throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        Map<String, Integer> states = platform.pool().states().await(10, TimeUnit.SECONDS);
        if (states.get("starting") == 0 && states.get("destroying") == 0) {
          return;
        }
        Thread.sleep(5);
      }
      throw new IllegalStateException("the pool did not settle: " + platform.pool().states().await(10, TimeUnit.SECONDS));
    }

    /** The bundle of a live sandbox, to start the floors' containers in the same shape. */
    Path liveBundle() throws Exception {
      try (var dirs = Files.list(dataDir.resolve("sandboxes"))) {
        return dirs.filter(dir -> Files.exists(dir.resolve("config.json"))).findFirst()
            .orElseThrow(() -> new IllegalStateException("no live sandbox to copy a bundle from"));
      }
    }
  }

  private static long initDurationNanos(String log) {
    java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("Init Duration: ([0-9.]+) ms").matcher(log);
    return matcher.find() ? (long) (Double.parseDouble(matcher.group(1)) * 1e6) : 0;
  }

  private static JsonObject machine() throws Exception {
    return new JsonObject()
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("memoryMb", ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize() / (1024 * 1024))
        .put("kernel", System.getProperty("os.version"))
        .put("platformJvm", System.getProperty("java.vm.version"))
        // Other work on the machine moves every figure; the load says how much there was.
        .put("loadAverageAtStart", Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }

  private static Map<String, Integer> options(String[] args) {
    Map<String, Integer> options = new LinkedHashMap<>(Map.of("cold", 20, "warm", 2000, "seconds", 5));
    for (int i = 0; i + 1 < args.length; i += 2) {
      String key = args[i].replaceFirst("^--", "");
      if (!options.containsKey(key)) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + options.keySet());
      }
      options.put(key, Integer.parseInt(args[i + 1]));
    }
    return options;
  }

  private static LambdaClient lambda(int port) {
    return LambdaClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(120)).build())
        .build();
  }
}
