package dev.tarsier.gateway.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code tarsier demo}: the asset pipeline end to end on a running platform. Deploys the pipeline,
 * creates the source and destination buckets, sets the notification, uploads a sample tarball, waits
 * for the function while showing progress, then prints the index. Every step is create-or-update,
 * so running it again is harmless.
 */
public final class Demo {
  static final String FUNCTION = "asset-pipeline";
  /**
   * The pipeline's memory size; {@code ./tarsier bench pipeline} deploys it the same way. Its {@code /tmp}
   * is disk, as on Lambda, so a 100 MB tarball and its files there need no memory beyond the JVM's own
   * (with 2048 MB, warm runs were no faster).
   */
  public static final int MEMORY_MB = 1024;
  /**
   * The pipeline hashes every byte twice (MD5 for names, SHA-256 to sign each upload over HTTP), which
   * the JVM's C2 compiler does with CPU instructions and the C1 compiler the Java runtimes stop at does
   * not. So, as Lambda's guidance for compute-heavy functions says, it lifts that limit. It also has C2
   * take a method at a quarter of the JVM's usual call counts: most of the SDK's code runs once per
   * upload, so at the default counts C2 was still compiling it 20 runs (20,000 uploads) in, with the
   * function's sandbox spending about 0.2 s of CPU a run on it. In an interleaved bench (two functions,
   * alternating runs), runs 11 to 30 took a median 1.65 s against 1.81 s, and the function 0.96 s of CPU
   * against 1.17 s; a tenth of the counts did no better than a quarter.
   */
  public static final String JAVA_TOOL_OPTIONS = "-XX:TieredStopAtLevel=4 -XX:CompileThresholdScaling=0.25";
  static final String UPLOADS = "tarsier-demo-uploads";
  static final String ASSETS = "tarsier-demo-assets";
  static final String KEY = "sample site.tgz";

  private final LambdaHttp http;
  private final Path examples;

  Demo(LambdaHttp http, Path examples) {
    this.http = http;
    this.examples = examples;
  }

  int run(List<String> args) throws Exception {
    JsonObject health = new JsonObject(LambdaHttp.expect(http.send("GET", "/_/health", null), 200).body());
    String runtime = health.getJsonArray("runtimes").contains("java25") ? "java25" : "java17";
    step("deploying " + FUNCTION + " (" + runtime + ")");
    deploy(runtime);
    step("creating buckets " + UPLOADS + " and " + ASSETS);
    bucket(UPLOADS);
    bucket(ASSETS);
    step("routing new .tgz uploads in " + UPLOADS + " to " + FUNCTION);
    notification();
    byte[] tarball = SampleTarball.tarball(SampleTarball.files());
    try (BufferedReader logs = follow()) {
      step(String.format("uploading %s (%,d bytes, %d files)", KEY, tarball.length, SampleTarball.files().size()));
      LambdaHttp.expect(http.send(HttpRequest.newBuilder(http.endpoint().resolve("/" + UPLOADS + "/" + path(KEY)))
          .PUT(HttpRequest.BodyPublishers.ofByteArray(tarball)).header("Content-Type", "application/gzip")), 200);
      step("waiting for the bucket event to run " + FUNCTION);
      String log = awaitInvocation(logs, Duration.ofMinutes(3));
      System.out.println();
      System.out.print(indent(log));
    }
    String index = LambdaHttp.expect(http.send("GET", "/" + ASSETS + "/" + path("sample site/index.json"), null), 200).body();
    step("index.json (" + new JsonArray(index).size() + " files):");
    System.out.print(indent(index));
    System.out.println();
    System.out.println("See it in the console: " + http.endpoint().resolve("/_/console/") + "  (invocations of " + FUNCTION + ")");
    System.out.println("Or: ./tarsier logs " + FUNCTION);
    return 0;
  }

  private void deploy(String runtime) throws IOException, InterruptedException {
    Path zip = examples.resolve("asset-pipeline/target/asset-pipeline.zip");
    if (!Files.exists(zip)) {
      throw new CliFailure("build the examples first (./mvnw package): " + zip + " is missing");
    }
    JsonObject settings = new JsonObject()
        .put("Runtime", runtime)
        .put("Handler", "example.assets.AssetHandler::handleRequest")
        .put("MemorySize", MEMORY_MB)
        .put("Timeout", 120)
        .put("Environment", new JsonObject().put("Variables", new JsonObject(Map.of(
            "DESTINATION_BUCKET", ASSETS, "PUBLIC_BASE_URL", http.endpoint().resolve("/").toString(),
            "JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS))));
    String encoded = Base64.getEncoder().encodeToString(Files.readAllBytes(zip));
    String path = "/2015-03-31/functions/" + FUNCTION;
    if (http.send("GET", path, null).status() == 404) {
      settings.put("FunctionName", FUNCTION).put("Role", "arn:aws:iam::000000000000:role/lambda")
          .put("Code", new JsonObject().put("ZipFile", encoded));
      LambdaHttp.expect(http.sendWithProgress("POST", "/2015-03-31/functions", settings.encode()), 201);
    } else {
      LambdaHttp.expect(http.sendWithProgress("PUT", path + "/code", new JsonObject().put("ZipFile", encoded).encode()), 200);
      LambdaHttp.expect(http.send("PUT", path + "/configuration", settings.encode()), 200);
    }
  }

  private void bucket(String name) throws IOException, InterruptedException {
    LambdaHttp.Reply reply = http.send("PUT", "/" + name, null);
    if (reply.status() != 200 && !reply.body().contains("BucketAlreadyOwnedByYou")) {
      throw new CliFailure("could not create bucket " + name + ": " + reply.body());
    }
  }

  private void notification() throws IOException, InterruptedException {
    String xml = "<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><CloudFunctionConfiguration>"
        + "<Id>demo-tarballs</Id><CloudFunction>arn:aws:lambda:us-east-1:000000000000:function:" + FUNCTION + "</CloudFunction>"
        + "<Event>s3:ObjectCreated:Put</Event><Event>s3:ObjectCreated:CompleteMultipartUpload</Event>"
        + "<Filter><S3Key><FilterRule><Name>suffix</Name><Value>.tgz</Value></FilterRule></S3Key></Filter>"
        + "</CloudFunctionConfiguration></NotificationConfiguration>";
    LambdaHttp.expect(http.send(HttpRequest.newBuilder(http.endpoint().resolve("/" + UPLOADS + "?notification"))
        .PUT(HttpRequest.BodyPublishers.ofString(xml)).header("Content-Type", "application/xml")), 200);
  }

  private BufferedReader follow() throws IOException, InterruptedException {
    return new BufferedReader(new InputStreamReader(http.stream("/_/api/functions/" + FUNCTION + "/logs?follow=true"),
        StandardCharsets.UTF_8));
  }

  /** Reads the log stream until an invocation of the pipeline (not the test event) ends, printing progress. */
  private static String awaitInvocation(BufferedReader logs, Duration within) throws IOException {
    Instant deadline = Instant.now().plus(within);
    Instant started = Instant.now();
    StringBuilder log = new StringBuilder();
    long lastShown = 0;
    String line;
    while (Instant.now().isBefore(deadline) && (line = logs.readLine()) != null) {
      if (line.startsWith("data: ")) {
        log.append(line.substring(6)).append('\n');
        if (line.startsWith("data: REPORT")) {
          if (log.indexOf("processed s3://") >= 0 || log.indexOf("Error") >= 0) {
            return log.toString();
          }
          log.setLength(0);
        }
      } else if (line.startsWith(":")) {
        long waited = Duration.between(started, Instant.now()).toSeconds();
        if (Cli.TERMINAL) {
          System.out.printf("\r  ... %d s", waited);
          System.out.flush();
        } else if (waited > 0 && waited % 10 == 0 && waited != lastShown) {
          lastShown = waited;
          System.out.printf("  ... %d s%n", waited);
        }
      }
    }
    throw new CliFailure("the pipeline did not run within " + within.toSeconds() + " s; see ./tarsier logs " + FUNCTION);
  }

  private static void step(String what) {
    System.out.println("==> " + what);
  }

  private static String indent(String text) {
    return text.lines().map(line -> "    " + line + "\n").reduce("", String::concat);
  }

  private static String path(String key) {
    StringBuilder encoded = new StringBuilder();
    for (String segment : key.split("/", -1)) {
      if (encoded.length() > 0) {
        encoded.append('/');
      }
      encoded.append(java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return encoded.toString();
  }
}
