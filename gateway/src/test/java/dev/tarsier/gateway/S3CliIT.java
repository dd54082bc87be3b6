package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AWS CLI's high-level {@code s3} commands against the store: mb, cp up (multipart past 8 MiB) and
 * down (ranged GETs with If-Match), ls, rm and rb. Skipped where no {@code aws} is installed: the CLI
 * is a convenience check, the SDK tests are the contract.
 */
class S3CliIT {
  private static RunningPlatform platform;
  private static String aws;

  @BeforeAll
  static void start() throws Exception {
    aws = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .map(dir -> Path.of(dir, "aws"))
        .filter(Files::isExecutable)
        .map(Path::toString)
        .findFirst()
        .orElse(Files.isExecutable(Path.of("/root/.pyenv/shims/aws")) ? "/root/.pyenv/shims/aws" : null);
    assumeTrue(aws != null, "no aws CLI installed");
    platform = RunningPlatform.start(Duration.ofMinutes(1));
  }

  @AfterAll
  static void stop() throws Exception {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void makesCopiesListsRemovesAndDeletesABucket() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cli-");
    Path upload = dir.resolve("big file.bin");
    byte[] bytes = S3ObjectsIT.bytes(10 * 1024 * 1024 + 5, 99);
    Files.write(upload, bytes);

    assertThat(run("s3", "mb", "s3://cli-bucket")).contains("make_bucket: cli-bucket");
    assertThat(run("s3", "cp", upload.toString(), "s3://cli-bucket/dir/big file.bin")).contains("upload:");
    assertThat(run("s3", "cp", "-", "s3://cli-bucket/dir/small.txt", "--content-type", "text/plain")).isEmpty();
    assertThat(run("s3", "ls", "s3://cli-bucket/dir/")).contains("big file.bin").contains("small.txt").contains(String.valueOf(bytes.length));
    assertThat(run("s3", "ls", "s3://cli-bucket")).contains("PRE dir/");

    Path download = dir.resolve("back.bin");
    assertThat(run("s3", "cp", "s3://cli-bucket/dir/big file.bin", download.toString())).contains("download:");
    assertThat(Files.readAllBytes(download)).isEqualTo(bytes);

    assertThat(run("s3", "rm", "--recursive", "s3://cli-bucket/")).contains("delete:");
    assertThat(run("s3", "rb", "s3://cli-bucket")).contains("remove_bucket: cli-bucket");
  }

  private static String run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(aws, "--endpoint-url", "http://127.0.0.1:" + platform.platform.port()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("AWS_ACCESS_KEY_ID", "test");
    builder.environment().put("AWS_SECRET_ACCESS_KEY", "test");
    builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
    builder.environment().put("AWS_CONFIG_FILE", "/dev/null");
    builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    Process process = builder.start();
    if (args.length > 1 && args[1].equals("cp") && args[2].equals("-")) {
      process.getOutputStream().write("from stdin".getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("aws " + String.join(" ", args) + ":\n" + output).isZero();
    return output;
  }
}
