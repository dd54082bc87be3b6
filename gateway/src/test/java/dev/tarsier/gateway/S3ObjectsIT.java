package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Object operations through the real S3Client at its defaults (virtual host, checksums on) and path style. */
class S3ObjectsIT {
  private static RunningPlatform platform;
  private static S3Client s3;
  private static S3Client pathStyle;

  @BeforeAll
  static void start() throws Exception {
    platform = RunningPlatform.start(Duration.ofMinutes(1));
    s3 = platform.s3();
    pathStyle = platform.s3PathStyle();
    s3.createBucket(b -> b.bucket("objects"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void putAndGetWithDefaultClientStoreDecodedBytesUnderTheirMd5() throws Exception {
    byte[] body = bytes(300_000, 1);
    PutObjectResponse put = s3.putObject(b -> b.bucket("objects").key("default/blob.bin"), RequestBody.fromBytes(body));
    assertThat(put.eTag()).isEqualTo('"' + md5(body) + '"');
    assertThat(put.checksumCRC32()).as("the SDK's default CRC32 trailer is verified and echoed").isNotNull();

    ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("objects").key("default/blob.bin").checksumMode(ChecksumMode.ENABLED));
    assertThat(got.asByteArray()).isEqualTo(body);
    assertThat(got.response().eTag()).isEqualTo(put.eTag());
    assertThat(got.response().checksumCRC32()).isEqualTo(put.checksumCRC32());
    assertThat(got.response().contentLength()).isEqualTo(body.length);
  }

  @Test
  void pathStyleClientSeesTheSameObjects() {
    pathStyle.putObject(b -> b.bucket("objects").key("path/style.txt"), RequestBody.fromString("path style"));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key("path/style.txt")).asUtf8String()).isEqualTo("path style");
    assertThat(pathStyle.getObjectAsBytes(b -> b.bucket("objects").key("path/style.txt")).asUtf8String()).isEqualTo("path style");
  }

  @Test
  void emptyObjectRoundTrips() {
    PutObjectResponse put = s3.putObject(b -> b.bucket("objects").key("empty"), RequestBody.empty());
    assertThat(put.eTag()).isEqualTo("\"d41d8cd98f00b204e9800998ecf8427e\"");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key("empty")).asByteArray()).isEmpty();
  }

  @Test
  void contentHeadersAndUserMetadataRoundTrip() {
    s3.putObject(b -> b.bucket("objects").key("meta.txt")
        .contentType("text/plain; charset=utf-8")
        .cacheControl("max-age=60")
        .contentDisposition("attachment; filename=\"meta.txt\"")
        .contentEncoding("identity")
        .contentLanguage("en")
        .metadata(Map.of("colour", "red", "Owner-Name", "tapir")), RequestBody.fromString("metadata"));

    HeadObjectResponse head = s3.headObject(b -> b.bucket("objects").key("meta.txt"));
    assertThat(head.contentType()).isEqualTo("text/plain; charset=utf-8");
    assertThat(head.cacheControl()).isEqualTo("max-age=60");
    assertThat(head.contentDisposition()).isEqualTo("attachment; filename=\"meta.txt\"");
    assertThat(head.contentEncoding()).as("aws-chunked is framing, not stored").isEqualTo("identity");
    assertThat(head.contentLanguage()).isEqualTo("en");
    assertThat(head.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("colour", "red", "owner-name", "tapir"));
    assertThat(head.contentLength()).isEqualTo(8);
    assertThat(head.acceptRanges()).isEqualTo("bytes");

    GetObjectResponse get = s3.getObject(b -> b.bucket("objects").key("meta.txt").responseContentType("application/x-override")).response();
    assertThat(get.contentType()).isEqualTo("application/x-override");
    assertThat(get.metadata()).containsEntry("colour", "red");
  }

  @Test
  void rangesIncludingSuffixAndOpenEndedAnswer206WithContentRange() {
    s3.putObject(b -> b.bucket("objects").key("digits"), RequestBody.fromString("0123456789"));

    ResponseBytes<GetObjectResponse> middle = s3.getObjectAsBytes(b -> b.bucket("objects").key("digits").range("bytes=2-5"));
    assertThat(middle.asUtf8String()).isEqualTo("2345");
    assertThat(middle.response().contentRange()).isEqualTo("bytes 2-5/10");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key("digits").range("bytes=7-")).asUtf8String()).isEqualTo("789");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key("digits").range("bytes=-3")).asUtf8String()).isEqualTo("789");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key("digits").range("bytes=-30")).asUtf8String()).isEqualTo("0123456789");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key("digits").range("bytes=8-100")).response().contentRange())
        .isEqualTo("bytes 8-9/10");

    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("objects").key("digits").range("bytes=10-")))
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.statusCode()).isEqualTo(416);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
        });
  }

  @Test
  void conditionalGetsAnswer304And412() {
    PutObjectResponse put = s3.putObject(b -> b.bucket("objects").key("conditional"), RequestBody.fromString("v1"));
    String eTag = put.eTag();
    Instant past = Instant.now().minus(Duration.ofDays(1));
    Instant future = Instant.now().plus(Duration.ofDays(1));

    assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key("conditional").ifMatch(eTag)).asUtf8String()).isEqualTo("v1");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key("conditional").ifNoneMatch("\"other\"")).asUtf8String()).isEqualTo("v1");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key("conditional").ifModifiedSince(past)).asUtf8String()).isEqualTo("v1");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key("conditional").ifUnmodifiedSince(future)).asUtf8String()).isEqualTo("v1");

    assertStatus(() -> s3.getObjectAsBytes(b -> b.bucket("objects").key("conditional").ifMatch("\"other\"")), 412, "PreconditionFailed");
    assertStatus(() -> s3.getObjectAsBytes(b -> b.bucket("objects").key("conditional").ifUnmodifiedSince(past)), 412, "PreconditionFailed");
    assertStatus(() -> s3.getObjectAsBytes(b -> b.bucket("objects").key("conditional").ifNoneMatch(eTag)), 304, null);
    assertStatus(() -> s3.getObjectAsBytes(b -> b.bucket("objects").key("conditional").ifModifiedSince(future)), 304, null);
    assertStatus(() -> s3.headObject(b -> b.bucket("objects").key("conditional").ifNoneMatch("*")), 304, null);
  }

  @Test
  void missingKeysAreNoSuchKeyAndHeadSaysSoWithoutBody() {
    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("objects").key("nope")))
        .isInstanceOfSatisfying(NoSuchKeyException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(404);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
          assertThat(e.requestId()).isNotBlank();
        });
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("objects").key("nope")))
        .isInstanceOfSatisfying(NoSuchKeyException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
  }

  @Test
  void deleteRemovesAndIsIdempotent() {
    s3.putObject(b -> b.bucket("objects").key("doomed"), RequestBody.fromString("x"));
    assertThat(s3.deleteObject(b -> b.bucket("objects").key("doomed")).sdkHttpResponse().statusCode()).isEqualTo(204);
    assertThat(s3.deleteObject(b -> b.bucket("objects").key("doomed")).sdkHttpResponse().statusCode()).isEqualTo(204);
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("objects").key("doomed"))).isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void deleteObjectsRemovesEveryListedKey() {
    for (String key : List.of("batch/a", "batch/b", "batch/c")) {
      s3.putObject(b -> b.bucket("objects").key(key), RequestBody.fromString(key));
    }
    var result = s3.deleteObjects(b -> b.bucket("objects").delete(d -> d.objects(
        ObjectIdentifier.builder().key("batch/a").build(),
        ObjectIdentifier.builder().key("batch/b").build(),
        ObjectIdentifier.builder().key("batch/missing").build())));
    assertThat(result.deleted()).extracting(d -> d.key()).containsExactly("batch/a", "batch/b", "batch/missing");
    assertThat(result.errors()).isEmpty();
    assertThat(s3.listObjectsV2(b -> b.bucket("objects").prefix("batch/")).contents()).extracting(o -> o.key()).containsExactly("batch/c");

    var quiet = s3.deleteObjects(b -> b.bucket("objects").delete(d -> d.quiet(true).objects(ObjectIdentifier.builder().key("batch/c").build())));
    assertThat(quiet.deleted()).isEmpty();
  }

  @Test
  void copyObjectCopiesBytesAndMetadataOrReplacesMetadata() throws Exception {
    s3.putObject(b -> b.bucket("objects").key("copy/source").contentType("text/x-source").metadata(Map.of("from", "source")),
        RequestBody.fromString("copied bytes"));

    var copied = s3.copyObject(b -> b.sourceBucket("objects").sourceKey("copy/source").destinationBucket("objects").destinationKey("copy/same meta"));
    assertThat(copied.copyObjectResult().eTag()).isEqualTo('"' + md5("copied bytes".getBytes(StandardCharsets.UTF_8)) + '"');
    HeadObjectResponse same = s3.headObject(b -> b.bucket("objects").key("copy/same meta"));
    assertThat(same.contentType()).isEqualTo("text/x-source");
    assertThat(same.metadata()).containsEntry("from", "source");

    s3.copyObject(b -> b.sourceBucket("objects").sourceKey("copy/source").destinationBucket("objects").destinationKey("copy/new meta")
        .metadataDirective(MetadataDirective.REPLACE).contentType("text/x-copy").metadata(Map.of("from", "copy")));
    HeadObjectResponse replaced = s3.headObject(b -> b.bucket("objects").key("copy/new meta"));
    assertThat(replaced.contentType()).isEqualTo("text/x-copy");
    assertThat(replaced.metadata()).containsExactlyEntriesOf(Map.of("from", "copy"));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key("copy/new meta")).asUtf8String()).isEqualTo("copied bytes");

    s3.deleteObject(b -> b.bucket("objects").key("copy/source"));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key("copy/same meta")).asUtf8String())
        .as("a copy outlives its source").isEqualTo("copied bytes");

    assertStatus(() -> s3.copyObject(b -> b.sourceBucket("objects").sourceKey("copy/same meta").destinationBucket("objects")
        .destinationKey("copy/same meta")), 400, "InvalidRequest");
    assertStatus(() -> s3.copyObject(b -> b.sourceBucket("objects").sourceKey("copy/absent").destinationBucket("objects")
        .destinationKey("copy/x")), 404, "NoSuchKey");
  }

  @Test
  void keysWithSpacesPlusSignsAndUtf8RoundTrip() {
    List<String> keys = List.of("odd keys/with space.txt", "odd keys/a+b=c&d.txt", "odd keys/ünïcødé 日本語.txt",
        "odd keys/percent%20literal", "odd keys/tilde~and'quote\".txt");
    for (String key : keys) {
      s3.putObject(b -> b.bucket("objects").key(key), RequestBody.fromString(key));
      assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key(key)).asUtf8String()).isEqualTo(key);
      assertThat(pathStyle.getObjectAsBytes(b -> b.bucket("objects").key(key)).asUtf8String()).isEqualTo(key);
    }
    assertThat(s3.listObjectsV2(b -> b.bucket("objects").prefix("odd keys/")).contents()).extracting(o -> o.key())
        .containsExactlyInAnyOrderElementsOf(keys);
  }

  @Test
  void overwriteServesTheNewBytesAndFreesTheOldFile() throws Exception {
    s3.putObject(b -> b.bucket("objects").key("overwrite"), RequestBody.fromBytes(bytes(1000, 2)));
    long before = blobFiles();
    s3.putObject(b -> b.bucket("objects").key("overwrite"), RequestBody.fromBytes(bytes(2000, 3)));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key("overwrite")).asByteArray()).isEqualTo(bytes(2000, 3));
    assertThat(blobFiles()).isEqualTo(before);
  }

  @Test
  void contentMd5MismatchIsBadDigestAndStoresNothing() throws Exception {
    long before = blobFiles();
    assertStatus(() -> s3.putObject(b -> b.bucket("objects").key("bad-md5").contentMD5("1B2M2Y8AsgTpgAmY7PhCfg=="),
        RequestBody.fromString("not empty")), 400, "BadDigest");
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("objects").key("bad-md5"))).isInstanceOf(NoSuchKeyException.class);
    assertThat(blobFiles()).isEqualTo(before);
    assertThat(tempFiles()).isZero();
  }

  @Test
  void wrongChecksumHeaderIsBadDigest() {
    assertStatus(() -> s3.putObject(b -> b.bucket("objects").key("bad-sha256").checksumSHA256("n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="),
        RequestBody.fromString("something else")), 400, "BadDigest");
  }

  @Test
  void everyChecksumAlgorithmIsVerifiedStoredAndReturned() {
    for (ChecksumAlgorithm algorithm : List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32_C, ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256)) {
      String key = "checksums/" + algorithm;
      byte[] body = bytes(70_000, algorithm.ordinal());
      s3.putObject(b -> b.bucket("objects").key(key).checksumAlgorithm(algorithm), RequestBody.fromBytes(body));
      ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("objects").key(key).checksumMode(ChecksumMode.ENABLED));
      assertThat(got.asByteArray()).isEqualTo(body);
      String returned = switch (algorithm) {
        case CRC32 -> got.response().checksumCRC32();
        case CRC32_C -> got.response().checksumCRC32C();
        case SHA1 -> got.response().checksumSHA1();
        case SHA256 -> got.response().checksumSHA256();
        default -> throw new IllegalStateException();
      };
      assertThat(returned).as(algorithm.toString()).isNotNull();
    }
  }

  @Test
  void largeObjectStreamsThroughAFileAndReadsBackInRanges() throws Exception {
    byte[] body = bytes(12 * 1024 * 1024 + 17, 7);
    PutObjectResponse put = s3.putObject(b -> b.bucket("objects").key("large.bin"), RequestBody.fromBytes(body));
    assertThat(put.eTag()).isEqualTo('"' + md5(body) + '"');
    assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key("large.bin")).asByteArray()).isEqualTo(body);
    byte[] tail = s3.getObjectAsBytes(b -> b.bucket("objects").key("large.bin").range("bytes=8388608-")).asByteArray();
    assertThat(tail).isEqualTo(java.util.Arrays.copyOfRange(body, 8388608, body.length));
  }

  @Test
  void spilledBodiesAtTheEdgesOfTheirWriteBatchesReadBackExactly() throws Exception {
    // Just past what the store holds in memory (256 KB), and whole or not quite whole write batches (512 KB).
    int batch = 512 * 1024;
    int[] sizes = {256 * 1024 + 1, batch, 2 * batch, 2 * batch + 1, 3 * batch - 1};
    for (int size : sizes) {
      byte[] body = bytes(size, size);
      String key = "edge-" + size;
      PutObjectResponse put = s3.putObject(b -> b.bucket("objects").key(key), RequestBody.fromBytes(body));
      assertThat(put.eTag()).as("%d bytes", size).isEqualTo('"' + md5(body) + '"');
      assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key(key)).asByteArray()).as("%d bytes", size).isEqualTo(body);
    }
  }

  @Test
  void conditionalPutRefusesToOverwriteWithIfNoneMatchStar() {
    s3.putObject(b -> b.bucket("objects").key("once"), RequestBody.fromString("first"));
    assertStatus(() -> s3.putObject(b -> b.bucket("objects").key("once").ifNoneMatch("*"), RequestBody.fromString("second")),
        412, "PreconditionFailed");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("objects").key("once")).asUtf8String()).isEqualTo("first");
  }

  @Test
  void concurrentOverwritesNeverExposeAHalfWrittenObject() throws Exception {
    List<byte[]> versions = List.of(bytes(400_000, 31), bytes(300_001, 32), bytes(20_000, 33));
    Map<String, byte[]> byETag = new java.util.HashMap<>();
    for (byte[] version : versions) {
      byETag.put('"' + md5(version) + '"', version);
    }
    s3.putObject(b -> b.bucket("objects").key("contended"), RequestBody.fromBytes(versions.get(0)));
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(6);
    List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
    for (int writer = 0; writer < 2; writer++) {
      int offset = writer;
      work.add(threads.submit(() -> {
        for (int i = 0; i < 15; i++) {
          byte[] version = versions.get((i + offset) % versions.size());
          s3.putObject(b -> b.bucket("objects").key("contended"), RequestBody.fromBytes(version));
        }
      }));
    }
    for (int reader = 0; reader < 4; reader++) {
      work.add(threads.submit(() -> {
        for (int i = 0; i < 25; i++) {
          ResponseBytes<GetObjectResponse> got = pathStyle.getObjectAsBytes(b -> b.bucket("objects").key("contended"));
          assertThat(byETag).containsKey(got.response().eTag());
          assertThat(got.asByteArray()).isEqualTo(byETag.get(got.response().eTag()));
        }
      }));
    }
    for (java.util.concurrent.Future<?> done : work) {
      done.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    threads.shutdown();
  }

  static void assertStatus(Runnable call, int status, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.statusCode()).isEqualTo(status);
      if (code != null) {
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
      }
    });
  }

  private static long blobFiles() throws Exception {
    try (Stream<Path> files = Files.walk(platform.dataDir.resolve("objects/blobs"))) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private static long tempFiles() throws Exception {
    try (Stream<Path> files = Files.list(platform.dataDir.resolve("objects/tmp"))) {
      return files.count();
    }
  }

  static byte[] bytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }
}
