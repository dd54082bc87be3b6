package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.LambdaFunctionConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Bucket notifications through the real S3Client: configuration, validation, and events that reach functions. */
class BucketNotificationsIT {
  private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";
  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;
  private static S3Client s3;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    platform = PLATFORM.get();
    s3 = platform.s3PathStyle();
    for (String name : List.of("on-images", "on-removals", "on-anything", "on-config")) {
      platform.lambda(1).createFunction(b -> b.functionName(name).runtime(Runtime.JAVA17).handler("example.Hello::handleRequest")
          .memorySize(256).role("arn:aws:iam::000000000000:role/lambda").code(c -> c.zipFile(zip())));
    }
  }

  @Test
  void configurationIsStoredAndReadBackInS3sShape() {
    s3.createBucket(b -> b.bucket("configured"));
    s3.putBucketNotificationConfiguration(b -> b.bucket("configured").notificationConfiguration(n -> n.lambdaFunctionConfigurations(
        rule("images", "on-config", "photos/", ".jpg", Event.S3_OBJECT_CREATED))));
    List<LambdaFunctionConfiguration> read = s3.getBucketNotificationConfiguration(b -> b.bucket("configured"))
        .lambdaFunctionConfigurations();
    assertThat(read).hasSize(1);
    assertThat(read.get(0).id()).isEqualTo("images");
    assertThat(read.get(0).lambdaFunctionArn()).isEqualTo(ARN + "on-config");
    assertThat(read.get(0).events()).containsExactly(Event.S3_OBJECT_CREATED);
    assertThat(read.get(0).filter().key().filterRules()).extracting(r -> r.name() + "=" + r.value())
        .containsExactly("Prefix=photos/", "Suffix=.jpg");
  }

  @Test
  void refusesUnknownFunctionsAndAmbiguousRules() {
    s3.createBucket(b -> b.bucket("refusing"));
    assertThatThrownBy(() -> s3.putBucketNotificationConfiguration(b -> b.bucket("refusing").notificationConfiguration(n ->
        n.lambdaFunctionConfigurations(rule("x", "no-such-function", null, null, Event.S3_OBJECT_CREATED)))))
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
          assertThat(e.getMessage()).contains("Unable to validate the following destination configurations");
        });
    assertThatThrownBy(() -> s3.putBucketNotificationConfiguration(b -> b.bucket("refusing").notificationConfiguration(n ->
        n.lambdaFunctionConfigurations(rule("a", "on-images", "img/", null, Event.S3_OBJECT_CREATED),
            rule("b", "on-anything", "img/thumbs/", ".png", Event.S3_OBJECT_CREATED_PUT)))))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.getMessage()).contains("ambiguously defined"));
  }

  @Test
  void matchingWritesInvokeTheFunctionWithS3sRecord() throws Exception {
    s3.createBucket(b -> b.bucket("gallery"));
    try (LogCounter images = platform.follow("on-images"); LogCounter removals = platform.follow("on-removals")) {
      s3.putBucketNotificationConfiguration(b -> b.bucket("gallery").notificationConfiguration(n -> n.lambdaFunctionConfigurations(
          rule("images", "on-images", "photos/", ".jpg", Event.S3_OBJECT_CREATED),
          rule("removals", "on-removals", null, null, Event.S3_OBJECT_REMOVED))));
      assertThat(images.await(1, Duration.ofSeconds(60))).as("the s3:TestEvent sent on save").isTrue();
      assertThat(removals.await(1, Duration.ofSeconds(60))).as("the s3:TestEvent sent on save").isTrue();
      s3.putObject(b -> b.bucket("gallery").key("photos/notes.txt"), RequestBody.fromString("not an image"));
      s3.putObject(b -> b.bucket("gallery").key("photos/red flower+1.jpg"), RequestBody.fromString("jpeg"));
      s3.copyObject(b -> b.sourceBucket("gallery").sourceKey("photos/red flower+1.jpg").destinationBucket("gallery")
          .destinationKey("photos/copy.jpg"));
      assertThat(images.await(2, Duration.ofSeconds(60))).isTrue();
      s3.deleteObject(b -> b.bucket("gallery").key("photos/notes.txt"));
      assertThat(removals.await(1, Duration.ofSeconds(60))).isTrue();
    }
    List<JsonObject> created = records("on-images");
    assertThat(created).extracting(r -> r.getString("eventName")).containsExactlyInAnyOrder("ObjectCreated:Put", "ObjectCreated:Copy");
    JsonObject put = created.stream().filter(r -> r.getString("eventName").equals("ObjectCreated:Put")).findFirst().orElseThrow();
    assertThat(put.getString("eventVersion")).isEqualTo("2.1");
    assertThat(put.getString("eventSource")).isEqualTo("aws:s3");
    assertThat(put.getString("eventTime")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    JsonObject object = put.getJsonObject("s3").getJsonObject("object");
    assertThat(object.getString("key")).isEqualTo("photos/red+flower%2B1.jpg");
    assertThat(object.getLong("size")).isEqualTo(4);
    assertThat(object.getString("eTag")).matches("[0-9a-f]{32}");
    assertThat(object.getString("sequencer")).matches("[0-9A-F]+");
    assertThat(put.getJsonObject("s3").getString("configurationId")).isEqualTo("images");
    assertThat(put.getJsonObject("s3").getJsonObject("bucket").getString("arn")).isEqualTo("arn:aws:s3:::gallery");
    List<JsonObject> removed = records("on-removals");
    assertThat(removed).extracting(r -> r.getString("eventName")).containsExactly("ObjectRemoved:Delete");
    assertThat(removed.get(0).getJsonObject("s3").getJsonObject("object").getString("key")).isEqualTo("photos/notes.txt");
  }

  @Test
  void completedMultipartUploadsAreReportedAsSuch() throws Exception {
    s3.createBucket(b -> b.bucket("uploads"));
    try (LogCounter anything = platform.follow("on-anything")) {
      s3.putBucketNotificationConfiguration(b -> b.bucket("uploads").notificationConfiguration(n -> n.lambdaFunctionConfigurations(
          rule("all", "on-anything", null, ".bin", Event.S3_OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD))));
      assertThat(anything.await(1, Duration.ofSeconds(60))).isTrue();
      String upload = s3.createMultipartUpload(b -> b.bucket("uploads").key("big.bin")).uploadId();
      String etag = s3.uploadPart(b -> b.bucket("uploads").key("big.bin").uploadId(upload).partNumber(1),
          RequestBody.fromString("only part")).eTag();
      s3.completeMultipartUpload(b -> b.bucket("uploads").key("big.bin").uploadId(upload)
          .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
      assertThat(anything.await(1, Duration.ofSeconds(60))).isTrue();
    }
    JsonObject record = records("on-anything").get(0);
    assertThat(record.getString("eventName")).isEqualTo("ObjectCreated:CompleteMultipartUpload");
    assertThat(record.getJsonObject("s3").getJsonObject("object").getString("eTag")).endsWith("-1");
  }

  private static LambdaFunctionConfiguration rule(String id, String function, String prefix, String suffix, Event... events) {
    LambdaFunctionConfiguration.Builder rule = LambdaFunctionConfiguration.builder().id(id).lambdaFunctionArn(ARN + function).events(events);
    List<software.amazon.awssdk.services.s3.model.FilterRule> filters = new ArrayList<>();
    if (prefix != null) {
      filters.add(software.amazon.awssdk.services.s3.model.FilterRule.builder().name(FilterRuleName.PREFIX).value(prefix).build());
    }
    if (suffix != null) {
      filters.add(software.amazon.awssdk.services.s3.model.FilterRule.builder().name(FilterRuleName.SUFFIX).value(suffix).build());
    }
    if (!filters.isEmpty()) {
      rule.filter(f -> f.key(k -> k.filterRules(filters)));
    }
    return rule.build();
  }

  /** The S3 records each invocation of {@code function} received (test events, which have none, left out). */
  private List<JsonObject> records(String function) throws Exception {
    JsonArray invocations = new JsonObject(get("/_/api/invocations?function=" + function + "&trigger=s3")).getJsonArray("invocations");
    List<JsonObject> records = new ArrayList<>();
    for (int i = 0; i < invocations.size(); i++) {
      JsonObject request = new JsonObject(new JsonObject(get("/_/api/invocations/" + invocations.getJsonObject(i).getString("id")))
          .getString("request"));
      if (request.containsKey("Records")) {
        records.add(request.getJsonArray("Records").getJsonObject(0));
      }
    }
    return records;
  }

  private String get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(platform.endpoint() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static software.amazon.awssdk.core.SdkBytes zip() {
    try {
      return RunningPlatform.example("hello-java");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
