package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyStatusEnum;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/** Asynchronous invocations, retries, destinations and concurrency limits, with retry delays shortened for the test. */
class AsyncInvocationIT {
  /** A JSON array cannot become the hello handler's Map: the function fails on every attempt. */
  private static final String FAILING_EVENT = "[1,2,3]";

  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension(config -> config.withRetryDelays(Duration.ofMillis(20), Duration.ofMillis(40)));
  private static RunningPlatform platform;
  private static LambdaClient lambda;

  @BeforeAll
  static void start() throws Exception {
    platform = PLATFORM.get();
    lambda = platform.lambda(1);
  }

  @Test
  void failedEventIsRetriedThenSentToTheFailureDestination() throws Exception {
    create("retried");
    create("failure-sink");
    lambda.putFunctionEventInvokeConfig(b -> b.functionName("retried").maximumRetryAttempts(1)
        .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:lambda:us-east-1:000000000000:function:failure-sink"))));
    try (LogCounter retried = platform.follow("retried"); LogCounter sink = platform.follow("failure-sink")) {
      String requestId = lambda.invoke(b -> b.functionName("retried").invocationType(InvocationType.EVENT)
          .payload(SdkBytes.fromUtf8String(FAILING_EVENT))).responseMetadata().requestId();
      assertThat(retried.await(2, Duration.ofSeconds(60))).as("two attempts").isTrue();
      assertThat(sink.await(1, Duration.ofSeconds(60))).as("the failure destination ran").isTrue();
      JsonObject records = getJson("/_/api/invocations?function=retried");
      assertThat(records.getJsonArray("invocations")).hasSize(2);
      assertThat(records.getJsonArray("invocations").getJsonObject(0).getString("trigger")).isEqualTo("retry");
      assertThat(records.getJsonArray("invocations").getJsonObject(1).getString("trigger")).isEqualTo("event");
      assertThat(records.getJsonArray("invocations").getJsonObject(0).getString("id")).isEqualTo(requestId);
      JsonObject delivered = getJson("/_/api/invocations?function=failure-sink");
      String id = delivered.getJsonArray("invocations").getJsonObject(0).getString("id");
      JsonObject destinationRecord = new JsonObject(getJson("/_/api/invocations/" + id).getString("request"));
      assertThat(destinationRecord.getJsonObject("requestContext").getString("condition")).isEqualTo("RetriesExhausted");
      assertThat(destinationRecord.getJsonObject("requestContext").getInteger("approximateInvokeCount")).isEqualTo(2);
      assertThat(destinationRecord.getJsonObject("requestContext").getString("requestId")).isEqualTo(requestId);
      assertThat(destinationRecord.getJsonArray("requestPayload").size()).isEqualTo(3);
      assertThat(destinationRecord.getJsonObject("responseContext").getString("functionError")).isEqualTo("Unhandled");
    }
  }

  @Test
  void successfulEventGoesToTheSuccessDestination() throws Exception {
    create("succeeding");
    create("success-sink");
    lambda.putFunctionEventInvokeConfig(b -> b.functionName("succeeding")
        .destinationConfig(d -> d.onSuccess(f -> f.destination("arn:aws:lambda:us-east-1:000000000000:function:success-sink"))));
    try (LogCounter sink = platform.follow("success-sink")) {
      lambda.invoke(b -> b.functionName("succeeding").invocationType(InvocationType.EVENT)
          .payload(SdkBytes.fromUtf8String("{\"name\":\"Numbat\"}")));
      assertThat(sink.await(1, Duration.ofSeconds(60))).isTrue();
      JsonObject delivered = getJson("/_/api/invocations?function=success-sink");
      JsonObject record = new JsonObject(getJson("/_/api/invocations/"
          + delivered.getJsonArray("invocations").getJsonObject(0).getString("id")).getString("request"));
      assertThat(record.getJsonObject("requestContext").getString("condition")).isEqualTo("Success");
      assertThat(record.getJsonObject("responsePayload").getString("message")).isEqualTo("Hello, Numbat!");
    }
  }

  @Test
  void eventInvokeConfigIsValidatedAndReadBack() throws Exception {
    create("configured");
    assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("configured").maximumRetryAttempts(3)))
        .isInstanceOf(InvalidParameterValueException.class);
    assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("configured").maximumEventAgeInSeconds(30)))
        .isInstanceOf(InvalidParameterValueException.class);
    assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("configured")
        .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:sqs:us-east-1:000000000000:queue")))))
        .isInstanceOf(InvalidParameterValueException.class);
    lambda.putFunctionEventInvokeConfig(b -> b.functionName("configured").maximumRetryAttempts(0).maximumEventAgeInSeconds(120)
        .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:s3:::failures"))));
    var read = lambda.getFunctionEventInvokeConfig(b -> b.functionName("configured"));
    assertThat(read.maximumRetryAttempts()).isZero();
    assertThat(read.maximumEventAgeInSeconds()).isEqualTo(120);
    assertThat(read.destinationConfig().onFailure().destination()).isEqualTo("arn:aws:s3:::failures");
    lambda.deleteFunctionEventInvokeConfig(b -> b.functionName("configured"));
    assertThatThrownBy(() -> lambda.getFunctionEventInvokeConfig(b -> b.functionName("configured")))
        .hasMessageContaining("doesn't have an EventInvokeConfig");
  }

  @Test
  void reservedConcurrencyOfZeroThrottlesCallsAndHoldsEvents() throws Exception {
    create("throttled");
    lambda.putFunctionConcurrency(b -> b.functionName("throttled").reservedConcurrentExecutions(0));
    assertThat(lambda.getFunctionConcurrency(b -> b.functionName("throttled")).reservedConcurrentExecutions()).isZero();
    assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("throttled").payload(SdkBytes.fromUtf8String("{}"))))
        .isInstanceOfSatisfying(TooManyRequestsException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(429);
          assertThat(e.reason()).hasToString("ReservedFunctionConcurrentInvocationLimitExceeded");
        });
    try (LogCounter logs = platform.follow("throttled")) {
      lambda.invoke(b -> b.functionName("throttled").invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String("{}")));
      assertThat(getJson("/_/api/queue").getInteger("depth")).isGreaterThanOrEqualTo(1);
      lambda.deleteFunctionConcurrency(b -> b.functionName("throttled"));
      assertThat(logs.await(1, Duration.ofSeconds(60))).as("the held event ran once allowed").isTrue();
    }
    JsonObject throttledRecords = getJson("/_/api/invocations?function=throttled&status=throttled");
    assertThat(throttledRecords.getJsonArray("invocations")).hasSize(1);
  }

  @Test
  void failedEventRecordIsWrittenToABucketDestination() throws Exception {
    create("to-bucket");
    create("bucket-watcher");
    var s3 = platform.s3PathStyle();
    s3.createBucket(b -> b.bucket("failed-events"));
    try (LogCounter watcher = platform.follow("bucket-watcher")) {
      s3.putBucketNotificationConfiguration(b -> b.bucket("failed-events").notificationConfiguration(n -> n.lambdaFunctionConfigurations(
          c -> c.lambdaFunctionArn("arn:aws:lambda:us-east-1:000000000000:function:bucket-watcher")
              .events(software.amazon.awssdk.services.s3.model.Event.S3_OBJECT_CREATED))));
      assertThat(watcher.await(1, Duration.ofSeconds(60))).as("the test event").isTrue();
      lambda.putFunctionEventInvokeConfig(b -> b.functionName("to-bucket").maximumRetryAttempts(0)
          .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:s3:::failed-events"))));
      String requestId = lambda.invoke(b -> b.functionName("to-bucket").invocationType(InvocationType.EVENT)
          .payload(SdkBytes.fromUtf8String(FAILING_EVENT))).responseMetadata().requestId();
      assertThat(watcher.await(1, Duration.ofSeconds(60))).as("the record landed in the bucket").isTrue();
      var objects = s3.listObjectsV2(b -> b.bucket("failed-events")).contents();
      assertThat(objects).hasSize(1);
      assertThat(objects.get(0).key()).startsWith("aws/lambda/async/to-bucket/").endsWith(requestId);
      JsonObject record = new JsonObject(s3.getObjectAsBytes(b -> b.bucket("failed-events").key(objects.get(0).key())).asUtf8String());
      assertThat(record.getJsonObject("requestContext").getString("condition")).isEqualTo("RetriesExhausted");
    }
  }

  @Test
  void provisionedConcurrencyKeepsSandboxesWarm() throws Exception {
    create("provisioned");
    var put = lambda.putProvisionedConcurrencyConfig(b -> b.functionName("provisioned").qualifier("$LATEST")
        .provisionedConcurrentExecutions(1));
    assertThat(put.requestedProvisionedConcurrentExecutions()).isEqualTo(1);
    assertThat(put.status()).as("a python sandbox starts well within the put's wait").isEqualTo(ProvisionedConcurrencyStatusEnum.READY);
    assertThat(put.allocatedProvisionedConcurrentExecutions()).isEqualTo(1);
    assertThat(put.lastModified()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+0000");
    var invoked = lambda.invoke(b -> b.functionName("provisioned").logType(software.amazon.awssdk.services.lambda.model.LogType.TAIL)
        .payload(SdkBytes.fromUtf8String("{}")));
    String log = new String(java.util.Base64.getDecoder().decode(invoked.logResult()), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(log).contains("REPORT RequestId").doesNotContain("Init Duration");
    assertThat(lambda.getProvisionedConcurrencyConfig(b -> b.functionName("provisioned").qualifier("$LATEST"))
        .allocatedProvisionedConcurrentExecutions()).isEqualTo(1);
    lambda.deleteProvisionedConcurrencyConfig(b -> b.functionName("provisioned").qualifier("$LATEST"));
    assertThatThrownBy(() -> lambda.getProvisionedConcurrencyConfig(b -> b.functionName("provisioned").qualifier("$LATEST")))
        .hasMessageContaining("No Provisioned Concurrency Config");
  }

  @Test
  void aPrewarmedSandboxTellsItsFunctionItIsProvisionedConcurrency() {
    SdkBytes code = FunctionZip.of(java.util.Map.of("init.py",
        "import os\ndef handler(event, context):\n    return os.environ['AWS_LAMBDA_INITIALIZATION_TYPE']\n"));
    for (String name : new String[] {"init-on-demand", "init-provisioned"}) {
      lambda.createFunction(b -> b.functionName(name).runtime(Runtime.PYTHON3_11).handler("init.handler").memorySize(128)
          .role("arn:aws:iam::000000000000:role/lambda").code(c -> c.zipFile(code)));
    }
    lambda.putProvisionedConcurrencyConfig(b -> b.functionName("init-provisioned").qualifier("$LATEST").provisionedConcurrentExecutions(1));

    assertThat(lambda.invoke(b -> b.functionName("init-on-demand")).payload().asUtf8String()).isEqualTo("\"on-demand\"");
    assertThat(lambda.invoke(b -> b.functionName("init-provisioned")).payload().asUtf8String()).isEqualTo("\"provisioned-concurrency\"");
    lambda.deleteProvisionedConcurrencyConfig(b -> b.functionName("init-provisioned").qualifier("$LATEST"));

    // The on-demand sandbox of init-on-demand is idle now; it is not provisioned concurrency, so a target of one
    // starts a sandbox of its own, and callers get that one first.
    var put = lambda.putProvisionedConcurrencyConfig(b -> b.functionName("init-on-demand").qualifier("$LATEST").provisionedConcurrentExecutions(1));
    assertThat(put.status()).isEqualTo(ProvisionedConcurrencyStatusEnum.READY);
    assertThat(lambda.invoke(b -> b.functionName("init-on-demand")).payload().asUtf8String()).isEqualTo("\"provisioned-concurrency\"");
    lambda.deleteProvisionedConcurrencyConfig(b -> b.functionName("init-on-demand").qualifier("$LATEST"));
  }

  @Test
  void provisionedConcurrencyThatCannotBeMetIsRefusedOrReportedFailed() {
    SdkBytes broken = FunctionZip.of(java.util.Map.of("broken.py", "raise RuntimeError('no database configured')\n"));
    lambda.createFunction(b -> b.functionName("pc-broken").runtime(Runtime.PYTHON3_11).handler("broken.handler").memorySize(128)
        .role("arn:aws:iam::000000000000:role/lambda").code(c -> c.zipFile(broken)));

    assertThatThrownBy(() -> lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-broken").qualifier("$LATEST")
        .provisionedConcurrentExecutions(100_000)))
        .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("the sandbox pool's whole memory budget is");
    lambda.putFunctionConcurrency(b -> b.functionName("pc-broken").reservedConcurrentExecutions(1));
    assertThatThrownBy(() -> lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-broken").qualifier("$LATEST")
        .provisionedConcurrentExecutions(2)))
        .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("reservedConcurrentExecution");
    assertThatThrownBy(() -> lambda.getProvisionedConcurrencyConfig(b -> b.functionName("pc-broken").qualifier("$LATEST")))
        .as("a refused put keeps nothing").hasMessageContaining("No Provisioned Concurrency Config");

    var put = lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-broken").qualifier("$LATEST").provisionedConcurrentExecutions(1));
    assertThat(put.status()).isEqualTo(ProvisionedConcurrencyStatusEnum.FAILED);
    assertThat(put.allocatedProvisionedConcurrentExecutions()).isZero();
    assertThat(put.statusReason()).contains("no database configured");
    assertThat(lambda.getProvisionedConcurrencyConfig(b -> b.functionName("pc-broken").qualifier("$LATEST")).status())
        .isEqualTo(ProvisionedConcurrencyStatusEnum.FAILED);
    lambda.deleteProvisionedConcurrencyConfig(b -> b.functionName("pc-broken").qualifier("$LATEST"));
  }

  @Test
  void metricsCountInvocationsAndThrottles() throws Exception {
    create("metered");
    lambda.invoke(b -> b.functionName("metered").payload(SdkBytes.fromUtf8String("{\"name\":\"Dingo\"}")));
    String metrics = get("/_/metrics");
    assertThat(metrics).contains("tarsier_invocations_total{function=\"metered\",status=\"ok\",trigger=\"api\"} 1.0");
    assertThat(metrics).contains("tarsier_cold_starts_total{function=\"metered\"} 1.0");
    assertThat(metrics).contains("tarsier_duration_milliseconds_count{function=\"metered\"} 1");
    assertThat(metrics).contains("tarsier_queue_depth");
    assertThat(metrics).contains("tarsier_sandboxes{state=\"idle\"}");
  }

  private static void create(String name) throws Exception {
    lambda.createFunction(b -> b.functionName(name).runtime(Runtime.JAVA17).handler("example.Hello::handleRequest").memorySize(256)
        .role("arn:aws:iam::000000000000:role/lambda").code(c -> c.zipFile(zip())));
  }

  private static SdkBytes zip() {
    try {
      return RunningPlatform.example("hello-java");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonObject getJson(String path) throws Exception {
    return new JsonObject(get(path));
  }

  private static String get(String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(platform.endpoint() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }
}
