package dev.tarsier.gateway;

import dev.tarsier.sandbox.runc.TmpVolume;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;

/** A real platform on port 0 with its own data directory, and SDK clients pointed at it. */
final class RunningPlatform implements AutoCloseable {
  final Vertx vertx;
  final Platform platform;
  final Path dataDir;
  private List<String> leftContainers = List.of();

  private RunningPlatform(Vertx vertx, Platform platform, Path dataDir) {
    this.vertx = vertx;
    this.platform = platform;
    this.dataDir = dataDir;
  }

  static RunningPlatform start(Duration keepAlive) throws Exception {
    return start(config -> new GatewayConfig(config.host(), config.port(), config.dataDir(), keepAlive, config.accountConcurrency(),
        config.retryDelays()));
  }

  /** Starts a platform on port 0 in a fresh data directory, with {@code adjust} applied to the defaults. */
  static RunningPlatform start(UnaryOperator<GatewayConfig> adjust) throws Exception {
    return start(adjust, Clock.systemUTC());
  }

  /** As {@link #start(UnaryOperator)}, with the platform reading time from {@code clock}. */
  static RunningPlatform start(UnaryOperator<GatewayConfig> adjust, Clock clock) throws Exception {
    Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "platform-");
    Vertx vertx = Vertx.vertx();
    GatewayConfig config = adjust.apply(new GatewayConfig("127.0.0.1", 0, dataDir, Duration.ofMinutes(10)));
    Platform platform = Platform.start(vertx, config, clock).await(60, TimeUnit.SECONDS);
    return new RunningPlatform(vertx, platform, dataDir);
  }

  /** GET on the edge port, for the platform's own JSON API; fails unless the answer is 200. */
  String get(String path) throws IOException, InterruptedException {
    java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(endpoint().resolve(path)).timeout(Duration.ofSeconds(30)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** Counts logs published as invocations of {@code function} end; await it instead of polling. */
  LogCounter follow(String function) {
    return new LogCounter(vertx, function);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + platform.port());
  }

  LambdaClient lambda() {
    return lambda(3);
  }

  /** A client that retries at most {@code attempts - 1} times (1 to see throttles as they are). */
  LambdaClient lambda(int attempts) {
    return LambdaClient.builder()
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(attempts)))
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).build())
        .build();
  }

  /** The S3 client at its defaults: virtual-host addressing ({@code bucket.localhost}), checksums on. */
  S3Client s3() {
    return S3Clients.virtualHost(platform.port());
  }

  /** The S3 client with {@code forcePathStyle(true)}. */
  S3Client s3PathStyle() {
    return S3Clients.pathStyle(platform.port());
  }

  /** The ids of the containers runc knows under this platform's state directory. */
  List<String> containers() throws IOException, InterruptedException {
    return containers(dataDir);
  }

  /** The ids of the containers runc knows under {@code dataDir}'s state directory. */
  static List<String> containers(Path dataDir) throws IOException, InterruptedException {
    Path root = dataDir.resolve("runc");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    Process list = new ProcessBuilder("runc", "--root", root.toString(), "list", "--quiet").start();
    String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    list.waitFor();
    return out.lines().filter(line -> !line.isBlank()).toList();
  }

  static SdkBytes example(String name) throws IOException {
    Path examples = Path.of(System.getProperty("tarsier.examples", "../functions/examples"));
    return SdkBytes.fromByteArray(Files.readAllBytes(examples.resolve(name).resolve("target").resolve(name + ".zip")));
  }

  /**
   * Stops the platform. Its data directory goes too (a benchmark's holds gigabytes of objects), unless
   * containers or volumes were left behind: then it stays for a look, and {@link #leftContainers} says so.
   */
  @Override
  public void close() throws Exception {
    platform.close().await(30, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    leftContainers = containers();
    if (leftContainers.isEmpty() && TmpVolume.mountedUnder(dataDir).isEmpty()) {
      deleteTree(dataDir);
    }
  }

  /** The containers runc still knew when {@link #close} had stopped the platform. */
  List<String> leftContainers() {
    return leftContainers;
  }

  /** Deletes {@code dir} and everything under it. */
  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
