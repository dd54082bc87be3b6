package dev.tarsier.gateway;

import dev.tarsier.gateway.cli.Demo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;

/**
 * {@code ./tarsier bench pipeline}: a 100 MB tarball of 1,000 files through the asset pipeline, from the
 * PutObject to the index written, beside {@code tar xzf} plus {@code md5sum} of the same tarball on this
 * machine (the best of several: before, between and after the runs). Runs it {@code --runs} times (3), each tarball under a key of its own: the first on a platform and a
 * sandbox that have done nothing yet, the others warmed up. The function is deployed as {@code ./tarsier demo}
 * deploys it; {@code --java-tool-options} replaces its {@code JAVA_TOOL_OPTIONS} ({@code none}: unset, so C1
 * only, Lambda's default). Prints a line a run and writes {@code target/bench/pipeline.json}.
 *
 * <p>{@code --compare-java-tool-options} and {@code --compare-zip} deploy a second variant (B) of the
 * function beside the first (A), on the same platform, and alternate them run by run (A B, then B A): one
 * series of 40 on this machine differs from the next by up to a fifth, so two versions measured in separate
 * series cannot be told apart, while interleaved runs share whatever the machine is going through.
 */
public final class PipelineBench {
  private static final int FILES = 1000;
  private static final int FILE_BYTES = 100 * 1024;
  private static final int CORES = Runtime.getRuntime().availableProcessors();
  /** CPU time of this JVM: the platform, and the S3 client that puts the tarball. */
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private PipelineBench() {}

  /**
   * One deployment of the pipeline: its label in the output ({@code ""} when there is only one), its
   * function, the bucket whose uploads trigger it, its zip and its {@code JAVA_TOOL_OPTIONS}.
   */
  record Variant(String label, String function, String bucket, SdkBytes zip, String toolOptions) {
    String prefix() {
      return label.isEmpty() ? "" : label + " ";
    }
  }

  public static void main(String[] args) throws Exception {
    int runs = Integer.parseInt(option(args, "--runs", "3"));
    String toolOptions = option(args, "--java-tool-options", Demo.JAVA_TOOL_OPTIONS);
    String compareToolOptions = option(args, "--compare-java-tool-options", null);
    String compareZip = option(args, "--compare-zip", null);
    boolean comparing = compareToolOptions != null || compareZip != null;
    List<Variant> variants = new ArrayList<>();
    variants.add(new Variant(comparing ? "A" : "", "pipeline", "bench-uploads", RunningPlatform.example("asset-pipeline"), toolOptions));
    if (comparing) {
      variants.add(new Variant("B", "pipeline-b", "bench-uploads-b",
          compareZip == null ? RunningPlatform.example("asset-pipeline") : SdkBytes.fromByteArray(Files.readAllBytes(Path.of(compareZip))),
          compareToolOptions == null ? toolOptions : compareToolOptions));
    }
    Path out = Files.createDirectories(Path.of("target", "bench").toAbsolutePath());
    Path work = Files.createTempDirectory("tarsier-pipeline-bench-");
    JsonArray results = new JsonArray();
    List<Double> floors = new ArrayList<>();
    long tarballBytes;
    try {
      Path tarball = tarball(work.resolve("assets.tgz"));
      tarballBytes = Files.size(tarball);
      for (int i = 0; i < 3; i++) {
        floors.add(floor(tarball));
      }
      runs(runs, variants, tarball, results, floors);
      for (int i = 0; i < 3; i++) {
        floors.add(floor(tarball));
      }
    } finally {
      RunningPlatform.deleteTree(work);
    }
    // The floor is the best of all of them: 3 before the platform starts, 1 just before each run, 3 after the
    // platform stops; the ratios against it can only err on the side of too high.
    double floorSeconds = floors.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    results.forEach(r -> ((JsonObject) r).put("ratio", ((JsonObject) r).getDouble("pipelineSeconds") / floorSeconds));
    System.out.printf(Locale.ROOT, "  floor (tar xzf + md5sum): best %.2f s of %d, from %.2f s to %.2f s%n", floorSeconds, floors.size(),
        floorSeconds, floors.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    JsonObject report = new JsonObject().put("files", FILES).put("tarballBytes", tarballBytes).put("javaToolOptions", toolOptions)
        .put("floorSeconds", floorSeconds).put("floors", new JsonArray(new ArrayList<>(floors))).put("runs", results);
    if (comparing) {
      report.put("compareZip", compareZip).put("variants", PipelineSummary.compare(runs, variants, results, floorSeconds));
      writeReport(out, report);
      return;
    }
    PipelineSummary.single(runs, results, report);
    writeReport(out, report);
  }

  private static void writeReport(Path out, JsonObject report) throws Exception {
    report.put("loadAverage", Files.readString(Path.of("/proc/loadavg")).strip());
    Files.writeString(out.resolve("pipeline.json"), report.encodePrettily());
    System.out.println("  written to " + out.resolve("pipeline.json"));
  }

  /**
   * Deploys every variant of the pipeline on a fresh platform and puts the tarball {@code runs} times for
   * each, alternating them, adding a result a run and, just before each, a floor.
   */
  private static void runs(int runs, List<Variant> variants, Path tarball, JsonArray results, List<Double> floors)
      throws Exception {
    try (RunningPlatform platform = RunningPlatform.start(Duration.ofMinutes(10L * variants.size()))) {
      String runtime = platform.platform.pool().offeredRuntimes().stream().anyMatch(r -> r.wireName().equals("java25")) ? "java25" : "java17";
      S3Client s3 = platform.s3PathStyle();
      s3.createBucket(b -> b.bucket("bench-assets"));
      List<LogCounter> logs = new ArrayList<>();
      try {
        for (Variant variant : variants) {
          logs.add(deploy(platform, s3, runtime, variant));
        }
        System.out.printf(Locale.ROOT, "%nasset pipeline: %d MB tarball of %d files, PutObject → index written; %s%n",
            Files.size(tarball) / (1024 * 1024), FILES, runtime);
        for (Variant variant : variants) {
          System.out.printf(Locale.ROOT, "  %sJAVA_TOOL_OPTIONS=%s%n", variant.prefix(), variant.toolOptions().isBlank() || variant.toolOptions().equals("none")
              ? "(none: C1 only, Lambda's default)" : variant.toolOptions());
        }
        for (int run = 1; run <= runs; run++) {
          for (int i = 0; i < variants.size(); i++) {
            // A then B, B then A: neither always runs just after the other.
            int which = run % 2 == 1 ? i : variants.size() - 1 - i;
            double floorSeconds = floor(tarball);
            floors.add(floorSeconds);
            results.add(run(platform, s3, logs.get(which), variants.get(which), tarball, run, floorSeconds));
          }
        }
      } finally {
        logs.forEach(LogCounter::close);
      }
    }
  }

  /** Deploys {@code variant}'s function, points its bucket's uploads at it, and waits for the test event to run it. */
  private static LogCounter deploy(RunningPlatform platform, S3Client s3, String runtime, Variant variant) throws Exception {
    Map<String, String> environment = new HashMap<>(Map.of("DESTINATION_BUCKET", "bench-assets"));
    if (!variant.toolOptions().isBlank() && !variant.toolOptions().equals("none")) {
      environment.put("JAVA_TOOL_OPTIONS", variant.toolOptions());
    }
    platform.lambda(1).createFunction(b -> b.functionName(variant.function()).runtime(runtime).handler("example.assets.AssetHandler::handleRequest")
        .memorySize(Demo.MEMORY_MB).timeout(600).role("arn:aws:iam::000000000000:role/lambda")
        .environment(e -> e.variables(environment)).code(c -> c.zipFile(variant.zip())));
    platform.lambda(1).putFunctionEventInvokeConfig(b -> b.functionName(variant.function()).maximumRetryAttempts(0));
    s3.createBucket(b -> b.bucket(variant.bucket()));
    LogCounter logs = platform.follow(variant.function());
    s3.putBucketNotificationConfiguration(b -> b.bucket(variant.bucket()).notificationConfiguration(n -> n.lambdaFunctionConfigurations(
        c -> c.lambdaFunctionArn("arn:aws:lambda:us-east-1:000000000000:function:" + variant.function()).events(Event.S3_OBJECT_CREATED))));
    if (!logs.await(1, Duration.ofMinutes(2))) {
      logs.close();
      throw new IllegalStateException("the test event did not run " + variant.function());
    }
    return logs;
  }

  /**
   * One tarball through the pipeline under a key of its own, so every run writes new objects. The first
   * run meets a platform and a sandbox that have done nothing yet; later ones show them warmed up.
   */
  private static JsonObject run(RunningPlatform platform, S3Client s3, LogCounter logs, Variant variant, Path tarball, int run,
      double floorSeconds) throws Exception {
    String key = "assets-" + run + ".tgz";
    long platformCpu = PROCESS.getProcessCpuTime();
    long functionCpu = sandboxCpuNanos(platform);
    long start = System.nanoTime();
    s3.putObject(b -> b.bucket(variant.bucket()).key(key), RequestBody.fromFile(tarball));
    double putSeconds = (System.nanoTime() - start) / 1e9;
    if (!logs.await(1, Duration.ofMinutes(10))) {
      throw new IllegalStateException("the pipeline did not finish within 10 minutes");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double platformCpuSeconds = (PROCESS.getProcessCpuTime() - platformCpu) / 1e9;
    double functionCpuSeconds = (sandboxCpuNanos(platform) - functionCpu) / 1e9;
    String log = logs.logs().get(logs.logs().size() - 1);
    if (!log.contains("processed s3://" + variant.bucket() + "/" + key + ": " + FILES + " files")) {
      throw new IllegalStateException("the pipeline failed:\n" + log);
    }
    String phases = log.lines().filter(line -> line.contains("processed s3://")).findFirst()
        .map(line -> line.substring(line.lastIndexOf('(') + 1, line.lastIndexOf(')'))).orElse("");
    String duration = log.lines().filter(line -> line.startsWith("REPORT")).findFirst()
        .map(line -> line.replaceAll(".*\tDuration: ([0-9.]+) ms.*", "$1")).orElse("?");
    System.out.printf(Locale.ROOT, "  %srun %d: %.2f s (tar xzf + md5sum just before: %.2f s)%n", variant.prefix(), run, seconds, floorSeconds);
    System.out.printf(Locale.ROOT, "         PutObject %.2f s, function %s ms: %s%n", putSeconds, duration, phases);
    System.out.printf(Locale.ROOT, "         CPU: platform and bench client %.2f s, function's sandbox %.2f s; %.0f%% of %d cores%n",
        platformCpuSeconds, functionCpuSeconds, 100 * (platformCpuSeconds + functionCpuSeconds) / (seconds * CORES), CORES);
    return new JsonObject().put("variant", variant.label()).put("run", run).put("pipelineSeconds", seconds).put("floorJustBeforeSeconds", floorSeconds)
        .put("putObjectSeconds", putSeconds).put("functionMillis", duration.equals("?") ? null : Double.valueOf(duration)).put("phases", phases)
        .put("platformCpuSeconds", platformCpuSeconds).put("functionCpuSeconds", functionCpuSeconds);
  }

  /** CPU time of this platform's sandboxes so far, from their cpuacct cgroups (0 where there are none). */
  private static long sandboxCpuNanos(RunningPlatform platform) throws Exception {
    long total = 0;
    for (String id : platform.containers()) {
      Path usage = Path.of("/sys/fs/cgroup/cpuacct/tarsier", id, "cpuacct.usage");
      if (Files.exists(usage)) {
        total += Long.parseLong(Files.readString(usage).strip());
      }
    }
    return total;
  }

  private static String option(String[] args, String name, String otherwise) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return otherwise;
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

  /**
   * One {@code tar xzf} plus {@code md5sum} of the tarball into a new directory, on a quiet machine: after a
   * {@code sync}, so no earlier write's flushing lands in it, and once the cores are idle, so the JIT
   * compilers still finishing the last run's work do not slow it.
   */
  private static double floor(Path tarball) throws Exception {
    // A fresh directory each time, so the file system places it anew: the same tar was 1.7 times slower in
    // some directories than in others beside them (crowded block groups), and the floor is the best placement.
    Path dir = Files.createTempDirectory("tarsier-floor-");
    if (new ProcessBuilder("sync").inheritIO().start().waitFor() != 0) {
      throw new IllegalStateException("sync failed");
    }
    awaitIdleCores(Duration.ofSeconds(20));
    long start = System.nanoTime();
    Process process = new ProcessBuilder("bash", "-c", "tar xzf " + tarball + " -C " + dir + " && find " + dir
        + " -type f -print0 | xargs -0 md5sum > /dev/null").inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("tar xzf + md5sum failed");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    RunningPlatform.deleteTree(dir);
    return seconds;
  }

  /** Waits until the cores were at least 90% idle over a quarter of a second, or {@code atMost} passed. */
  private static void awaitIdleCores(Duration atMost) throws Exception {
    long deadline = System.nanoTime() + atMost.toNanos();
    long[] before = cpuTicks();
    while (System.nanoTime() < deadline) {
      Thread.sleep(250);
      long[] after = cpuTicks();
      if (after[1] - before[1] >= 0.9 * (after[0] - before[0])) {
        return;
      }
      before = after;
    }
  }

  /** All CPU ticks so far and the idle ones (idle and iowait), from {@code /proc/stat}. */
  private static long[] cpuTicks() throws Exception {
    String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < fields.length; i++) {
      total += Long.parseLong(fields[i]);
    }
    return new long[] {total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
  }

}
