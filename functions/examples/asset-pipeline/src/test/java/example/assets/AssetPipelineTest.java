package example.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline outside any handler, with object storage replaced by a map at its boundary. */
class AssetPipelineTest {
  @TempDir
  Path dir;

  /** Object storage as a map of "bucket/key" to bytes and content type. */
  static class MapBucket implements Bucket {
    final Map<String, byte[]> objects = new TreeMap<>();
    final Map<String, String> types = new TreeMap<>();

    @Override
    public synchronized Fetch fetch(String bucket, String key) throws IOException {
      byte[] bytes = objects.get(bucket + "/" + key);
      if (bytes == null) {
        throw new IOException("NoSuchKey: " + bucket + "/" + key);
      }
      return new Fetch(new ByteArrayInputStream(bytes), bytes.length);
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

  @Test
  void unpacksATarballLargerThanTheDownloadsBuffersAsItArrives() throws Exception {
    MapBucket bucket = new MapBucket();
    Map<String, byte[]> entries = new LinkedHashMap<>();
    Random random = new Random(7);
    for (int i = 0; i < 12; i++) {
      byte[] bytes = new byte[400_000];
      random.nextBytes(bytes);
      entries.put("d/f" + i + ".bin", bytes);
    }
    byte[] tarball = Files.readAllBytes(Tarballs.of(dir.resolve("big.tgz"), entries));
    assertThat(tarball.length).as("more than the 2 MB of buffers between download and unpacking").isGreaterThan(4_000_000);
    bucket.objects.put("in/big.tgz", tarball);
    Path work = workDir();

    AssetPipeline.Result result = new AssetPipeline(bucket, "out", "http://h/", work).process("in", "big.tgz");

    assertThat(result.files()).hasSize(12);
    for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
      String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(entry.getValue()));
      String name = "out/big/" + entry.getKey().replace(".bin", "-" + md5 + ".bin");
      assertThat(bucket.objects.get(name)).as(name).isEqualTo(entry.getValue());
    }
    assertThat(downloadThreads()).isEmpty();
    try (var left = Files.list(work)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void aRefusedTarballStopsItsDownloadAndWritesNothing() throws Exception {
    MapBucket bucket = new MapBucket();
    Map<String, byte[]> entries = new LinkedHashMap<>();
    byte[] big = new byte[3_000_000];
    new Random(3).nextBytes(big);
    entries.put("first.bin", big);
    entries.put("../evil", Tarballs.text("x"));
    entries.put("after.bin", big);
    bucket.objects.put("in/evil.tgz", Files.readAllBytes(Tarballs.of(dir.resolve("evil.tgz"), entries)));
    Path work = workDir();

    assertThatThrownBy(() -> new AssetPipeline(bucket, "out", "http://h/", work).process("in", "evil.tgz"))
        .isInstanceOf(TarballUnpacker.RefusedTarball.class).hasMessageContaining("../evil");

    assertThat(bucket.objects.keySet()).containsExactly("in/evil.tgz");
    assertThat(downloadThreads()).isEmpty();
    try (var left = Files.list(work)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void aDownloadThatBreaksOffFailsTheRunAndWritesNothing() throws Exception {
    byte[] tarball = Files.readAllBytes(Tarballs.of(dir.resolve("t.tgz"), Map.of("a.bin", new byte[200_000])));
    Bucket broken = new MapBucket() {
      @Override
      public Fetch fetch(String bucket, String key) {
        // The first half arrives, then the connection drops.
        InputStream half = new SequenceInputStream(new ByteArrayInputStream(tarball, 0, tarball.length / 2), new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }
        });
        return new Fetch(half, tarball.length);
      }
    };
    Path work = workDir();

    assertThatThrownBy(() -> new AssetPipeline(broken, "out", "http://h/", work).process("in", "t.tgz"))
        .isInstanceOf(IOException.class).hasMessageContaining("connection reset");

    assertThat(((MapBucket) broken).objects).isEmpty();
    assertThat(downloadThreads()).isEmpty();
    try (var left = Files.list(work)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  private static List<Thread> downloadThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("tarball-download")).toList();
  }

  private Path workDir() throws IOException {
    return Files.createDirectories(dir.resolve("work"));
  }
}
