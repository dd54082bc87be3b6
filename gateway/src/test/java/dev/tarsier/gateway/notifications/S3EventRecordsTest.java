package dev.tarsier.gateway.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class S3EventRecordsTest {
  private static final S3EventRecords.ObjectChange CHANGE = new S3EventRecords.ObjectChange("photos", "holiday pics/ñandú+1.jpg",
      1024, "d41d8cd98f00b204e9800998ecf8427e", "ObjectCreated:Put", "0055AED6DCD90281E5", "C3D13FE58DE4C810", "127.0.0.1",
      Instant.parse("2026-01-31T12:34:56Z"));

  @Test
  void looksExactlyLikeWhatS3Sends() {
    JsonObject record = S3EventRecords.message(CHANGE, "us-east-1", "rule-1").getJsonArray("Records").getJsonObject(0);
    assertThat(record.getString("eventVersion")).isEqualTo("2.1");
    assertThat(record.getString("eventSource")).isEqualTo("aws:s3");
    assertThat(record.getString("eventName")).isEqualTo("ObjectCreated:Put");
    assertThat(record.getString("eventTime")).isEqualTo("2026-01-31T12:34:56.000Z");
    JsonObject s3 = record.getJsonObject("s3");
    assertThat(s3.getString("configurationId")).isEqualTo("rule-1");
    assertThat(s3.getJsonObject("bucket").getString("arn")).isEqualTo("arn:aws:s3:::photos");
    assertThat(s3.getJsonObject("object").getString("key")).isEqualTo("holiday+pics/%C3%B1and%C3%BA%2B1.jpg");
    assertThat(s3.getJsonObject("object").getString("eTag")).doesNotContain("\"");
  }

  @Test
  void parsesAsTheJavaRuntimeParsesS3Events() {
    String json = S3EventRecords.message(CHANGE, "us-east-1", "rule-1").encode();
    S3Event event = LambdaEventSerializers.serializerFor(S3Event.class, getClass().getClassLoader())
        .fromJson(new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    S3EventNotificationRecord record = event.getRecords().get(0);
    assertThat(record.getS3().getObject().getUrlDecodedKey()).isEqualTo("holiday pics/ñandú+1.jpg");
    assertThat(record.getS3().getObject().getSizeAsLong()).isEqualTo(1024);
    assertThat(record.getS3().getBucket().getName()).isEqualTo("photos");
    assertThat(record.getEventTime().getMillis()).isEqualTo(Instant.parse("2026-01-31T12:34:56Z").toEpochMilli());
  }

  @Test
  void translatesAMinioWebhookBody() {
    JsonObject minio = new JsonObject("""
        {"EventName":"s3:ObjectCreated:Put","Key":"images/a b.jpg","Records":[{"eventVersion":"2.0","eventSource":"minio:s3",
         "awsRegion":"","eventTime":"2026-01-31T12:34:56Z","eventName":"s3:ObjectCreated:Put",
         "userIdentity":{"principalId":"minio"},"requestParameters":{"principalId":"minio","region":"","sourceIPAddress":"10.0.0.5"},
         "responseElements":{"x-amz-request-id":"17A9","x-minio-deployment-id":"x","x-minio-origin-endpoint":"http://minio:9000"},
         "s3":{"s3SchemaVersion":"1.0","configurationId":"Config","bucket":{"name":"images","ownerIdentity":{"principalId":"minio"},
         "arn":"arn:aws:s3:::images"},"object":{"key":"a+b%2Fc.jpg","size":5,"eTag":"abc","contentType":"image/jpeg",
         "userMetadata":{},"sequencer":"17A9"}},"source":{"host":"10.0.0.5","port":"","userAgent":"mc"}}]}""");
    S3EventRecords.ObjectChange change = WebhookIntake.changes(minio).get(0);
    assertThat(change.eventName()).isEqualTo("ObjectCreated:Put");
    assertThat(change.key()).isEqualTo("a b/c.jpg");
    assertThat(change.bucket()).isEqualTo("images");
    JsonObject record = S3EventRecords.message(change, "us-east-1", "c").getJsonArray("Records").getJsonObject(0);
    assertThat(record.getString("eventSource")).isEqualTo("aws:s3");
    assertThat(record.getJsonObject("s3").getJsonObject("object").getString("key")).isEqualTo("a+b/c.jpg");
  }

  @Test
  void matchesRulesByEventPrefixAndSuffix() {
    NotificationRule rule = new NotificationRule("r", "arn", "fn", java.util.List.of("s3:ObjectCreated:*"), "images/", ".jpg");
    assertThat(rule.matches("ObjectCreated:Put", "images/a.jpg")).isTrue();
    assertThat(rule.matches("ObjectCreated:CompleteMultipartUpload", "images/a.jpg")).isTrue();
    assertThat(rule.matches("ObjectRemoved:Delete", "images/a.jpg")).isFalse();
    assertThat(rule.matches("ObjectCreated:Put", "docs/a.jpg")).isFalse();
    assertThat(rule.matches("ObjectCreated:Put", "images/a.png")).isFalse();
  }
}
