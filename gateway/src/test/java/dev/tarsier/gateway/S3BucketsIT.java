package dev.tarsier.gateway;

import static dev.tarsier.gateway.S3ObjectsIT.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** Bucket operations through the real S3Client. */
class S3BucketsIT {
  private static RunningPlatform platform;
  private static S3Client s3;
  private static S3Client pathStyle;

  @BeforeAll
  static void start() throws Exception {
    platform = RunningPlatform.start(Duration.ofMinutes(1));
    s3 = platform.s3();
    pathStyle = platform.s3PathStyle();
  }

  @AfterAll
  static void stop() throws Exception {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void createsListsHeadsLocatesAndDeletesABucket() {
    s3.createBucket(b -> b.bucket("lifecycle"));
    assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains("lifecycle");
    assertThat(s3.listBuckets().buckets()).filteredOn(b -> b.name().equals("lifecycle")).first()
        .satisfies(b -> assertThat(b.creationDate()).isNotNull());
    assertThat(s3.headBucket(b -> b.bucket("lifecycle")).bucketRegion()).isEqualTo("us-east-1");
    assertThat(s3.getBucketLocation(b -> b.bucket("lifecycle")).locationConstraintAsString()).isEmpty();

    s3.deleteBucket(b -> b.bucket("lifecycle"));
    assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).doesNotContain("lifecycle");
    assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("lifecycle"))).isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void locationConstraintIsKept() {
    pathStyle.createBucket(b -> b.bucket("in-europe").createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.EU_WEST_1)));
    assertThat(pathStyle.getBucketLocation(b -> b.bucket("in-europe")).locationConstraintAsString()).isEqualTo("eu-west-1");
    assertThat(pathStyle.headBucket(b -> b.bucket("in-europe")).bucketRegion()).isEqualTo("eu-west-1");
  }

  @Test
  void creatingAnOwnedBucketAgainIsBucketAlreadyOwnedByYou() {
    s3.createBucket(b -> b.bucket("twice"));
    assertStatus(() -> s3.createBucket(b -> b.bucket("twice")), 409, "BucketAlreadyOwnedByYou");
  }

  @Test
  void badBucketNamesAreInvalidBucketName() throws Exception {
    // The SDK refuses most bad names itself, so they go by hand; the rest through the SDK.
    try (RawHttp http = new RawHttp(platform.platform.port())) {
      for (String name : new String[] {"ab", "Upper-Case", "under%5Fscore", "-leading", "1.2.3.4", "dots..twice"}) {
        RawHttp.Response response = http.exchange("PUT /" + name + " HTTP/1.1\nHost: 127.0.0.1\nContent-Length: 0", null, false);
        assertThat(response.status()).as(name).isEqualTo(400);
        assertThat(response.body()).as(name).contains("<Code>InvalidBucketName</Code>");
      }
    }
    assertStatus(() -> s3.createBucket(b -> b.bucket("2015-03-31")), 400, "InvalidBucketName");
  }

  @Test
  void deletingABucketWithObjectsIsBucketNotEmpty() {
    s3.createBucket(b -> b.bucket("full"));
    s3.putObject(b -> b.bucket("full").key("k"), RequestBody.fromString("v"));
    assertStatus(() -> s3.deleteBucket(b -> b.bucket("full")), 409, "BucketNotEmpty");
    s3.deleteObject(b -> b.bucket("full").key("k"));
    s3.deleteBucket(b -> b.bucket("full"));
  }

  @Test
  void missingBucketsAreNoSuchBucketEverywhere() {
    assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("absent"))).isInstanceOfSatisfying(NoSuchBucketException.class,
        e -> assertThat(e.statusCode()).isEqualTo(404));
    assertStatus(() -> s3.listObjectsV2(b -> b.bucket("absent")), 404, "NoSuchBucket");
    assertStatus(() -> s3.putObject(b -> b.bucket("absent").key("k"), RequestBody.fromString("v")), 404, "NoSuchBucket");
    assertStatus(() -> s3.getObject(b -> b.bucket("absent").key("k")), 404, "NoSuchBucket");
    assertStatus(() -> s3.deleteObject(b -> b.bucket("absent").key("k")), 404, "NoSuchBucket");
    assertStatus(() -> s3.deleteBucket(b -> b.bucket("absent")), 404, "NoSuchBucket");
    assertStatus(() -> s3.createMultipartUpload(b -> b.bucket("absent").key("k")), 404, "NoSuchBucket");
  }

  @Test
  void versioningIsReportedAsNeverEnabled() {
    s3.createBucket(b -> b.bucket("unversioned"));
    assertThat(s3.getBucketVersioning(b -> b.bucket("unversioned")).status()).isNull();
  }
}
