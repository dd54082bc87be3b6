package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A function that writes into the bucket that triggers it is stopped after 16 levels, with a record that says why. */
class LoopGuardIT {
  /** Each event makes the next object, signed (not verifiably) with the sandbox's own access key, as an SDK would. */
  private static final String LOOPER = """
      import os, urllib.parse, urllib.request

      def handler(event, context):
          if 'Records' not in event:
              return 'test event'
          record = event['Records'][0]
          bucket = record['s3']['bucket']['name']
          key = urllib.parse.unquote_plus(record['s3']['object']['key'])
          following = 'loop-%d' % (int(key.split('-')[1]) + 1)
          request = urllib.request.Request('%s/%s/%s' % (os.environ['AWS_ENDPOINT_URL_S3'], bucket, following), data=b'x', method='PUT')
          request.add_header('Authorization', 'AWS4-HMAC-SHA256 Credential=%s/20260101/us-east-1/s3/aws4_request, '
                             'SignedHeaders=host, Signature=0' % os.environ['AWS_ACCESS_KEY_ID'])
          urllib.request.urlopen(request).read()
          return following
      """;

  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    platform = PLATFORM.get();
    s3 = platform.s3PathStyle();
    SdkBytes code = zip("looper.py", LOOPER);
    platform.lambda(1).createFunction(b -> b.functionName("looper").runtime(Runtime.PYTHON3_11).handler("looper.handler")
        .memorySize(128).role("arn:aws:iam::000000000000:role/lambda").code(c -> c.zipFile(code)));
  }

  @Test
  void stopsAFunctionThatKeepsTriggeringItself() throws Exception {
    s3.createBucket(b -> b.bucket("loop"));
    try (LogCounter logs = platform.follow("looper")) {
      s3.putBucketNotificationConfiguration(b -> b.bucket("loop").notificationConfiguration(n -> n.lambdaFunctionConfigurations(
          c -> c.lambdaFunctionArn("arn:aws:lambda:us-east-1:000000000000:function:looper").events(Event.S3_OBJECT_CREATED))));
      s3.putObject(b -> b.bucket("loop").key("loop-0"), RequestBody.fromString("start"));
      // The test event, sixteen invocations (depths 0 to 15), and the record of the stop.
      assertThat(logs.await(18, Duration.ofMinutes(3))).isTrue();
    }
    JsonArray stopped = new JsonObject(platform.get("/_/api/invocations?function=looper&status=error")).getJsonArray("invocations");
    assertThat(stopped).hasSize(1);
    assertThat(stopped.getJsonObject(0).getString("errorType")).isEqualTo("Tarsier.RecursiveInvocationStopped");
    JsonObject why = new JsonObject(platform.get("/_/api/invocations/" + stopped.getJsonObject(0).getString("id")));
    assertThat(why.getString("result")).contains("Stopped a recursive invocation loop").contains("s3://loop/loop-16");
    JsonArray ran = new JsonObject(platform.get("/_/api/invocations?function=looper&status=ok&limit=100")).getJsonArray("invocations");
    assertThat(ran).hasSize(17);
    assertThat(s3.listObjectsV2(b -> b.bucket("loop")).contents()).extracting(S3Object::key).hasSize(17).contains("loop-16");
  }

  private static SdkBytes zip(String name, String source) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(source.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return SdkBytes.fromByteArray(bytes.toByteArray());
  }
}
