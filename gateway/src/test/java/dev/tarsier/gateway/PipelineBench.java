package dev.tarsier.gateway;

import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;

/**
 * {@code ./tarsier bench pipeline}: a 100 MB tarball of 1,000 files through the asset pipeline, from the
 * PutObject to the index written, beside {@code tar xzf} plus {@code md5sum} of the same tarball on this
 * machine. Prints a table and writes {@code target/bench/pipeline.json}.
 */
public final class PipelineBench {
  private static final int FILES = 1000;
  private static final int FILE_BYTES = 100 * 1024;

  private PipelineBench() {}

  public static void main(String[] args) throws Exception {
    Path out = Files.createDirectories(Path.of("target", "bench").toAbsolutePath());
    Path work = Files.createTempDirectory(out, "pipeline-");
    Path tarball = tarball(work.resolve("assets.tgz"));
    double floorSeconds = floor(tarball, work.resolve("floor"));
    try (RunningPlatform platform = RunningPlatform.start(Duration.ofMinutes(10))) {
      var zip = RunningPlatform.example("asset-pipeline");
      String runtime = platform.platform.pool().offeredRuntimes().stream().anyMatch(r -> r.wireName().equals("java25")) ? "java25" : "java17";
      platform.lambda(1).createFunction(b -> b.functionName("pipeline").runtime(runtime).handler("example.assets.AssetHandler::handleRequest")
          .memorySize(2048).timeout(600).ephemeralStorage(e -> e.size(1024)).role("arn:aws:iam::000000000000:role/lambda")
          .environment(e -> e.variables(Map.of("DESTINATION_BUCKET", "bench-assets"))).code(c -> c.zipFile(zip)));
      platform.lambda(1).putFunctionEventInvokeConfig(b -> b.functionName("pipeline").maximumRetryAttempts(0));
      S3Client s3 = platform.s3PathStyle();
      s3.createBucket(b -> b.bucket("bench-uploads"));
      s3.createBucket(b -> b.bucket("bench-assets"));
      double seconds;
      try (LogCounter logs = platform.follow("pipeline")) {
        s3.putBucketNotificationConfiguration(b -> b.bucket("bench-uploads").notificationConfiguration(n -> n.lambdaFunctionConfigurations(
            c -> c.lambdaFunctionArn("arn:aws:lambda:us-east-1:000000000000:function:pipeline").events(Event.S3_OBJECT_CREATED))));
        if (!logs.await(1, Duration.ofMinutes(2))) {
          throw new IllegalStateException("the test event did not run");
        }
        long start = System.nanoTime();
        s3.putObject(b -> b.bucket("bench-uploads").key("assets.tgz"), RequestBody.fromFile(tarball));
        if (!logs.await(1, Duration.ofMinutes(10))) {
          throw new IllegalStateException("the pipeline did not finish within 10 minutes");
        }
        seconds = (System.nanoTime() - start) / 1e9;
        String log = logs.logs().get(logs.logs().size() - 1);
        if (!log.contains("processed s3://bench-uploads/assets.tgz: " + FILES + " files")) {
          throw new IllegalStateException("the pipeline failed:\n" + log);
        }
        log.lines().filter(line -> line.contains("processed s3://") || line.startsWith("REPORT")).forEach(line -> System.out.println("  " + line));
      }
      System.out.printf(Locale.ROOT, "%nasset pipeline: %d MB tarball of %d files, PutObject → index written%n",
          Files.size(tarball) / (1024 * 1024), FILES);
      System.out.printf(Locale.ROOT, "  pipeline %.2f s   floor (tar xzf + md5sum) %.2f s   ratio %.2fx (target ≤ 2x)%n",
          seconds, floorSeconds, seconds / floorSeconds);
      JsonObject report = new JsonObject().put("files", FILES).put("tarballBytes", Files.size(tarball)).put("pipelineSeconds", seconds)
          .put("floorSeconds", floorSeconds).put("ratio", seconds / floorSeconds)
          .put("loadAverage", Files.readString(Path.of("/proc/loadavg")).strip());
      Files.writeString(out.resolve("pipeline.json"), report.encodePrettily());
      System.out.println("  written to " + out.resolve("pipeline.json"));
    } finally {
      delete(work);
    }
  }

  /** 1,000 files of 100 KiB of random bytes (so gzip cannot shrink them), in ten directories. */
  private static Path tarball(Path file) throws Exception {
    Random random = new Random(42);
    byte[] content = new byte[FILE_BYTES];
    try (OutputStream raw = Files.newOutputStream(file);
         TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(raw))) {
      for (int i = 0; i < FILES; i++) {
        random.nextBytes(content);
        TarArchiveEntry entry = new TarArchiveEntry("dir-" + (i % 10) + "/file " + i + ".bin");
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  private static double floor(Path tarball, Path dir) throws Exception {
    Files.createDirectories(dir);
    long start = System.nanoTime();
    Process process = new ProcessBuilder("bash", "-c", "tar xzf " + tarball + " -C " + dir + " && find " + dir
        + " -type f -print0 | xargs -0 md5sum > /dev/null").inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("tar xzf + md5sum failed");
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static void delete(Path dir) throws Exception {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
