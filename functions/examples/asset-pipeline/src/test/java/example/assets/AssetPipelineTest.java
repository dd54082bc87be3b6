package example.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline outside any handler, with object storage replaced by a map at its boundary. */
class AssetPipelineTest {
  @TempDir
  Path dir;

  /** Object storage as a map of "bucket/key" to bytes and content type. */
  static final class MapBucket implements Bucket {
    final Map<String, byte[]> objects = new TreeMap<>();
    final Map<String, String> types = new TreeMap<>();

    @Override
    public synchronized void download(String bucket, String key, Path file) throws IOException {
      Files.write(file, objects.get(bucket + "/" + key));
    }

    /** Like S3, refuses a body whose MD5 is not the one the uploader announced. */
    @Override
    public synchronized void upload(String bucket, String key, Path file, byte[] md5, String contentType) throws IOException {
      byte[] bytes = Files.readAllBytes(file);
      try {
        if (!MessageDigest.isEqual(md5, MessageDigest.getInstance("MD5").digest(bytes))) {
          throw new IOException("BadDigest: the body of " + key + " does not match its Content-MD5");
        }
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      upload(bucket, key, bytes, contentType);
    }

    @Override
    public synchronized void upload(String bucket, String key, byte[] bytes, String contentType) {
      objects.put(bucket + "/" + key, bytes);
      types.put(bucket + "/" + key, contentType);
    }
  }

  @Test
  void renamesEveryFileCopiesItAndWritesTheIndex() throws Exception {
    MapBucket bucket = new MapBucket();
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("tapir.jpg", Tarballs.text("hello"));
    entries.put("css/site main.css", Tarballs.text("body{}"));
    bucket.objects.put("uploads/site.tgz", Files.readAllBytes(Tarballs.of(dir.resolve("t.tgz"), entries)));

    AssetPipeline.Result result = new AssetPipeline(bucket, "assets", "http://127.0.0.1:9070/", workDir()).process("uploads", "site.tgz");

    assertThat(bucket.objects).containsKey("assets/site/tapir-5d41402abc4b2a76b9719d911017c592.jpg");
    assertThat(bucket.types.get("assets/site/tapir-5d41402abc4b2a76b9719d911017c592.jpg")).isEqualTo("image/jpeg");
    assertThat(result.url()).isEqualTo("http://127.0.0.1:9070/assets/site/index.json");
    assertThat(result.files()).extracting(AssetPipeline.Asset::originalFile).containsExactly("/tapir.jpg", "/css/site main.css");
    assertThat(result.files().get(1).url()).startsWith("http://127.0.0.1:9070/assets/site/css/site%20main-");
    String index = new String(bucket.objects.get("assets/site/index.json"), StandardCharsets.UTF_8);
    assertThat(index).contains("{\"originalFile\": \"/tapir.jpg\", \"url\": \"http://127.0.0.1:9070/assets/site/tapir-5d41402abc4b2a76b9719d911017c592.jpg\"}");
    assertThat(bucket.types.get("assets/site/index.json")).isEqualTo("application/json");
  }

  @Test
  void runningTwiceWritesTheSameObjects() throws Exception {
    MapBucket bucket = new MapBucket();
    bucket.objects.put("in/a.tar.gz", Files.readAllBytes(Tarballs.of(dir.resolve("a.tgz"), Map.of("x/y.txt", Tarballs.text("y")))));
    AssetPipeline pipeline = new AssetPipeline(bucket, "out", "http://h/", workDir());
    pipeline.process("in", "a.tar.gz");
    Map<String, byte[]> first = new TreeMap<>(bucket.objects);
    pipeline.process("in", "a.tar.gz");
    assertThat(bucket.objects.keySet()).isEqualTo(first.keySet());
    assertThat(bucket.objects.get("out/a/index.json")).isEqualTo(first.get("out/a/index.json"));
  }

  @Test
  void leavesNothingInTheWorkDirectory() throws Exception {
    MapBucket bucket = new MapBucket();
    bucket.objects.put("in/a.tgz", Files.readAllBytes(Tarballs.of(dir.resolve("a.tgz"), Map.of("f", Tarballs.text("f")))));
    Path work = workDir();
    new AssetPipeline(bucket, "out", "http://h/", work).process("in", "a.tgz");
    try (var left = Files.list(work)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  private Path workDir() throws IOException {
    return Files.createDirectories(dir.resolve("work"));
  }
}
