package dev.tarsier.gateway;

import static dev.tarsier.gateway.S3ObjectsIT.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/** ListObjectsV2 and ListObjects through the real S3Client: prefix, delimiter, paging, encoding. */
class S3ListingIT {
  private static final List<String> KEYS = List.of(
      "a.txt", "docs/guide.md", "docs/img/logo.png", "docs/img/photo.jpg", "docs/readme.md",
      "logs/2024/01.log", "logs/2024/02.log", "logs/2025/01.log", "photos/red flower.jpg", "photos/a+b.jpg",
      "photos/ünïcødé.jpg", "z.txt");
  private static RunningPlatform platform;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    platform = RunningPlatform.start(Duration.ofMinutes(1));
    s3 = platform.s3();
    s3.createBucket(b -> b.bucket("listing"));
    for (String key : KEYS) {
      s3.putObject(b -> b.bucket("listing").key(key), RequestBody.fromString(key));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void listsEveryKeyInUtf8ByteOrder() {
    ListObjectsV2Response all = s3.listObjectsV2(b -> b.bucket("listing"));
    List<String> sorted = new ArrayList<>(KEYS);
    sorted.sort((x, y) -> java.util.Arrays.compareUnsigned(x.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        y.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(all.contents()).extracting(S3Object::key).containsExactlyElementsOf(sorted);
    assertThat(all.keyCount()).isEqualTo(KEYS.size());
    assertThat(all.isTruncated()).isFalse();
    S3Object first = all.contents().get(0);
    assertThat(first.size()).isEqualTo(5);
    assertThat(first.eTag()).startsWith("\"").endsWith("\"");
    assertThat(first.lastModified()).isNotNull();
  }

  @Test
  void delimiterRollsKeysUpIntoCommonPrefixes() {
    ListObjectsV2Response top = s3.listObjectsV2(b -> b.bucket("listing").delimiter("/"));
    assertThat(top.contents()).extracting(S3Object::key).containsExactly("a.txt", "z.txt");
    assertThat(top.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("docs/", "logs/", "photos/");
    assertThat(top.keyCount()).isEqualTo(5);

    ListObjectsV2Response docs = s3.listObjectsV2(b -> b.bucket("listing").prefix("docs/").delimiter("/"));
    assertThat(docs.contents()).extracting(S3Object::key).containsExactly("docs/guide.md", "docs/readme.md");
    assertThat(docs.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("docs/img/");
    assertThat(docs.prefix()).isEqualTo("docs/");
  }

  @Test
  void pagesWithMaxKeysAndContinuationTokensAcrossCommonPrefixes() {
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String current = token;
      ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket("listing").delimiter("/").maxKeys(2).continuationToken(current));
      page.contents().forEach(o -> seen.add(o.key()));
      page.commonPrefixes().forEach(p -> seen.add(p.prefix()));
      assertThat(page.keyCount()).isLessThanOrEqualTo(2);
      token = page.nextContinuationToken();
      assertThat(page.isTruncated()).isEqualTo(token != null);
      pages++;
    } while (token != null);
    assertThat(seen).containsExactly("a.txt", "docs/", "logs/", "photos/", "z.txt");
    assertThat(pages).isEqualTo(3);

    List<String> paginated = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket("listing").maxKeys(5)).contents().forEach(o -> paginated.add(o.key()));
    assertThat(paginated).hasSize(KEYS.size()).doesNotHaveDuplicates();
  }

  @Test
  void startAfterSkipsKeysUpToAndIncludingIt() {
    ListObjectsV2Response after = s3.listObjectsV2(b -> b.bucket("listing").prefix("logs/").startAfter("logs/2024/01.log"));
    assertThat(after.contents()).extracting(S3Object::key).containsExactly("logs/2024/02.log", "logs/2025/01.log");
    assertThat(after.startAfter()).isEqualTo("logs/2024/01.log");
  }

  @Test
  void listObjectsV1PagesWithMarkers() {
    List<String> seen = new ArrayList<>();
    String marker = null;
    ListObjectsResponse page;
    do {
      String current = marker;
      page = s3.listObjects(b -> b.bucket("listing").maxKeys(4).marker(current));
      page.contents().forEach(o -> seen.add(o.key()));
      marker = page.nextMarker();
    } while (page.isTruncated());
    assertThat(seen).hasSize(KEYS.size()).doesNotHaveDuplicates();

    ListObjectsResponse logs = s3.listObjects(b -> b.bucket("listing").prefix("logs/").delimiter("/"));
    assertThat(logs.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("logs/2024/", "logs/2025/");
  }

  @Test
  void urlEncodingTypeCarriesAwkwardKeysIntact() {
    ListObjectsV2Response photos = s3.listObjectsV2(b -> b.bucket("listing").prefix("photos/").encodingType(EncodingType.URL));
    assertThat(photos.contents()).extracting(S3Object::key)
        .containsExactly("photos/a+b.jpg", "photos/red flower.jpg", "photos/ünïcødé.jpg");
  }

  @Test
  void urlEncodingTypeEncodesOnTheWire() throws Exception {
    try (RawHttp http = new RawHttp(platform.platform.port())) {
      RawHttp.Response response = http.exchange("GET /listing?list-type=2&prefix=photos%2F&encoding-type=url HTTP/1.1\nHost: 127.0.0.1", null, false);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).contains("<EncodingType>url</EncodingType>")
          .contains("<Key>photos/a%2Bb.jpg</Key>")
          .contains("<Key>photos/red+flower.jpg</Key>")
          .contains("<Key>photos/%C3%BCn%C3%AFc%C3%B8d%C3%A9.jpg</Key>");
    }
  }

  @Test
  void maxKeysZeroAndPrefixWithoutMatchesAreEmpty() {
    assertThat(s3.listObjectsV2(b -> b.bucket("listing").maxKeys(0)).contents()).isEmpty();
    assertThat(s3.listObjectsV2(b -> b.bucket("listing").prefix("nothing/")).contents()).isEmpty();
  }

  @Test
  void negativeMaxKeysIsInvalidArgument() {
    assertStatus(() -> s3.listObjectsV2(b -> b.bucket("listing").maxKeys(-1)), 400, "InvalidArgument");
  }
}
