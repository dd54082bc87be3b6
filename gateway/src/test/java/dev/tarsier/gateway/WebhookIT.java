package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** An external MinIO's webhook: liveness probe, then a captured notification delivered as an S3 record. */
class WebhookIT {
  private static final String MINIO_BODY = """
      {"EventName":"s3:ObjectCreated:Put","Key":"images/holiday pics/a.jpg","Records":[{"eventVersion":"2.0",
       "eventSource":"minio:s3","awsRegion":"","eventTime":"2026-01-31T12:34:56Z","eventName":"s3:ObjectCreated:Put",
       "userIdentity":{"principalId":"minio"},"requestParameters":{"principalId":"minio","region":"","sourceIPAddress":"10.0.0.5"},
       "responseElements":{"x-amz-request-id":"17A9B2C3D4","x-minio-deployment-id":"d","x-minio-origin-endpoint":"http://minio:9000"},
       "s3":{"s3SchemaVersion":"1.0","configurationId":"Config","bucket":{"name":"images","ownerIdentity":{"principalId":"minio"},
       "arn":"arn:aws:s3:::images"},"object":{"key":"holiday+pics%2Fa.jpg","size":5,"eTag":"0123456789abcdef",
       "contentType":"image/jpeg","userMetadata":{},"sequencer":"17A9B2C3D4E5"}},
       "source":{"host":"10.0.0.5","port":"","userAgent":"MinIO (linux; amd64) minio-go/v7"}}]}""";

  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    platform = PLATFORM.get();
    platform.lambda(1).createFunction(b -> b.functionName("minio-target").runtime(Runtime.JAVA17)
        .handler("example.Hello::handleRequest").memorySize(256).role("arn:aws:iam::000000000000:role/lambda")
        .code(c -> c.zipFile(zip())));
  }

  @Test
  void answersMinioLivenessProbe() throws Exception {
    HttpResponse<Void> probe = http.send(HttpRequest.newBuilder(URI.create(platform.endpoint() + "/_/webhooks/s3"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(probe.statusCode()).isEqualTo(200);
  }

  @Test
  void deliversAMinioNotificationAsTheRecordS3WouldSend() throws Exception {
    try (LogCounter logs = platform.follow("minio-target")) {
      HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(platform.endpoint() + "/_/webhooks/s3/minio-target"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer token")
          .POST(HttpRequest.BodyPublishers.ofString(MINIO_BODY)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(posted.body()).getInteger("queued")).isEqualTo(1);
      assertThat(logs.await(1, Duration.ofSeconds(60))).isTrue();
    }
    HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(platform.endpoint()
        + "/_/api/invocations?function=minio-target&trigger=s3")).build(), HttpResponse.BodyHandlers.ofString());
    String id = new JsonObject(list.body()).getJsonArray("invocations").getJsonObject(0).getString("id");
    HttpResponse<String> one = http.send(HttpRequest.newBuilder(URI.create(platform.endpoint() + "/_/api/invocations/" + id)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonObject record = new JsonObject(new JsonObject(one.body()).getString("request")).getJsonArray("Records").getJsonObject(0);
    assertThat(record.getString("eventSource")).isEqualTo("aws:s3");
    assertThat(record.getString("eventVersion")).isEqualTo("2.1");
    assertThat(record.getString("eventName")).isEqualTo("ObjectCreated:Put");
    assertThat(record.getString("awsRegion")).isEqualTo("us-east-1");
    assertThat(record.getString("eventTime")).isEqualTo("2026-01-31T12:34:56.000Z");
    assertThat(record.getJsonObject("s3").getJsonObject("object").getString("key")).isEqualTo("holiday+pics/a.jpg");
  }

  @Test
  void refusesABodyThatIsNotANotification() throws Exception {
    HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(platform.endpoint() + "/_/webhooks/s3"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"hello\":1}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(posted.statusCode()).isEqualTo(400);
    assertThat(posted.body()).contains("not an S3 or MinIO event notification");
  }

  private static software.amazon.awssdk.core.SdkBytes zip() {
    try {
      return RunningPlatform.example("hello-java");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
