package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarsier.sandbox.SandboxConfig;
import dev.tarsier.sandbox.WarmPool;
import dev.tarsier.sandbox.runc.TmpVolume;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * The platform killed with {@code kill -9} while it has sandboxes: the next start on the same data
 * directory removes the containers, cgroups and {@code /tmp} volumes it left.
 */
class PlatformCrashIT {
  private static final Pattern EDGE = Pattern.compile("edge\\s+http://127\\.0\\.0\\.1:(\\d+)");

  @Test
  void aRestartRemovesTheContainersAndCgroupsOfAPlatformKilledWithSigkill() throws Exception {
    RealContainers.require();
    Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "crashed-");
    Process platform = startPlatform(dataDir);
    List<String> left;
    try {
      int port = awaitPort(platform);
      SdkBytes code = RunningPlatform.example("hello-java");
      try (LambdaClient lambda = lambda(port)) {
        lambda.createFunction(b -> b.functionName("crash-victim").runtime(Runtime.JAVA25).handler("example.Hello::handleRequest")
            .role("arn:aws:iam::000000000000:role/lambda")
            .code(FunctionCode.builder().zipFile(code).build()));
        lambda.invoke(b -> b.functionName("crash-victim").payload(SdkBytes.fromUtf8String("{\"name\":\"Tapir\"}")));
      }
    } finally {
      platform.destroyForcibly();
      platform.onExit().get(30, TimeUnit.SECONDS);
    }
    left = RunningPlatform.containers(dataDir);
    assertThat(left).as("the killed platform left its sandbox behind").isNotEmpty();
    assertThat(TmpVolume.mountedUnder(dataDir)).as("and its /tmp volume mounted").isNotEmpty();

    Vertx vertx = Vertx.vertx();
    try {
      WarmPool pool = WarmPool.create(vertx, SandboxConfig.defaults(dataDir).withJavaArchives(false), Clock.systemUTC())
          .await(60, TimeUnit.SECONDS);
      pool.close().await(30, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }

    assertThat(RunningPlatform.containers(dataDir)).isEmpty();
    assertThat(TmpVolume.mountedUnder(dataDir)).isEmpty();
    for (String id : left) {
      for (String controller : List.of("memory", "pids", "cpu", "freezer")) {
        assertThat(Path.of("/sys/fs/cgroup", controller, "tarsier", id)).as("cgroup of " + id).doesNotExist();
      }
    }
  }

  /** The platform as its own JVM, as {@code ./tarsier up} starts it, on a free port. */
  private static Process startPlatform(Path dataDir) throws Exception {
    String javaBinary = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(javaBinary, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
        "-cp", "target/classes" + java.io.File.pathSeparator + "target/lib/*",
        "dev.tarsier.gateway.Main", "--port", "0", "--data", dataDir.toString())
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .start();
  }

  /** Reads the banner until it names the edge port. */
  private static int awaitPort(Process platform) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(platform.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.append(line).append('\n');
      Matcher edge = EDGE.matcher(line);
      if (edge.find()) {
        // Keep draining its output so the platform never blocks on a full pipe.
        Thread.ofVirtual().start(() -> out.lines().forEach(ignored -> { }));
        return Integer.parseInt(edge.group(1));
      }
    }
    throw new AssertionError("the platform exited before it listened:\n" + seen);
  }

  private static LambdaClient lambda(int port) {
    return LambdaClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).build())
        .build();
  }
}
