package dev.tarsier.gateway;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;

/**
 * {@code ./tarsier bench events}: how long after a PutObject is acknowledged its bucket event reaches a
 * warm function (the function prints the wall clock when its handler starts; same machine, same clock).
 * Prints a table and writes {@code target/bench/events.json}. Argument: {@code --events N} (300).
 */
public final class EventLatencyBench {
  private static final Pattern STARTED = Pattern.compile("handler started at (\\d+)");
  private static final String FUNCTION = """
      import time

      def handler(event, context):
          print('handler started at %d' % time.time_ns())
          return 'ok'
      """;

  private EventLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int events = args.length == 2 && args[0].equals("--events") ? Integer.parseInt(args[1]) : 300;
    Path out = Files.createDirectories(Path.of("target", "bench").toAbsolutePath());
    try (RunningPlatform platform = RunningPlatform.start(Duration.ofMinutes(10))) {
      SdkBytes code = zip();
      platform.lambda(1).createFunction(b -> b.functionName("on-put").runtime(Runtime.PYTHON3_11).handler("fn.handler").memorySize(128)
          .role("arn:aws:iam::000000000000:role/lambda").code(c -> c.zipFile(code)));
      S3Client s3 = platform.s3PathStyle();
      s3.createBucket(b -> b.bucket("bench-events"));
      List<Long> latencies = new ArrayList<>();
      try (LogCounter logs = platform.follow("on-put")) {
        s3.putBucketNotificationConfiguration(b -> b.bucket("bench-events").notificationConfiguration(n -> n.lambdaFunctionConfigurations(
            c -> c.lambdaFunctionArn("arn:aws:lambda:us-east-1:000000000000:function:on-put").events(Event.S3_OBJECT_CREATED))));
        await(logs, 1);
        for (int i = 0; i < events + 20; i++) {
          int n = i;
          s3.putObject(b -> b.bucket("bench-events").key("object-" + n), RequestBody.fromString("x"));
          Instant acknowledged = Instant.now();
          await(logs, 1);
          Matcher started = STARTED.matcher(logs.logs().get(logs.logs().size() - 1));
          if (!started.find()) {
            throw new IllegalStateException("no start time in the log");
          }
          long nanos = Long.parseLong(started.group(1)) - (acknowledged.getEpochSecond() * 1_000_000_000L + acknowledged.getNano());
          if (i >= 20) {
            latencies.add(nanos);
          }
        }
      }
      Collections.sort(latencies);
      double p50 = percentile(latencies, 50);
      double p99 = percentile(latencies, 99);
      System.out.printf(Locale.ROOT, "%nbucket event → warm function start, after PutObject is acknowledged (%d events)%n", latencies.size());
      System.out.printf(Locale.ROOT, "  p50 %.2f ms   p99 %.2f ms   max %.2f ms%n", p50, p99, latencies.get(latencies.size() - 1) / 1e6);
      JsonObject report = new JsonObject().put("events", latencies.size()).put("p50Ms", p50).put("p99Ms", p99)
          .put("maxMs", latencies.get(latencies.size() - 1) / 1e6)
          .put("loadAverage", Files.readString(Path.of("/proc/loadavg")).strip());
      Files.writeString(out.resolve("events.json"), report.encodePrettily());
      System.out.println("  written to " + out.resolve("events.json"));
    }
  }

  private static void await(LogCounter logs, int count) throws InterruptedException {
    if (!logs.await(count, Duration.ofSeconds(60))) {
      throw new IllegalStateException("the function did not run within 60 s");
    }
  }

  private static double percentile(List<Long> sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
  }

  private static SdkBytes zip() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("fn.py"));
      zip.write(FUNCTION.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return SdkBytes.fromByteArray(bytes.toByteArray());
  }
}
