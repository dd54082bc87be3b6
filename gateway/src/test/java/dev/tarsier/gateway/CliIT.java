package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ./tarsier deploy | invoke | logs} as a user runs them: a separate process talking to the real platform. */
class CliIT {
  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;

  @BeforeAll
  static void start() throws Exception {
    platform = PLATFORM.get();
  }

  @Test
  void deploysInvokesAndShowsLogs() throws Exception {
    Path module = Path.of(System.getProperty("tarsier.examples", "../functions/examples")).resolve("hello-java");
    Result deployed = cli("deploy", module.toString(), "--name", "cli-hello", "--handler", "example.Hello::handleRequest",
        "--memory", "256", "--env", "GREETING=hi");
    assertThat(deployed.exit).as(deployed.output).isZero();
    assertThat(deployed.output).contains("created arn:aws:lambda:us-east-1:000000000000:function:cli-hello");

    Path event = Files.writeString(Files.createTempFile("event", ".json"), "{\"name\":\"Tapir\"}");
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

  private record Result(int exit, String output) {}

  private static Result cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", "target/classes:target/lib/*", "dev.tarsier.gateway.cli.Cli"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("TARSIER_ENDPOINT", platform.endpoint().toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }
}
