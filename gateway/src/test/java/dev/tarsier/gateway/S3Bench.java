package dev.tarsier.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PUT and GET throughput and latency of the embedded object store, with the file system's own fsync'd
 * small-file write speed measured in the same run for comparison. A real platform on port 0, clients
 * on the loopback interface in the same JVM (so they share the machine's cores with the server), plain
 * HTTP/1.1 bodies as the CLI sends them over http. Bounded in time and count; stops by itself.
 *
 * <p>{@code ./tarsier bench [--seconds N] [--concurrency N]}. Prints a table and writes
 * {@code gateway/target/bench/s3-bench.json}.
 */
public final class S3Bench {
  private static final int MAX_OPS_PER_PHASE = 200_000;

  private S3Bench() {}

  record Result(String operation, int size, int concurrency, long ops, double seconds, long[] latenciesNanos, long errors) {
    double opsPerSecond() {
      return ops / seconds;
    }

    double percentileMillis(double p) {
      if (latenciesNanos.length == 0) {
        return Double.NaN;
      }
      long[] sorted = latenciesNanos.clone();
      Arrays.sort(sorted);
      int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
      return sorted[Math.max(0, index)] / 1e6;
    }

    JsonObject json() {
      return new JsonObject().put("operation", operation).put("sizeBytes", size).put("concurrency", concurrency)
          .put("ops", ops).put("seconds", seconds).put("opsPerSecond", round(opsPerSecond()))
          .put("p50Millis", round(percentileMillis(50))).put("p99Millis", round(percentileMillis(99))).put("errors", errors);
    }
  }

  public static void main(String[] args) throws Exception {
    int seconds = option(args, "--seconds", 5);
    int concurrency = option(args, "--concurrency", 16);
    String loadBefore = loadAverage();
    List<Result> results = new ArrayList<>();
    try (RunningPlatform platform = RunningPlatform.start(Duration.ofMinutes(1))) {
      Vertx clientVertx = Vertx.vertx();
      HttpClient http = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
          new PoolOptions().setHttp1MaxSize(concurrency));
      int port = platform.platform.port();
      expect(http, HttpMethod.PUT, port, "/bench", Buffer.buffer()).await(30, TimeUnit.SECONDS);
      warmUp(http, port, concurrency);
      results.add(fileSystem(platform.dataDir.resolve("fs-bench"), 4096, concurrency, seconds));
      for (int size : new int[] {1024, 4096, 1024 * 1024}) {
        Buffer body = Buffer.buffer(randomBytes(size));
        int keys = size >= 1024 * 1024 ? 200 : 5000;
        Result put = run("PUT", size, concurrency, seconds, i -> expect(http, HttpMethod.PUT, port, "/bench/" + size + "/" + (i % keys), body));
        results.add(put);
        // GETs read keys the PUT phase is known to have written.
        int written = (int) Math.max(1, Math.min(keys, put.ops() - put.errors() - concurrency));
        results.add(run("GET", size, concurrency, seconds, i -> expect(http, HttpMethod.GET, port,
            "/bench/" + size + "/" + ThreadLocalRandom.current().nextInt(written), null)));
      }
      http.close().await(10, TimeUnit.SECONDS);
      clientVertx.close().await(10, TimeUnit.SECONDS);
    }
    String loadAfter = loadAverage();
    print(results);
    System.out.println("\nload average before " + loadBefore + ", after " + loadAfter
        + " (other work on the machine skews every number above)");
    write(results, seconds, concurrency, loadBefore, loadAfter);
  }

  /** Runs one operation from {@code concurrency} loops until the time or the op budget is used up. */
  private static Result run(String operation, int size, int concurrency, int seconds, java.util.function.LongFunction<Future<Void>> op)
      throws Exception {
    long[] latencies = new long[MAX_OPS_PER_PHASE];
    AtomicInteger count = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<Void>> loops = new ArrayList<>();
    for (int loop = 0; loop < concurrency; loop++) {
      Promise<Void> done = Promise.promise();
      next(op, latencies, count, errors, deadline, done);
      loops.add(done.future());
    }
    Future.all(loops).await(seconds + 60L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    int ops = Math.min(count.get(), MAX_OPS_PER_PHASE);
    return new Result(operation, size, concurrency, ops, elapsed, Arrays.copyOf(latencies, ops), errors.get());
  }

  private static void next(java.util.function.LongFunction<Future<Void>> op, long[] latencies, AtomicInteger count,
                           AtomicInteger errors, long deadline, Promise<Void> done) {
    if (System.nanoTime() >= deadline || count.get() >= MAX_OPS_PER_PHASE) {
      done.tryComplete();
      return;
    }
    int index = count.getAndIncrement();
    if (index >= MAX_OPS_PER_PHASE) {
      done.tryComplete();
      return;
    }
    long started = System.nanoTime();
    op.apply(index).onComplete(result -> {
      latencies[index] = System.nanoTime() - started;
      if (result.failed()) {
        errors.incrementAndGet();
      }
      next(op, latencies, count, errors, deadline, done);
    });
  }

  private static Future<Void> expect(HttpClient http, HttpMethod method, int port, String uri, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri);
    return http.request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(response -> response.body().compose(ignored -> response.statusCode() == 200
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(method + " " + uri + " answered " + response.statusCode())));
  }

  /** Lets the JIT compile the hot paths first, so the first measured phase is not the one that pays for it. */
  private static void warmUp(HttpClient http, int port, int concurrency) throws Exception {
    for (int size : new int[] {1024, 4096}) {
      Buffer body = Buffer.buffer(randomBytes(size));
      run("warm-up", size, concurrency, 3, i -> expect(http, HttpMethod.PUT, port, "/bench/warm/" + (i % 100), body)
          .compose(v -> expect(http, HttpMethod.GET, port, "/bench/warm/" + (i % 100), null)));
    }
  }

  /** What the store's durable write path costs at the file system alone: write, fsync, rename, fsync the directory. */
  private static Result fileSystem(Path dir, int size, int concurrency, int seconds) throws Exception {
    Files.createDirectories(dir.resolve("tmp"));
    Files.createDirectories(dir.resolve("final"));
    byte[] data = randomBytes(size);
    long[] latencies = new long[MAX_OPS_PER_PHASE];
    AtomicInteger count = new AtomicInteger();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService threads = Executors.newFixedThreadPool(concurrency);
    for (int t = 0; t < concurrency; t++) {
      threads.submit(() -> {
        try (FileChannel directory = FileChannel.open(dir.resolve("final"), StandardOpenOption.READ)) {
          while (System.nanoTime() < deadline) {
            int index = count.getAndIncrement();
            if (index >= MAX_OPS_PER_PHASE) {
              return null;
            }
            long started = System.nanoTime();
            Path temp = dir.resolve("tmp").resolve("f" + index);
            Path target = dir.resolve("final").resolve("f" + index);
            try (FileChannel file = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
              file.write(ByteBuffer.wrap(data));
              Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
              file.force(false);
            }
            directory.force(true);
            latencies[index] = System.nanoTime() - started;
          }
        }
        return null;
      });
    }
    threads.shutdown();
    threads.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    int ops = Math.min(count.get(), MAX_OPS_PER_PHASE);
    int completed = (int) Arrays.stream(latencies, 0, ops).filter(l -> l > 0).count();
    long[] done = Arrays.stream(latencies, 0, ops).filter(l -> l > 0).toArray();
    return new Result("fs write+fsync", size, concurrency, completed, elapsed, done, 0);
  }

  private static void print(List<Result> results) {
    System.out.printf("%n%-16s %10s %6s %10s %10s %10s %8s%n", "operation", "size", "conc", "ops/s", "p50 ms", "p99 ms", "errors");
    for (Result r : results) {
      System.out.printf("%-16s %10s %6d %10.0f %10.2f %10.2f %8d%n", r.operation(), size(r.size()), r.concurrency(),
          r.opsPerSecond(), r.percentileMillis(50), r.percentileMillis(99), r.errors());
    }
  }

  private static String loadAverage() {
    try {
      return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static void write(List<Result> results, int seconds, int concurrency, String loadBefore, String loadAfter) throws Exception {
    Path out = Path.of("target", "bench").toAbsolutePath();
    Files.createDirectories(out);
    JsonArray rows = new JsonArray();
    results.forEach(r -> rows.add(r.json()));
    JsonObject report = new JsonObject()
        .put("benchmark", "s3")
        .put("time", Instant.now().toString())
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("secondsPerPhase", seconds)
        .put("concurrency", concurrency)
        .put("loadAverageBefore", loadBefore)
        .put("loadAverageAfter", loadAfter)
        .put("durability", "object bytes fsync'd (file and directory) before the metadata commit; SQLite WAL, synchronous=NORMAL")
        .put("targets", new JsonObject().put("put4KiBPerSecond", 1500).put("get4KiBPerSecond", 3000))
        .put("results", rows);
    Files.writeString(out.resolve("s3-bench.json"), report.encodePrettily());
    System.out.println("\nwrote " + out.resolve("s3-bench.json"));
  }

  private static String size(int bytes) {
    return bytes >= 1024 * 1024 ? bytes / (1024 * 1024) + " MiB" : bytes / 1024 + " KiB";
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private static int option(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
