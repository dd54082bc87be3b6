package dev.tarsier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which runtimes are offered, and the process and environment each is started with. */
class RuntimesTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-31T10:15:30Z"), ZoneOffset.UTC);

  @TempDir
  Path dir;

  @Test
  void offersOnlyTheProvidedRuntimesWhenTheHostHasNoToolchain() throws IOException {
    Runtimes runtimes = prepare(dir.resolve("none"), dir.resolve("none"));
    assertThat(runtimes.offered()).containsExactlyInAnyOrder(RuntimeId.PROVIDED_AL2023, RuntimeId.PROVIDED);
  }

  @Test
  void offersNodeOnlyWhenTheHostsNodeIsVersion20() throws IOException {
    assertThat(prepare(fakeNode("v18.19.1"), dir.resolve("none")).offered()).doesNotContain(RuntimeId.NODEJS20);
    assertThat(prepare(fakeNode("v22.3.0"), dir.resolve("none")).offered()).doesNotContain(RuntimeId.NODEJS20);
    assertThat(prepare(fakeNode("v20.20.2"), dir.resolve("none")).offered()).contains(RuntimeId.NODEJS20);
    assertThat(Files.readString(runtimesDir().resolve("node/bootstrap.js"))).isEqualTo(resource(NodeToolchain.BOOTSTRAP));
  }

  @Test
  void offersPythonWhenTheInterpreterExists() throws IOException {
    assertThat(prepare(dir.resolve("none"), executable("python3.11", "#!/bin/sh\n")).offered()).contains(RuntimeId.PYTHON311);
    assertThat(Files.readString(runtimesDir().resolve("python/bootstrap.py"))).isEqualTo(resource(PythonToolchain.BOOTSTRAP));
  }

  @Test
  void rewritesABootstrapOnlyWhenItsBytesChanged() throws IOException {
    Path python = executable("python3.11", "#!/bin/sh\n");
    prepare(dir.resolve("none"), python);
    Path bootstrap = runtimesDir().resolve("python/bootstrap.py");
    FileTime longAgo = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Files.setLastModifiedTime(bootstrap, longAgo);

    prepare(dir.resolve("none"), python);
    assertThat(Files.getLastModifiedTime(bootstrap)).as("unchanged file left alone").isEqualTo(longAgo);

    Files.writeString(bootstrap, "print('stale')\n");
    prepare(dir.resolve("none"), python);
    assertThat(Files.readString(bootstrap)).isEqualTo(resource(PythonToolchain.BOOTSTRAP));
    assertThat(Files.getPosixFilePermissions(bootstrap)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
  }

  @Test
  void startsNodeOnOurBootstrapWithLambdasEnvironment() throws IOException {
    Runtimes.Launch launch = prepare(fakeNode("v20.20.2"), dir.resolve("none"))
        .launch(spec(RuntimeId.NODEJS20, "hello-event.handler", Map.of()), "127.0.0.1:40001", InitializationType.ON_DEMAND);
    assertThat(launch.args()).startsWith(dir.resolve("node").toString()).endsWith("/var/runtime/node/bootstrap.js")
        .contains("--max-old-space-size=231", "--max-semi-space-size=12");
    assertThat(launch.env())
        .containsEntry("AWS_EXECUTION_ENV", "AWS_Lambda_nodejs20.x")
        .containsEntry("_HANDLER", "hello-event.handler")
        .containsEntry("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:40001")
        .containsEntry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .containsEntry("LAMBDA_TASK_ROOT", "/var/task")
        .containsEntry("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    assertThat(launch.env().get("AWS_LAMBDA_LOG_STREAM_NAME")).matches("2025/01/31/\\[\\$LATEST][0-9a-f]{32}");
  }

  @Test
  void startsPythonUnbufferedOnOurBootstrapWithTheTaskImportable() throws IOException {
    Path python = executable("python3.11", "#!/bin/sh\n");
    Runtimes.Launch launch = prepare(dir.resolve("none"), python).launch(spec(RuntimeId.PYTHON311, "hello.handler", Map.of()), "127.0.0.1:40002", InitializationType.ON_DEMAND);
    assertThat(launch.args()).containsExactly(python.toString(), "-u", "-S", "/var/runtime/python/bootstrap.py");
    assertThat(launch.env())
        .containsEntry("AWS_EXECUTION_ENV", "AWS_Lambda_python3.11")
        .containsEntry("PYTHONPATH", "/var/task")
        .containsEntry("PYTHONUNBUFFERED", "1")
        .containsEntry("PYTHONDONTWRITEBYTECODE", "1");
  }

  @Test
  void startsTheFunctionsOwnBootstrapForProvidedWithoutAnExecutionEnv() throws IOException {
    Files.writeString(dir.resolve("bootstrap"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(dir.resolve("bootstrap"), PosixFilePermissions.fromString("r-xr-xr-x"));
    Runtimes runtimes = prepare(dir.resolve("none"), dir.resolve("none"));
    for (RuntimeId provided : new RuntimeId[] {RuntimeId.PROVIDED_AL2023, RuntimeId.PROVIDED}) {
      Runtimes.Launch launch = runtimes.launch(spec(provided, "anything", Map.of()), "127.0.0.1:40003", InitializationType.PROVISIONED_CONCURRENCY);
      assertThat(launch.args()).containsExactly("/var/task/bootstrap");
      assertThat(launch.env()).doesNotContainKey("AWS_EXECUTION_ENV").containsEntry("_HANDLER", "anything")
          .as("a pre-warmed sandbox says so").containsEntry("AWS_LAMBDA_INITIALIZATION_TYPE", "provisioned-concurrency");
    }
  }

  @Test
  void providedCodeWithoutBootstrapFailsInitAsAnInvalidEntrypoint() throws IOException {
    Runtimes runtimes = prepare(dir.resolve("none"), dir.resolve("none"));
    assertThatThrownBy(() -> runtimes.launch(spec(RuntimeId.PROVIDED_AL2023, "x", Map.of()), "127.0.0.1:40004", InitializationType.ON_DEMAND))
        .isInstanceOfSatisfying(SandboxFailure.InitFailed.class, failure -> {
          assertThat(failure.outcome().errorType()).isEqualTo("Runtime.InvalidEntrypoint");
          assertThat(failure.outcome().payload().toString()).contains("Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]");
        });
  }

  @Test
  void reservedVariablesWinOverTheFunctionsOwn() throws IOException {
    Runtimes.Launch launch = prepare(fakeNode("v20.20.2"), dir.resolve("none")).launch(
        spec(RuntimeId.NODEJS20, "index.handler", Map.of("AWS_LAMBDA_RUNTIME_API", "evil:1", "GREETING", "hi")), "127.0.0.1:40005",
        InitializationType.ON_DEMAND);
    assertThat(launch.env()).containsEntry("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:40005").containsEntry("GREETING", "hi");
  }

  @Test
  void startsJavaWithLambdasDefaultsUnlessJavaToolOptionsSetsTheSameOption() {
    JavaToolchain java = new JavaToolchain(RuntimeId.JAVA25, Path.of("/usr/lib/jvm/jdk-25"));
    Runtimes.Launch plain = java.launch(spec(RuntimeId.JAVA25, "example.Hello::handleRequest", Map.of()), new java.util.HashMap<>());
    assertThat(plain.args()).startsWith("/usr/lib/jvm/jdk-25/bin/java")
        .contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx204m")
        .endsWith("com.amazonaws.services.lambda.runtime.api.client.AWSLambda", "example.Hello::handleRequest");

    Map<String, String> env = new java.util.HashMap<>(Map.of("JAVA_TOOL_OPTIONS", " -XX:+TieredCompilation  -XX:TieredStopAtLevel=4 -XX:+UseParallelGC -Xmx100m"));
    Runtimes.Launch tuned = java.launch(spec(RuntimeId.JAVA25, "example.Hello::handleRequest", env), env);
    assertThat(tuned.args()).as("the function's own choices are left to JAVA_TOOL_OPTIONS, which the command line would override")
        .noneMatch(arg -> arg.startsWith("-XX:TieredStopAtLevel") || arg.startsWith("-Xmx") || arg.endsWith("GC"))
        .contains("-XX:-UsePerfData", "-Xshare:auto");
    assertThat(JvmDefaults.keep(List.of("-XX:+UseSerialGC", "-Xmx200m"), "-XX:MaxRAMPercentage=50 -Dfoo=-Xmx1m")).containsExactly("-XX:+UseSerialGC");
  }

  @Test
  void provisionedJava25SandboxesKeepTheJvmsTieredCompilationAsLambdasDo() {
    Map<String, String> provisioned = new java.util.HashMap<>(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "provisioned-concurrency"));
    assertThat(new JavaToolchain(RuntimeId.JAVA25, Path.of("/usr/lib/jvm/jdk-25"))
        .launch(spec(RuntimeId.JAVA25, "example.Hello::handleRequest", Map.of()), provisioned).args())
        .noneMatch(arg -> arg.startsWith("-XX:TieredStopAtLevel")).contains("-XX:+UseSerialGC");
    assertThat(new JavaToolchain(RuntimeId.JAVA17, Path.of("/usr/lib/jvm/jdk-17"))
        .launch(spec(RuntimeId.JAVA17, "example.Hello::handleRequest", Map.of()), provisioned).args())
        .as("Java 17 stops at C1 in every environment").contains("-XX:TieredStopAtLevel=1");
  }

  private Runtimes prepare(Path node, Path python) throws IOException {
    return Runtimes.prepare(runtimesDir(), new HostPaths(dir.resolve("no-jvms"), node, python), CLOCK);
  }

  private Path runtimesDir() {
    return dir.resolve("runtimes");
  }

  private Path fakeNode(String version) throws IOException {
    return executable("node", "#!/bin/sh\necho " + version + "\n");
  }

  private Path executable(String name, String script) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private SandboxSpec spec(RuntimeId runtime, String handler, Map<String, String> environment) {
    return new SandboxSpec("fn", "arn:aws:lambda:us-east-1:000000000000:function:fn", "key", runtime, handler, dir,
        256, Duration.ofSeconds(3), 512, environment);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = RuntimesTest.class.getResourceAsStream("/" + name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
