package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Wire details checked by hand: the Host header, the other APIs on the same port, S3's error shape,
 * every aws-chunked variant, {@code Expect: 100-continue}, and the size and digest refusals.
 */
class S3WireIT {
  private static RunningPlatform platform;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    platform = RunningPlatform.start(Duration.ofMinutes(1));
    port = platform.platform.port();
    try (RawHttp http = new RawHttp(port)) {
      assertThat(http.exchange("PUT /wire HTTP/1.1\nHost: 127.0.0.1\nContent-Length: 0", null, false).status()).isEqualTo(200);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void hostHeaderNamesTheBucketForVirtualHostRequests() throws Exception {
    try (RawHttp http = new RawHttp(port)) {
      byte[] body = "virtual".getBytes(StandardCharsets.UTF_8);
      assertThat(http.exchange("PUT /by/host.txt HTTP/1.1\nHost: wire.localhost:" + port + "\nContent-Length: 7", body, false).status())
          .isEqualTo(200);
      assertThat(http.exchange("GET /wire/by/host.txt HTTP/1.1\nHost: 127.0.0.1", null, false).body()).isEqualTo("virtual");
      assertThat(http.exchange("GET /?list-type=2 HTTP/1.1\nHost: wire.localhost", null, false).body()).contains("<Key>by/host.txt</Key>");
    }
  }

  @Test
  void otherApisOnTheEdgePortAreNotShadowed() throws Exception {
    try (RawHttp http = new RawHttp(port)) {
      RawHttp.Response lambda = http.exchange("GET /2015-03-31/functions/ HTTP/1.1\nHost: 127.0.0.1", null, false);
      assertThat(lambda.status()).isEqualTo(200);
      assertThat(lambda.body()).contains("\"Functions\"");
      RawHttp.Response health = http.exchange("GET /_/health HTTP/1.1\nHost: 127.0.0.1", null, false);
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"ok\"");
      for (String host : new String[] {"abc123.lambda-url.localhost", "abc123.lambda-url.us-east-1.localhost"}) {
        RawHttp.Response functionUrl = http.exchange("GET / HTTP/1.1\nHost: " + host, null, false);
        assertThat(functionUrl.header("Server")).as(host).isNotEqualTo("AmazonS3");
      }
    }
  }

  @Test
  void errorsUseS3sXmlShapeAndHeadErrorsHaveNoBody() throws Exception {
    try (RawHttp http = new RawHttp(port)) {
      RawHttp.Response missing = http.exchange("GET /wire/no/such%20key HTTP/1.1\nHost: 127.0.0.1", null, false);
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.header("Content-Type")).isEqualTo("application/xml");
      assertThat(missing.header("Server")).isEqualTo("AmazonS3");
      assertThat(missing.header("Date")).endsWith("GMT");
      String requestId = missing.header("x-amz-request-id");
      assertThat(requestId).isNotBlank();
      assertThat(missing.header("x-amz-id-2")).isNotBlank();
      assertThat(missing.body()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
          .contains("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>")
          .contains("<Key>no/such key</Key>").contains("<BucketName>wire</BucketName>")
          .contains("<Resource>/wire/no/such key</Resource>").contains("<RequestId>" + requestId + "</RequestId>");

      RawHttp.Response head = http.exchange("HEAD /wire/no/such/key HTTP/1.1\nHost: 127.0.0.1", null, true);
      assertThat(head.status()).isEqualTo(404);
      assertThat(head.header("Content-Length")).isIn(null, "0");
      RawHttp.Response after = http.exchange("GET /wire?list-type=2&max-keys=abc HTTP/1.1\nHost: 127.0.0.1", null, false);
      assertThat(after.status()).as("the connection is still in step after a bodiless HEAD").isEqualTo(400);
      assertThat(after.body()).contains("<Code>InvalidArgument</Code>");
    }
  }

  @Test
  void unsignedStreamingWithTrailerIsDecodedAndItsChecksumVerified() throws Exception {
    byte[] data = "hello aws-chunked world, unsigned with a trailer".getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(data);
    String good = Base64.getEncoder().encodeToString(new byte[] {(byte) (crc.getValue() >>> 24), (byte) (crc.getValue() >>> 16),
        (byte) (crc.getValue() >>> 8), (byte) crc.getValue()});
    try (RawHttp http = new RawHttp(port)) {
      RawHttp.Response ok = putChunked(http, "unsigned", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", data, 10, false,
          "x-amz-checksum-crc32c:" + good, "x-amz-checksum-crc32c");
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.header("x-amz-checksum-crc32c")).isEqualTo(good);
      assertThat(ok.header("ETag")).isEqualTo('"' + S3ObjectsIT.md5(data) + '"');
      assertThat(http.exchange("GET /wire/unsigned HTTP/1.1\nHost: 127.0.0.1", null, false).body()).isEqualTo(new String(data, StandardCharsets.UTF_8));

      RawHttp.Response bad = putChunked(http, "unsigned-bad", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", data, 10, false,
          "x-amz-checksum-crc32c:AAAAAA==", "x-amz-checksum-crc32c");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).contains("<Code>BadDigest</Code>");
    }
  }

  @Test
  void signedStreamingWithoutTrailerIsDecoded() throws Exception {
    byte[] data = new byte[200_000];
    new java.util.Random(5).nextBytes(data);
    try (RawHttp http = new RawHttp(port)) {
      RawHttp.Response ok = putChunked(http, "signed", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", data, 65536, true, null, null);
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.header("ETag")).isEqualTo('"' + S3ObjectsIT.md5(data) + '"');
      RawHttp.Response head = http.exchange("HEAD /wire/signed HTTP/1.1\nHost: 127.0.0.1", null, true);
      assertThat(head.header("Content-Length")).isEqualTo("200000");
    }
  }

  @Test
  void shortAwsChunkedBodyIsIncompleteBody() throws Exception {
    byte[] data = "only part".getBytes(StandardCharsets.UTF_8);
    String body = Integer.toHexString(data.length) + "\r\n" + new String(data, StandardCharsets.UTF_8) + "\r\n0\r\n\r\n";
    try (RawHttp http = new RawHttp(port)) {
      RawHttp.Response response = http.exchange("PUT /wire/short HTTP/1.1\nHost: 127.0.0.1\nContent-Encoding: aws-chunked\n"
          + "x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\nx-amz-decoded-content-length: 100\nContent-Length: " + body.length(),
          body.getBytes(StandardCharsets.UTF_8), false);
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.body()).contains("<Code>IncompleteBody</Code>");
    }
  }

  @Test
  void plainBodyWithChecksumHeaderLikeTheCliSendsIsVerifiedAndEchoed() throws Exception {
    byte[] data = "sent by the CLI over http".getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(data);
    String value = Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    try (RawHttp http = new RawHttp(port)) {
      RawHttp.Response ok = http.exchange("PUT /wire/cli HTTP/1.1\nHost: 127.0.0.1\nx-amz-checksum-crc32: " + value
          + "\nx-amz-content-sha256: " + sha256Hex(data) + "\nContent-Length: " + data.length, data, false);
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.header("x-amz-checksum-crc32")).isEqualTo(value);

      RawHttp.Response mismatch = http.exchange("PUT /wire/cli-bad HTTP/1.1\nHost: 127.0.0.1\nx-amz-content-sha256: "
          + sha256Hex("other".getBytes(StandardCharsets.UTF_8)) + "\nContent-Length: " + data.length, data, false);
      assertThat(mismatch.status()).isEqualTo(400);
      assertThat(mismatch.body()).contains("<Code>XAmzContentSHA256Mismatch</Code>");
    }
  }

  @Test
  void expectContinueGetsA100BeforeTheBodyIsSent() throws Exception {
    try (RawHttp http = new RawHttp(port)) {
      http.send("PUT /wire/continued HTTP/1.1\nHost: 127.0.0.1\nExpect: 100-continue\nContent-Length: 5", null);
      assertThat(http.read(false).status()).isEqualTo(100);
      http.sendBody("12345".getBytes(StandardCharsets.UTF_8));
      assertThat(http.read(false).status()).isEqualTo(200);
    }
  }

  @Test
  void objectsOverFiveGibibytesInOnePutAreEntityTooLarge() throws Exception {
    try (RawHttp http = new RawHttp(port)) {
      http.send("PUT /wire/huge HTTP/1.1\nHost: 127.0.0.1\nExpect: 100-continue\nContent-Length: 6442450944", null);
      RawHttp.Response response = http.read(false);
      if (response.status() == 100) {
        response = http.read(false);
      }
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.body()).contains("<Code>EntityTooLarge</Code>");
      assertThat(response.header("Connection")).isEqualTo("close");
      assertThat(http.closedByServer()).as("no 6 GiB are read just to be dropped").isTrue();
    }
  }

  @Test
  void anUploadCutOffMidwayLeavesNothingBehind() throws Exception {
    Path objects = platform.dataDir.resolve("objects");
    long blobsBefore = files(objects.resolve("blobs"));
    try (RawHttp http = new RawHttp(port)) {
      http.send("PUT /wire/cut-off HTTP/1.1\nHost: 127.0.0.1\nContent-Length: 10000000", new byte[2_000_000]);
      awaitFiles(objects.resolve("tmp"), true);
    }
    awaitFiles(objects.resolve("tmp"), false);
    assertThat(files(objects.resolve("tmp"))).as("temporary files left").isZero();
    assertThat(files(objects.resolve("blobs"))).isEqualTo(blobsBefore);
    try (RawHttp http = new RawHttp(port)) {
      assertThat(http.exchange("HEAD /wire/cut-off HTTP/1.1\nHost: 127.0.0.1", null, true).status()).isEqualTo(404);
    }
  }

  @Test
  void aLargeBodyWhoseContentMd5IsWrongIsBadDigestAndLeavesNothingBehind() throws Exception {
    // Past the in-memory limit and several write batches, so the digests are taken on the spill's workers.
    byte[] data = new byte[3_000_001];
    new java.util.Random(5).nextBytes(data);
    byte[] md5 = java.security.MessageDigest.getInstance("MD5").digest(data);
    Path objects = platform.dataDir.resolve("objects");
    long blobsBefore = files(objects.resolve("blobs"));
    try (RawHttp http = new RawHttp(port)) {
      md5[0] ^= 1;
      RawHttp.Response bad = http.exchange("PUT /wire/large-bad HTTP/1.1\nHost: 127.0.0.1\nContent-MD5: "
          + Base64.getEncoder().encodeToString(md5) + "\nContent-Length: " + data.length, data, false);
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).contains("<Code>BadDigest</Code>");
      md5[0] ^= 1;
      RawHttp.Response good = http.exchange("PUT /wire/large-good HTTP/1.1\nHost: 127.0.0.1\nContent-MD5: "
          + Base64.getEncoder().encodeToString(md5) + "\nContent-Length: " + data.length, data, false);
      assertThat(good.status()).isEqualTo(200);
      assertThat(good.header("ETag")).isEqualTo('"' + java.util.HexFormat.of().formatHex(md5) + '"');
      assertThat(http.exchange("HEAD /wire/large-bad HTTP/1.1\nHost: 127.0.0.1", null, true).status()).isEqualTo(404);
    }
    awaitFiles(objects.resolve("tmp"), false);
    assertThat(files(objects.resolve("blobs"))).as("only the good upload's blob").isEqualTo(blobsBefore + 1);
  }

  /** Polls (bounded) until {@code dir} holds some files, or none; the server notices a closed socket asynchronously. */
  private static void awaitFiles(Path dir, boolean some) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((files(dir) > 0) != some && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
    }
    assertThat(files(dir) > 0).as(some ? "a temporary file while the upload runs" : "no temporary file after it was cut off").isEqualTo(some);
  }

  /** The regular files under {@code dir}; one the server deletes while they are counted is not one. */
  private static long files(Path dir) throws Exception {
    long[] count = {0};
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
        count[0] += attributes.isRegularFile() ? 1 : 0;
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
    return count[0];
  }

  @Test
  void getObjectWorksForTheJdkClientWhichAsksForAnHttp2Upgrade() throws Exception {
    byte[] data = new byte[700_000];
    new java.util.Random(9).nextBytes(data);
    try (RawHttp http = new RawHttp(port)) {
      assertThat(http.exchange("PUT /wire/h2.bin HTTP/1.1\nHost: 127.0.0.1\nContent-Length: " + data.length, data, false).status()).isEqualTo(200);
    }
    java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build();
    for (int attempt = 0; attempt < 2; attempt++) {
      java.net.http.HttpResponse<byte[]> whole = client.sendAsync(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create("http://127.0.0.1:" + port + "/wire/h2.bin")).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray())
          .get(30, TimeUnit.SECONDS);
      assertThat(whole.version()).as("the h2c upgrade is declined: plain HTTP/1.1").isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
      assertThat(whole.body()).isEqualTo(data);
    }
    java.net.http.HttpResponse<byte[]> range = client.sendAsync(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + "/wire/h2.bin")).header("Range", "bytes=100-199999").build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray()).get(30, TimeUnit.SECONDS);
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 200_000));
  }

  @Test
  void deleteObjectsWithGarbageIsMalformedXml() throws Exception {
    byte[] body = "this is not xml".getBytes(StandardCharsets.UTF_8);
    try (RawHttp http = new RawHttp(port)) {
      RawHttp.Response response = http.exchange("POST /wire?delete HTTP/1.1\nHost: 127.0.0.1\nContent-Length: " + body.length, body, false);
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.body()).contains("<Code>MalformedXML</Code>");
    }
  }

  /** PUTs {@code data} in aws-chunked framing, optionally with fake chunk signatures and one trailer. */
  private static RawHttp.Response putChunked(RawHttp http, String key, String payload, byte[] data, int chunkSize, boolean signed,
                                             String trailer, String trailerName) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String signature = signed ? ";chunk-signature=" + "ab".repeat(32) : "";
    for (int offset = 0; offset < data.length; offset += chunkSize) {
      int length = Math.min(chunkSize, data.length - offset);
      body.write((Integer.toHexString(length) + signature + "\r\n").getBytes(StandardCharsets.US_ASCII));
      body.write(data, offset, length);
      body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    body.write(("0" + signature + "\r\n").getBytes(StandardCharsets.US_ASCII));
    if (trailer != null) {
      body.write((trailer + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    String head = "PUT /wire/" + key + " HTTP/1.1\nHost: 127.0.0.1\nContent-Encoding: aws-chunked\nx-amz-content-sha256: " + payload
        + "\nx-amz-decoded-content-length: " + data.length + "\nContent-Length: " + body.size()
        + (trailerName == null ? "" : "\nx-amz-trailer: " + trailerName);
    return http.exchange(head, body.toByteArray(), false);
  }

  private static String sha256Hex(byte[] data) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
  }
}
