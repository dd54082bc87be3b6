package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The asset-checksumming pipeline end to end: a tarball put in a bucket fires the Java function in a
 * real container, which reads it back through the platform's own S3 with the SDK, renames every file
 * with its MD5 and writes them and an index to another bucket.
 */
class AssetPipelineIT {
  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension(config -> config.withRetryDelays(Duration.ofMillis(50), Duration.ofMillis(100)));
  private static RunningPlatform platform;
  private static S3Client s3;
  private static LambdaClient lambda;

  @BeforeAll
  static void start() throws Exception {
    platform = PLATFORM.get();
    s3 = platform.s3PathStyle();
    lambda = platform.lambda(1);
    var zip = RunningPlatform.example("asset-pipeline");
    lambda.createFunction(b -> b.functionName("pipeline").runtime(Runtime.JAVA17).handler("example.assets.AssetHandler::handleRequest")
        .memorySize(1024).timeout(120).role("arn:aws:iam::000000000000:role/lambda")
        .environment(e -> e.variables(Map.of("DESTINATION_BUCKET", "assets", "PUBLIC_BASE_URL", "http://cdn.example/")))
        .code(c -> c.zipFile(zip)));
    lambda.putFunctionEventInvokeConfig(b -> b.functionName("pipeline").maximumRetryAttempts(0));
    s3.createBucket(b -> b.bucket("uploads"));
    s3.createBucket(b -> b.bucket("assets"));
    try (LogCounter testEvent = platform.follow("pipeline")) {
      s3.putBucketNotificationConfiguration(b -> b.bucket("uploads").notificationConfiguration(n -> n.lambdaFunctionConfigurations(
          c -> c.id("tarballs").lambdaFunctionArn("arn:aws:lambda:us-east-1:000000000000:function:pipeline")
              .events(Event.S3_OBJECT_CREATED_PUT, Event.S3_OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD)
              .filter(f -> f.key(k -> k.filterRules(r -> r.name(FilterRuleName.SUFFIX).value("gz")))),
          c -> c.id("other").lambdaFunctionArn("arn:aws:lambda:us-east-1:000000000000:function:pipeline")
              .events(Event.S3_OBJECT_CREATED_PUT).filter(f -> f.key(k -> k.filterRules(r -> r.name(FilterRuleName.SUFFIX).value(".txt")))))));
      assertThat(testEvent.await(1, Duration.ofSeconds(120))).isTrue();
    }
  }

  @Test
  void renamesEveryFileWithItsMd5AndWritesTheIndex() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("tapir.jpg", bytes("a tapir"));
    files.put("css/site main.css", bytes("body {}"));
    files.put("docs/ñandú/köln.md", bytes("# UTF-8"));
    files.put("empty.txt", new byte[0]);
    byte[] big = new byte[11 * 1024 * 1024];
    new Random(7).nextBytes(big);
    files.put("media/big video.mp4", big);

    JsonObject result = upload("site.tgz", tarball(files));
    assertThat(result.getInteger("files")).isEqualTo(files.size());
    assertThat(result.getString("url")).isEqualTo("http://cdn.example/assets/site/index.json");

    JsonArray index = new JsonArray(s3.getObjectAsBytes(b -> b.bucket("assets").key("site/index.json")).asUtf8String());
    assertThat(index).hasSize(files.size());
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      String md5 = md5(file.getValue());
      String name = file.getKey();
      int dot = name.lastIndexOf('.');
      String renamed = name.substring(0, dot) + "-" + md5 + name.substring(dot);
      byte[] stored = s3.getObjectAsBytes(b -> b.bucket("assets").key("site/" + renamed)).asByteArray();
      assertThat(md5(stored)).as(renamed).isEqualTo(md5);
      JsonObject entry = find(index, "/" + name);
      assertThat(URLDecoder.decode(URI.create(entry.getString("url")).getRawPath(), StandardCharsets.UTF_8))
          .isEqualTo("/assets/site/" + renamed);
    }
    assertThat(s3.headObject(b -> b.bucket("assets").key("site/tapir-" + md5(files.get("tapir.jpg")) + ".jpg")).contentType())
        .isEqualTo("image/jpeg");
  }

  @Test
  void theSameUploadTwiceGivesTheSameResult() throws Exception {
    Map<String, byte[]> files = Map.of("a.txt", bytes("a"), "dir/b.png", bytes("b"));
    byte[] tarball = tarball(files);
    upload("twice.tar.gz", tarball);
    String firstIndex = s3.getObjectAsBytes(b -> b.bucket("assets").key("twice/index.json")).asUtf8String();
    var firstKeys = keys("twice/");
    upload("twice.tar.gz", tarball);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("assets").key("twice/index.json")).asUtf8String()).isEqualTo(firstIndex);
    assertThat(keys("twice/")).isEqualTo(firstKeys);
  }

  @Test
  void aTarballThatEscapesIsRefusedAndWritesNothing() throws Exception {
    try (LogCounter runs = platform.follow("pipeline")) {
      s3.putObject(b -> b.bucket("uploads").key("evil.tgz"), RequestBody.fromBytes(tarball(Map.of("../evil", bytes("x")))));
      assertThat(runs.await(1, Duration.ofSeconds(120))).isTrue();
      assertThat(runs.logs().get(0)).contains("../evil");
    }
    assertThat(keys("evil/")).isEmpty();
    assertThat(keys("")).noneMatch(key -> key.contains("evil"));
  }

  @Test
  void aKeyThatIsNotATarballIsSkipped() throws Exception {
    try (LogCounter runs = platform.follow("pipeline")) {
      s3.putObject(b -> b.bucket("uploads").key("notes.txt"), RequestBody.fromString("not a tarball"));
      assertThat(runs.await(1, Duration.ofSeconds(120))).isTrue();
      assertThat(runs.logs().get(0)).contains("skipping s3://uploads/notes.txt: not a .tgz or .tar.gz");
      assertThat(runs.logs().get(0)).doesNotContain("Status: error");
    }
  }

  private JsonObject upload(String key, byte[] tarball) throws Exception {
    try (LogCounter runs = platform.follow("pipeline")) {
      s3.putObject(b -> b.bucket("uploads").key(key), RequestBody.fromBytes(tarball));
      assertThat(runs.await(1, Duration.ofSeconds(180))).as("the pipeline ran").isTrue();
      assertThat(runs.logs().get(0)).contains("processed s3://uploads/" + key);
    }
    JsonObject latest = new JsonObject(platform.get("/_/api/invocations?function=pipeline&limit=1"))
        .getJsonArray("invocations").getJsonObject(0);
    assertThat(latest.getString("status")).isEqualTo("ok");
    return new JsonObject(new JsonObject(platform.get("/_/api/invocations/" + latest.getString("id"))).getString("result"));
  }

  private static java.util.List<String> keys(String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket("assets").prefix(prefix)).contents().stream().map(S3Object::key).sorted().toList();
  }

  private static JsonObject find(JsonArray index, String originalFile) {
    for (int i = 0; i < index.size(); i++) {
      if (index.getJsonObject(i).getString("originalFile").equals(originalFile)) {
        return index.getJsonObject(i);
      }
    }
    throw new AssertionError("no index entry for " + originalFile + " in " + index.encodePrettily());
  }

  private static byte[] tarball(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
        entry.setSize(file.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

}
