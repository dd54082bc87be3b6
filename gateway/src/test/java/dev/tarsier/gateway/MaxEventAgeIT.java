package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * An event older than its function's maximum event age is not tried again: it goes to the failure
 * destination as {@code EventAgeExceeded}. The platform runs on a clock the test moves a minute forward
 * between the first attempt and the retry, instead of waiting a minute.
 */
class MaxEventAgeIT {
  private static final MovableClock CLOCK = new MovableClock();
  /** The retry is due 30 s after a failure by the platform's clock, so it waits until the test moves the clock. */
  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension(config -> config.withRetryDelays(Duration.ofSeconds(30)), CLOCK);
  private static RunningPlatform platform;
  private static LambdaClient lambda;

  @BeforeAll
  static void start() {
    platform = PLATFORM.get();
    lambda = platform.lambda(1);
  }

  @Test
  void anEventPastItsMaximumAgeGoesToTheFailureDestinationInsteadOfARetry() throws Exception {
    SdkBytes hello = RunningPlatform.example("hello-java");
    for (String name : new String[] {"aging", "age-sink"}) {
      lambda.createFunction(b -> b.functionName(name).runtime(Runtime.JAVA17).handler("example.Hello::handleRequest").memorySize(256)
          .role("arn:aws:iam::000000000000:role/lambda").code(c -> c.zipFile(hello)));
    }
    lambda.putFunctionEventInvokeConfig(b -> b.functionName("aging").maximumRetryAttempts(2).maximumEventAgeInSeconds(60)
        .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:lambda:us-east-1:000000000000:function:age-sink"))));
    try (LogCounter aging = platform.follow("aging"); LogCounter sink = platform.follow("age-sink")) {
      // A JSON array cannot become the hello handler's Map: every attempt fails.
      String requestId = lambda.invoke(b -> b.functionName("aging").invocationType(InvocationType.EVENT)
          .payload(SdkBytes.fromUtf8String("[1,2,3]"))).responseMetadata().requestId();
      assertThat(aging.await(1, Duration.ofSeconds(60))).as("the first attempt ran").isTrue();
      assertThat(new JsonObject(platform.get("/_/api/queue")).getLong("depth")).as("the retry waits in the queue").isEqualTo(1);

      CLOCK.advance(Duration.ofSeconds(61));

      assertThat(sink.await(1, Duration.ofSeconds(60))).as("the failure destination ran").isTrue();
      JsonObject delivered = new JsonObject(platform.get("/_/api/invocations?function=age-sink"));
      String id = delivered.getJsonArray("invocations").getJsonObject(0).getString("id");
      JsonObject record = new JsonObject(new JsonObject(platform.get("/_/api/invocations/" + id)).getString("request"));
      assertThat(record.getJsonObject("requestContext").getString("condition")).isEqualTo("EventAgeExceeded");
      assertThat(record.getJsonObject("requestContext").getString("requestId")).isEqualTo(requestId);
      assertThat(record.getJsonObject("requestContext").getInteger("approximateInvokeCount")).as("attempts made").isEqualTo(1);
      assertThat(new JsonObject(platform.get("/_/api/invocations?function=aging")).getJsonArray("invocations"))
          .as("no second attempt").hasSize(1);
      assertThat(new JsonObject(platform.get("/_/api/queue")).getLong("depth")).as("the event left the queue").isZero();
    }
  }
}
