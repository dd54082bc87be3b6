package dev.tarsier.gateway;

import static dev.tarsier.gateway.S3ObjectsIT.assertStatus;
import static dev.tarsier.gateway.S3ObjectsIT.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/** Multipart uploads through the real S3Client: parts of at least 5 MiB, the -N ETag, copies, listings, errors. */
class S3MultipartIT {
  private static final int MIB = 1024 * 1024;
  private static RunningPlatform platform;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    platform = RunningPlatform.start(Duration.ofMinutes(1));
    s3 = platform.s3();
    s3.createBucket(b -> b.bucket("multi"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void completesWithTheMd5OfPartMd5sEtagAndServesTheJoinedBytes() throws Exception {
    byte[][] parts = {bytes(5 * MIB, 11), bytes(6 * MIB + 3, 12), bytes(1234, 13)};
    String uploadId = s3.createMultipartUpload(b -> b.bucket("multi").key("big object.bin").contentType("application/x-big")
        .metadata(Map.of("origin", "multipart"))).uploadId();
    List<CompletedPart> completed = new ArrayList<>();
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    MessageDigest md5s = MessageDigest.getInstance("MD5");
    for (int i = 0; i < parts.length; i++) {
      int number = i + 1;
      byte[] part = parts[i];
      String eTag = s3.uploadPart(b -> b.bucket("multi").key("big object.bin").uploadId(uploadId).partNumber(number),
          RequestBody.fromBytes(part)).eTag();
      assertThat(eTag).isEqualTo('"' + S3ObjectsIT.md5(part) + '"');
      completed.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
      whole.write(part);
      md5s.update(MessageDigest.getInstance("MD5").digest(part));
    }

    String eTag = s3.completeMultipartUpload(b -> b.bucket("multi").key("big object.bin").uploadId(uploadId)
        .multipartUpload(u -> u.parts(completed))).eTag();
    assertThat(eTag).isEqualTo('"' + HexFormat.of().formatHex(md5s.digest()) + "-3\"");

    HeadObjectResponse head = s3.headObject(b -> b.bucket("multi").key("big object.bin"));
    assertThat(head.eTag()).isEqualTo(eTag);
    assertThat(head.contentLength()).isEqualTo(whole.size());
    assertThat(head.contentType()).isEqualTo("application/x-big");
    assertThat(head.metadata()).containsEntry("origin", "multipart");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("multi").key("big object.bin")).asByteArray()).isEqualTo(whole.toByteArray());

    var second = s3.getObjectAsBytes(b -> b.bucket("multi").key("big object.bin").partNumber(2));
    assertThat(second.asByteArray()).isEqualTo(parts[1]);
    assertThat(second.response().partsCount()).isEqualTo(3);
    assertThat(s3.listMultipartUploads(b -> b.bucket("multi")).uploads()).extracting(MultipartUpload::uploadId).doesNotContain(uploadId);
  }

  @Test
  void uploadPartCopyTakesARangeOfAnExistingObject() {
    byte[] source = bytes(7 * MIB, 21);
    s3.putObject(b -> b.bucket("multi").key("copy-source"), RequestBody.fromBytes(source));
    String uploadId = s3.createMultipartUpload(b -> b.bucket("multi").key("assembled")).uploadId();
    String first = s3.uploadPartCopy(b -> b.sourceBucket("multi").sourceKey("copy-source").destinationBucket("multi")
        .destinationKey("assembled").uploadId(uploadId).partNumber(1).copySourceRange("bytes=0-" + (5 * MIB - 1))).copyPartResult().eTag();
    String second = s3.uploadPartCopy(b -> b.sourceBucket("multi").sourceKey("copy-source").destinationBucket("multi")
        .destinationKey("assembled").uploadId(uploadId).partNumber(2).copySourceRange("bytes=" + (6 * MIB) + "-" + (7 * MIB - 1))).copyPartResult().eTag();
    s3.completeMultipartUpload(b -> b.bucket("multi").key("assembled").uploadId(uploadId).multipartUpload(u -> u.parts(
        CompletedPart.builder().partNumber(1).eTag(first).build(), CompletedPart.builder().partNumber(2).eTag(second).build())));

    byte[] expected = new byte[6 * MIB];
    System.arraycopy(source, 0, expected, 0, 5 * MIB);
    System.arraycopy(source, 6 * MIB, expected, 5 * MIB, MIB);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("multi").key("assembled")).asByteArray()).isEqualTo(expected);
  }

  @Test
  void listsPartsAndUploadsThenAbortForgetsThem() {
    String uploadId = s3.createMultipartUpload(b -> b.bucket("multi").key("listed")).uploadId();
    for (int number = 1; number <= 3; number++) {
      int n = number;
      s3.uploadPart(b -> b.bucket("multi").key("listed").uploadId(uploadId).partNumber(n), RequestBody.fromString("part " + n));
    }
    assertThat(s3.listParts(b -> b.bucket("multi").key("listed").uploadId(uploadId)).parts())
        .extracting(Part::partNumber, Part::size).containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 6L), org.assertj.core.groups.Tuple.tuple(2, 6L), org.assertj.core.groups.Tuple.tuple(3, 6L));
    var page = s3.listParts(b -> b.bucket("multi").key("listed").uploadId(uploadId).maxParts(2));
    assertThat(page.isTruncated()).isTrue();
    assertThat(page.nextPartNumberMarker()).isEqualTo(2);
    assertThat(s3.listMultipartUploads(b -> b.bucket("multi")).uploads()).extracting(MultipartUpload::key, MultipartUpload::uploadId)
        .contains(org.assertj.core.groups.Tuple.tuple("listed", uploadId));

    s3.abortMultipartUpload(b -> b.bucket("multi").key("listed").uploadId(uploadId));
    assertStatus(() -> s3.listParts(b -> b.bucket("multi").key("listed").uploadId(uploadId)), 404, "NoSuchUpload");
    assertStatus(() -> s3.uploadPart(b -> b.bucket("multi").key("listed").uploadId(uploadId).partNumber(4), RequestBody.fromString("late")),
        404, "NoSuchUpload");
  }

  @Test
  void smallNonLastPartIsEntityTooSmall() {
    String uploadId = s3.createMultipartUpload(b -> b.bucket("multi").key("too-small")).uploadId();
    String one = s3.uploadPart(b -> b.bucket("multi").key("too-small").uploadId(uploadId).partNumber(1), RequestBody.fromString("tiny")).eTag();
    String two = s3.uploadPart(b -> b.bucket("multi").key("too-small").uploadId(uploadId).partNumber(2), RequestBody.fromString("tiny")).eTag();
    assertStatus(() -> s3.completeMultipartUpload(b -> b.bucket("multi").key("too-small").uploadId(uploadId).multipartUpload(u -> u.parts(
        CompletedPart.builder().partNumber(1).eTag(one).build(), CompletedPart.builder().partNumber(2).eTag(two).build()))), 400, "EntityTooSmall");
  }

  @Test
  void wrongEtagOrMissingPartIsInvalidPartAndDisorderIsInvalidPartOrder() {
    String uploadId = s3.createMultipartUpload(b -> b.bucket("multi").key("invalid")).uploadId();
    String one = s3.uploadPart(b -> b.bucket("multi").key("invalid").uploadId(uploadId).partNumber(1), RequestBody.fromBytes(bytes(5 * MIB, 1))).eTag();
    String two = s3.uploadPart(b -> b.bucket("multi").key("invalid").uploadId(uploadId).partNumber(2), RequestBody.fromString("end")).eTag();
    assertStatus(() -> complete("invalid", uploadId, CompletedPart.builder().partNumber(1).eTag("\"00000000000000000000000000000000\"").build()),
        400, "InvalidPart");
    assertStatus(() -> complete("invalid", uploadId, CompletedPart.builder().partNumber(7).eTag(one).build()), 400, "InvalidPart");
    assertStatus(() -> complete("invalid", uploadId, CompletedPart.builder().partNumber(2).eTag(two).build(),
        CompletedPart.builder().partNumber(1).eTag(one).build()), 400, "InvalidPartOrder");
    complete("invalid", uploadId, CompletedPart.builder().partNumber(1).eTag(one).build(), CompletedPart.builder().partNumber(2).eTag(two).build());
    assertStatus(() -> complete("invalid", uploadId, CompletedPart.builder().partNumber(1).eTag(one).build()), 404, "NoSuchUpload");
  }

  @Test
  void completeWithUnparsableBodyIsMalformedXml() throws Exception {
    String uploadId = s3.createMultipartUpload(b -> b.bucket("multi").key("malformed")).uploadId();
    try (RawHttp http = new RawHttp(platform.platform.port())) {
      byte[] body = "<CompleteMultipartUpload><Part>".getBytes();
      RawHttp.Response response = http.exchange("POST /multi/malformed?uploadId=" + uploadId + " HTTP/1.1\nHost: 127.0.0.1\nContent-Length: " + body.length, body, false);
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.body()).contains("<Code>MalformedXML</Code>");
    }
  }

  @Test
  void reuploadingAPartNumberReplacesIt() {
    String uploadId = s3.createMultipartUpload(b -> b.bucket("multi").key("replaced-part")).uploadId();
    s3.uploadPart(b -> b.bucket("multi").key("replaced-part").uploadId(uploadId).partNumber(1), RequestBody.fromString("first"));
    String eTag = s3.uploadPart(b -> b.bucket("multi").key("replaced-part").uploadId(uploadId).partNumber(1), RequestBody.fromString("second")).eTag();
    complete("replaced-part", uploadId, CompletedPart.builder().partNumber(1).eTag(eTag).build());
    assertThat(s3.getObjectAsBytes(b -> b.bucket("multi").key("replaced-part")).asUtf8String()).isEqualTo("second");
    assertThat(Arrays.asList(eTag.split("-"))).hasSize(1);
  }

  private static void complete(String key, String uploadId, CompletedPart... parts) {
    s3.completeMultipartUpload(b -> b.bucket("multi").key(key).uploadId(uploadId).multipartUpload(u -> u.parts(parts)));
  }
}
