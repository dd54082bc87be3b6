package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarsier.gateway.cli.Demo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code ./tarsier deploy | invoke | logs | demo} as a user runs them: a separate process talking to the real platform. */
class CliIT {
  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;

  @BeforeAll
  static void start() throws Exception {
    platform = PLATFORM.get();
  }

  private static final Path EXAMPLES = Path.of(System.getProperty("tarsier.examples", "../functions/examples")).toAbsolutePath();

  @Test
  void deploysInvokesAndShowsLogs(@TempDir Path dir) throws Exception {
    Path module = EXAMPLES.resolve("hello-java");
    Result deployed = cli("deploy", module.toString(), "--name", "cli-hello", "--handler", "example.Hello::handleRequest",
        "--memory", "256", "--env", "GREETING=hi");
    assertThat(deployed.exit).as(deployed.output).isZero();
    assertThat(deployed.output).contains("created arn:aws:lambda:us-east-1:000000000000:function:cli-hello");

    Path event = Files.writeString(dir.resolve("event.json"), "{\"name\":\"Tapir\"}");
    Result invoked = cli("invoke", "cli-hello", event.toString());
    assertThat(invoked.exit).as(invoked.output).isZero();
    assertThat(invoked.output).contains("START RequestId:").contains("greeting Tapir").contains("REPORT RequestId:")
        .contains("\"message\":\"Hello, Tapir!\"");

    Result redeployed = cli("deploy", module.toString(), "--name", "cli-hello", "--handler", "example.Hello::handleRequest",
        "--memory", "512");
    assertThat(redeployed.output).contains("updated").contains("memory 512 MB");

    Result logs = cli("logs", "cli-hello");
    assertThat(logs.exit).isZero();
    assertThat(logs.output).contains("greeting Tapir");
  }

  @Test
  void reportsLambdaErrorsAsOneLine() throws Exception {
    Result missing = cli("invoke", "no-such-function");
    assertThat(missing.exit).isEqualTo(1);
    assertThat(missing.output).contains("tarsier: ResourceNotFoundException: Function not found");
  }

  @Test
  void demoRunsThePipelineEndToEndAndAgainHarmlessly() throws Exception {
    Result first = cli("demo");
    assertThat(first.exit).as(first.output).isZero();
    assertThat(first.output).contains("==> deploying asset-pipeline").contains("==> uploading sample site.tgz")
        .contains("processed s3://tarsier-demo-uploads/sample site.tgz: 7 files").contains("index.json (7 files):")
        .contains("See it in the console:");
    assertThat(first.output).as("the code upload's progress, as whole lines into a pipe").containsPattern("uploading [0-9.]+/[0-9.]+ MB \\(100%\\)\n");
    assertThat(platform.lambda(1).getFunctionConfiguration(b -> b.functionName("asset-pipeline")).environment().variables())
        .containsEntry("JAVA_TOOL_OPTIONS", Demo.JAVA_TOOL_OPTIONS).containsEntry("DESTINATION_BUCKET", "tarsier-demo-assets");

    S3Client s3 = platform.s3PathStyle();
    String indexJson = s3.getObjectAsBytes(b -> b.bucket("tarsier-demo-assets").key("sample site/index.json")).asUtf8String();
    JsonArray index = new JsonArray(indexJson);
    List<String> originals = new ArrayList<>();
    for (int i = 0; i < index.size(); i++) {
      JsonObject entry = index.getJsonObject(i);
      originals.add(entry.getString("originalFile"));
      String key = URLDecoder.decode(entry.getString("url").substring(entry.getString("url").indexOf("/tarsier-demo-assets/")
          + "/tarsier-demo-assets/".length()), StandardCharsets.UTF_8);
      byte[] bytes = s3.getObjectAsBytes(b -> b.bucket("tarsier-demo-assets").key(key)).asByteArray();
      assertThat(key).as("named by its own MD5").contains("-" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)));
    }
    assertThat(originals).containsExactlyInAnyOrder("/index.html", "/css/site.css", "/img/tapir.png", "/img/night sky.png",
        "/img/ñandú.png", "/docs/read me.txt", "/docs/Zürich/notes.md");

    Result again = cli("demo");
    assertThat(again.exit).as(again.output).isZero();
    assertThat(again.output).contains("index.json (7 files):");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("tarsier-demo-assets").key("sample site/index.json")).asUtf8String())
        .as("the same objects and the same index").isEqualTo(indexJson);
  }

  private record Result(int exit, String output) {}

  private static Result cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dtarsier.examples=" + EXAMPLES, "-Dtarsier.terminal=false", "-cp", "target/classes:target/lib/*", "dev.tarsier.gateway.cli.Cli"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("TARSIER_ENDPOINT", platform.endpoint().toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }
}
