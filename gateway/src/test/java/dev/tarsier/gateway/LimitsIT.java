package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Each limit a function can break, and how it is reported through the real LambdaClient: the Invoke
 * result, {@code X-Amz-Function-Error}, and the REPORT line of the tail log. Real runc underneath.
 */
class LimitsIT {
  private static final Pattern REPORT = Pattern.compile("REPORT RequestId: (\\S+)\\tDuration: ([0-9.]+) ms\\tBilled Duration: (\\d+) ms"
      + "\\tMemory Size: (\\d+) MB\\tMax Memory Used: (\\d+) MB(\\tInit Duration: [0-9.]+ ms)?(\\tStatus: (\\w+))?(\\tError Type: (\\S+))?\\t\\n");

  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;
  private static LambdaClient lambda;

  @BeforeAll
  static void start() throws Exception {
    platform = PLATFORM.get();
    lambda = platform.lambda();
    // The Java archives' training sandboxes come and go meanwhile otherwise, and these tests count containers.
    platform.platform.pool().archivesReady().await(5, java.util.concurrent.TimeUnit.MINUTES);
  }

  @Test
  void aFunctionPastItsTimeoutIsStoppedReportedAsTimedOutAndLeavesNoContainer() throws Exception {
    create("limits-timeout", "example.Misbehave::handleRequest", 256, 1);
    int containersBefore = platform.containers().size();

    InvokeResponse response = invoke("limits-timeout", "{\"action\":\"sleep\",\"millis\":60000}");

    Matcher report = report(response);
    JsonObject error = new JsonObject(response.payload().asUtf8String());
    assertThat(response.functionError()).isEqualTo("Unhandled");
    assertThat(error.getString("errorType")).isEqualTo("Sandbox.Timedout");
    assertThat(error.getString("errorMessage")).isEqualTo("RequestId: " + report.group(1) + " Error: Task timed out after 1.00 seconds");
    assertThat(report.group(2)).isEqualTo("1000.00");
    assertThat(report.group(8)).isEqualTo("timeout");
    assertThat(log(response)).contains(report.group(1) + " Task timed out after 1.00 seconds");
    assertThat(platform.containers()).as("the timed-out sandbox is gone").hasSize(containersBefore);
  }

  @Test
  void aFunctionPastItsMemoryIsKilledReportedAsOutOfMemoryAndTheNextInvokeWorks() throws Exception {
    create("limits-oom", "example.Misbehave::handleRequest", 128, 30);

    InvokeResponse response = invoke("limits-oom", "{\"action\":\"oom\"}");
    InvokeResponse next = invoke("limits-oom", "{\"action\":\"hello\"}");

    Matcher report = report(response);
    assertThat(response.functionError()).isEqualTo("Unhandled");
    assertThat(new JsonObject(response.payload().asUtf8String()).getString("errorType")).isEqualTo("Runtime.OutOfMemory");
    assertThat(report.group(8)).isEqualTo("oom");
    assertThat(report.group(5)).as("Max Memory Used").isEqualTo("128");
    assertThat(next.functionError()).isNull();
    assertThat(next.payload().asUtf8String()).isEqualTo("{\"ok\":true}");
  }

  @Test
  void aRuntimeThatExitsIsReportedAsAnExitErrorNamingTheExitCode() throws Exception {
    create("limits-exit", "example.Misbehave::handleRequest", 256, 10);

    InvokeResponse response = invoke("limits-exit", "{\"action\":\"exit\",\"code\":3}");

    Matcher report = report(response);
    JsonObject error = new JsonObject(response.payload().asUtf8String());
    assertThat(response.functionError()).isEqualTo("Unhandled");
    assertThat(error.getString("errorType")).isEqualTo("Runtime.ExitError");
    assertThat(error.getString("errorMessage")).isEqualTo("RequestId: " + report.group(1) + " Error: Runtime exited with error: exit status 3");
    assertThat(report.group(8)).isEqualTo("error");
    assertThat(report.group(10)).isEqualTo("Runtime.ExitError");
  }

  @Test
  void anInitFailureIsReportedOnceThenAnsweredAgainWithoutStartingAnotherSandbox() throws Exception {
    create("limits-init", "example.BrokenInit::handleRequest", 256, 10);
    int containersBefore = platform.containers().size();

    InvokeResponse first = invoke("limits-init", "{}");
    InvokeResponse second = invoke("limits-init", "{}");

    assertThat(first.functionError()).isEqualTo("Unhandled");
    assertThat(first.payload().asUtf8String()).contains("java.lang.ExceptionInInitializerError").contains("example.BrokenInit");
    assertThat(log(first)).contains("BrokenInit refuses to load: configuration is missing")
        .contains("Phase: init\tStatus: error\tError Type: Runtime.BadFunctionCode");
    assertThat(second.functionError()).isEqualTo("Unhandled");
    assertThat(second.payload().asUtf8String()).isEqualTo(first.payload().asUtf8String());
    assertThat(log(second)).contains("The last init of limits-init failed at").contains("it is not retried before");
    assertThat(platform.containers()).as("no sandbox is left, and none was started for the repeat").hasSize(containersBefore);
  }

  @Test
  void writingPastTheEphemeralStorageFailsInsideTheFunction() throws Exception {
    create("limits-tmp", "example.Misbehave::handleRequest", 1024, 30);

    InvokeResponse response = invoke("limits-tmp", "{\"action\":\"fill-tmp\"}");

    assertThat(response.functionError()).isNull();
    JsonObject answer = new JsonObject(response.payload().asUtf8String());
    assertThat(answer.getString("error")).contains("No space left on device");
    assertThat(answer.getLong("writtenMb")).isBetween(500L, 520L);
  }

  @Test
  void tmpIsDiskNotMemoryAsOnLambda() throws Exception {
    create("limits-tmp-small", "example.Misbehave::handleRequest", 128, 30);

    InvokeResponse response = invoke("limits-tmp-small", "{\"action\":\"fill-tmp\"}");

    assertThat(response.functionError()).as(log(response)).isNull();
    JsonObject answer = new JsonObject(response.payload().asUtf8String());
    assertThat(answer.getString("error")).contains("No space left on device");
    assertThat(answer.getLong("writtenMb")).as("512 MB of /tmp with 128 MB of memory").isBetween(500L, 520L);
  }

  @Test
  void javaStartsWithLambdasDefaultsWhichJavaToolOptionsAndProvisionedConcurrencyChange() throws Exception {
    create("limits-jvm-defaults", "example.Misbehave::handleRequest", 512, 10);
    create("limits-jvm-tuned", "example.Misbehave::handleRequest", 512, 10,
        Map.of("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=4 -XX:+UseParallelGC -Xmx100m"));

    JsonObject defaults = new JsonObject(invoke("limits-jvm-defaults", "{\"action\":\"jvm\"}").payload().asUtf8String());
    assertThat(defaults.getString("TieredStopAtLevel")).as("C1 only, as Lambda").isEqualTo("1");
    assertThat(defaults.getString("UseSerialGC")).isEqualTo("true");
    assertThat(defaults.getLong("maxHeapMb")).as("80% of 512 MB").isBetween(380L, 410L);
    assertThat(defaults.getBoolean("startupArchive")).isTrue();

    InvokeResponse tuned = invoke("limits-jvm-tuned", "{\"action\":\"jvm\"}");
    JsonObject settings = new JsonObject(tuned.payload().asUtf8String());
    assertThat(settings.getString("TieredStopAtLevel")).isEqualTo("4");
    assertThat(settings.getString("UseParallelGC")).isEqualTo("true");
    assertThat(settings.getString("UseSerialGC")).isEqualTo("false");
    assertThat(settings.getLong("maxHeapMb")).as("-Xmx100m, less the survivor space the collector keeps out").isBetween(80L, 100L);
    assertThat(log(tuned)).as("the JVM says so at start, as on Lambda").contains("Picked up JAVA_TOOL_OPTIONS: -XX:TieredStopAtLevel=4");
    assertThat(settings.getBoolean("startupArchive")).as("another collector: the archive is not assumed to fit").isFalse();

    create("limits-jvm-provisioned", "example.Misbehave::handleRequest", 512, 10);
    lambda.putProvisionedConcurrencyConfig(b -> b.functionName("limits-jvm-provisioned").qualifier("$LATEST").provisionedConcurrentExecutions(1));
    JsonObject provisioned = new JsonObject(invoke("limits-jvm-provisioned", "{\"action\":\"jvm\"}").payload().asUtf8String());
    assertThat(provisioned.getString("TieredStopAtLevel")).as("java25 with provisioned concurrency: the JVM's own tiering").isEqualTo("4");
    assertThat(provisioned.getBoolean("startupArchive")).as("the JIT's level does not change the archive").isTrue();
    lambda.deleteProvisionedConcurrencyConfig(b -> b.functionName("limits-jvm-provisioned").qualifier("$LATEST"));
  }

  private static void create(String name, String handler, int memoryMb, int timeoutSeconds) throws Exception {
    create(name, handler, memoryMb, timeoutSeconds, Map.of());
  }

  private static void create(String name, String handler, int memoryMb, int timeoutSeconds, Map<String, String> environment)
      throws Exception {
    lambda.createFunction(CreateFunctionRequest.builder()
        .functionName(name)
        .runtime(Runtime.JAVA25)
        .handler(handler)
        .memorySize(memoryMb)
        .timeout(timeoutSeconds)
        .environment(e -> e.variables(environment))
        .role("arn:aws:iam::000000000000:role/lambda")
        .code(FunctionCode.builder().zipFile(RunningPlatform.example("misbehave-java")).build())
        .build());
  }

  private static InvokeResponse invoke(String name, String payload) {
    return lambda.invoke(InvokeRequest.builder().functionName(name).logType(LogType.TAIL).payload(SdkBytes.fromUtf8String(payload)).build());
  }

  private static String log(InvokeResponse response) {
    return new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
  }

  private static Matcher report(InvokeResponse response) {
    String log = log(response);
    Matcher matcher = REPORT.matcher(log);
    assertThat(matcher.find()).as("a REPORT line in:\n" + log).isTrue();
    return matcher;
  }
}
