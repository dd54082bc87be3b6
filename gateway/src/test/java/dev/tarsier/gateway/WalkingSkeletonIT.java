package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** The walking skeleton end to end: the real platform on port 0, the real LambdaClient, real runc. */
class WalkingSkeletonIT {
  private static final Pattern REPORT = Pattern.compile(
      "REPORT RequestId: (\\S+)\\tDuration: ([0-9.]+) ms\\tBilled Duration: (\\d+) ms\\tMemory Size: 256 MB\\tMax Memory Used: (\\d+) MB(\\tInit Duration: ([0-9.]+) ms)?\\t\\n");

  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;
  private static LambdaClient lambda;

  @BeforeAll
  static void start() throws Exception {
    platform = PLATFORM.get();
    lambda = platform.lambda();
  }

  @Test
  void createsAndInvokesJavaFunctionColdThenWarm() throws Exception {
    createHello("hello-skeleton", Runtime.JAVA25, "example.Hello::handleRequest");

    InvokeResponse cold = invoke("hello-skeleton", "{\"name\":\"Tapir\"}");
    assertThat(cold.statusCode()).isEqualTo(200);
    assertThat(cold.functionError()).isNull();
    assertThat(cold.payload().asUtf8String()).contains("\"message\":\"Hello, Tapir!\"");
    String coldLog = decode(cold.logResult());
    Matcher coldReport = report(coldLog);
    String requestId = coldReport.group(1);
    assertThat(coldLog).startsWith("START RequestId: " + requestId + " Version: $LATEST\n");
    assertThat(coldLog).contains("Hello from hello-skeleton, greeting Tapir\n");
    assertThat(coldLog).contains("END RequestId: " + requestId + "\n");
    assertThat(coldLog.indexOf("greeting Tapir")).isBetween(coldLog.indexOf("START"), coldLog.indexOf("END"));
    assertThat(coldReport.group(6)).as("Init Duration on a cold start").isNotNull();
    double coldDuration = Double.parseDouble(coldReport.group(2));
    assertThat(Long.parseLong(coldReport.group(3))).isEqualTo((long) Math.ceil(coldDuration));
    assertThat(Long.parseLong(coldReport.group(4))).isPositive().isLessThanOrEqualTo(256);

    int containersAfterCold = platform.containers().size();
    InvokeResponse warm = invoke("hello-skeleton", "{\"name\":\"Tapir\"}");
    Matcher warmReport = report(decode(warm.logResult()));
    assertThat(warmReport.group(6)).as("no Init Duration when warm").isNull();
    assertThat(Double.parseDouble(warmReport.group(2))).isLessThan(coldDuration);
    assertThat(platform.containers()).as("the warm invoke started no container").hasSize(containersAfterCold);
  }

  @Test
  void unknownFunctionIsResourceNotFound() {
    assertThatThrownBy(() -> invoke("no-such-function", "{}"))
        .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(404);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
          assertThat(e.getMessage()).contains("Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function");
        });
  }

  @Test
  void zipThatIsNotAZipIsRefusedAndNothingIsStored() {
    assertThatThrownBy(() -> lambda.createFunction(CreateFunctionRequest.builder()
            .functionName("not-a-zip")
            .runtime(Runtime.JAVA17)
            .handler("example.Hello::handleRequest")
            .role("arn:aws:iam::000000000000:role/lambda")
            .code(FunctionCode.builder().zipFile(SdkBytes.fromUtf8String("this is not a zip")).build())
            .build()))
        .isInstanceOfSatisfying(InvalidParameterValueException.class,
            e -> assertThat(e.getMessage()).contains("Could not unzip uploaded file"));
    assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName("not-a-zip"))).isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void missingHandlerClassIsAFunctionErrorNamingTheClass() throws Exception {
    createHello("missing-class", Runtime.JAVA17, "example.DoesNotExist::handleRequest");
    InvokeResponse response = invoke("missing-class", "{}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.functionError()).isEqualTo("Unhandled");
    assertThat(response.payload().asUtf8String()).contains("example.DoesNotExist").contains("ClassNotFoundException");
  }

  private static void createHello(String name, Runtime runtime, String handler) throws Exception {
    lambda.createFunction(CreateFunctionRequest.builder()
        .functionName(name)
        .runtime(runtime)
        .handler(handler)
        .memorySize(256)
        .timeout(10)
        .role("arn:aws:iam::000000000000:role/lambda")
        .code(FunctionCode.builder().zipFile(RunningPlatform.example("hello-java")).build())
        .build());
  }

  private static InvokeResponse invoke(String name, String payload) {
    return lambda.invoke(InvokeRequest.builder()
        .functionName(name)
        .logType(LogType.TAIL)
        .payload(SdkBytes.fromUtf8String(payload))
        .build());
  }

  private static String decode(String logResult) {
    return new String(Base64.getDecoder().decode(logResult), StandardCharsets.UTF_8);
  }

  private static Matcher report(String log) {
    Matcher matcher = REPORT.matcher(log);
    assertThat(matcher.find()).as("a REPORT line in:\n" + log).isTrue();
    return matcher;
  }
}
