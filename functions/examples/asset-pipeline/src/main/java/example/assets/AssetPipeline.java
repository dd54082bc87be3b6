package example.assets;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The asset-checksumming pipeline, usable outside any handler: fetch a tarball, unpack it safely, name
 * every file by its MD5, copy each to the destination bucket under the tarball's name, and write an
 * {@code index.json} mapping old names to new URLs. Content-addressed names make a second run over the
 * same tarball write the same objects and the same index.
 */
public final class AssetPipeline {
  /**
   * Uploads in flight. On 2 cores, 16 settled a little faster than 8 (median of the bench's last five
   * runs: 2.38x, 2.39x and 2.53x the floor, against 2.55x and 2.69x), within its noise; 32 gained
   * nothing more.
   */
  private static final int PARALLEL_UPLOADS = 16;
  private String timings = "";
  private final Bucket bucket;
  private final String destinationBucket;
  private final String publicBaseUrl;
  private final Path workDir;

  /**
   * @param publicBaseUrl where the destination bucket's objects are served, ending in {@code /}; a URL is
   *                      {@code publicBaseUrl + bucket + "/" + key}
   * @param workDir       where tarballs are fetched and unpacked (the function's {@code /tmp})
   */
  public AssetPipeline(Bucket bucket, String destinationBucket, String publicBaseUrl, Path workDir) {
    this.bucket = bucket;
    this.destinationBucket = destinationBucket;
    this.publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl : publicBaseUrl + "/";
    this.workDir = workDir;
  }

  /** One renamed file: its path in the tarball (with a leading {@code /}) and where it now lives. */
  public record Asset(String originalFile, String url) {}

  /** What a run produced: every asset, and the URL of the index. */
  public record Result(List<Asset> files, String url) {}

  /** Where the last run's time went, for the log. */
  public String timings() {
    return timings;
  }

  /** True for the keys this pipeline handles: {@code .tgz} and {@code .tar.gz}. */
  public static boolean isTarball(String key) {
    return key.endsWith(".tgz") || key.endsWith(".tar.gz");
  }

  /** The destination prefix: the tarball's key without its {@code .tgz} or {@code .tar.gz}. */
  public static String prefixOf(String key) {
    return key.endsWith(".tgz") ? key.substring(0, key.length() - 4) : key.substring(0, key.length() - 7);
  }

  public Result process(String sourceBucket, String key) throws IOException {
    if (!isTarball(key)) {
      throw new IllegalArgumentException(key + " is not a .tgz or .tar.gz");
    }
    Path run = Files.createTempDirectory(workDir, "assets-");
    try {
      long started = System.nanoTime();
      Path tarball = run.resolve("tarball.tgz");
      Path extracted = run.resolve("files");
      List<TarballUnpacker.Unpacked> files;
      long downloaded;
      try (Bucket.Fetch fetch = bucket.fetch(sourceBucket, key)) {
        // Leave room for the tarball itself: what /tmp has left beside it is the most the files may take.
        long room = Files.getFileStore(run).getUsableSpace() - fetch.size();
        // The tarball streams into /tmp while its bytes are unpacked on their way there.
        try (TarballFetch download = TarballFetch.start(fetch, tarball)) {
          InputStream stream = download.stream();
          files = new TarballUnpacker(room).unpack(stream, extracted);
          download.finish(stream);
          downloaded = download.finishedNanos();
        }
      }
      Files.delete(tarball);
      long unpacked = System.nanoTime();
      String prefix = prefixOf(key);
      List<Asset> assets = copyAll(files, extracted, prefix);
      long copied = System.nanoTime();
      String indexKey = prefix + "/index.json";
      bucket.upload(destinationBucket, indexKey, IndexJson.of(assets).getBytes(StandardCharsets.UTF_8), "application/json");
      timings = String.format(java.util.Locale.ROOT, "download %d ms, download and unpack %d ms, upload %d ms",
          (downloaded - started) / 1_000_000, (unpacked - started) / 1_000_000, (copied - unpacked) / 1_000_000);
      return new Result(assets, url(indexKey));
    } finally {
      delete(run);
    }
  }

  /**
   * Uploads every file under its content-addressed name, several at a time: each upload is a round trip
   * and a durable write on the other side, so doing them one by one leaves both ends idle most of the
   * time. The result keeps the tarball's order.
   */
  private List<Asset> copyAll(List<TarballUnpacker.Unpacked> files, Path extracted, String prefix) throws IOException {
    ExecutorService uploads = Executors.newFixedThreadPool(PARALLEL_UPLOADS);
    try {
      List<Future<Asset>> pending = new ArrayList<>();
      for (TarballUnpacker.Unpacked file : files) {
        pending.add(uploads.submit(() -> copy(extracted, file, prefix)));
      }
      List<Asset> assets = new ArrayList<>();
      for (Future<Asset> asset : pending) {
        assets.add(asset.get());
      }
      return assets;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while uploading", e);
    } finally {
      uploads.shutdownNow();
    }
  }

  private Asset copy(Path extracted, TarballUnpacker.Unpacked file, String prefix) throws IOException {
    String original = file.path().toString().replace('\\', '/');
    String destinationKey = prefix + "/" + ContentNames.renamed(original, file.md5Hex());
    bucket.upload(destinationBucket, destinationKey, extracted.resolve(file.path()), file.md5(), ContentNames.contentType(original));
    return new Asset("/" + original, url(destinationKey));
  }

  private String url(String key) {
    StringBuilder url = new StringBuilder(publicBaseUrl).append(destinationBucket);
    for (String segment : key.split("/", -1)) {
      url.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return url.toString();
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
