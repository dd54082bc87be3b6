package example.assets;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The Lambda entry point: for every {@code ObjectCreated:Put} or {@code :CompleteMultipartUpload}
 * record of a {@code .tgz}/{@code .tar.gz} key, runs the {@link AssetPipeline}; other records are
 * skipped with a log line. Configured by {@code DESTINATION_BUCKET} and {@code PUBLIC_BASE_URL}
 * (default: the S3 endpoint the SDK uses). The same zip runs on AWS Lambda.
 */
public class AssetHandler implements RequestHandler<S3Event, Map<String, Object>> {
  private final S3Client s3;

  public AssetHandler() {
    // Path-style addressing: a local endpoint such as http://127.0.0.1:9070 has no per-bucket host names.
    String endpoint = System.getenv("AWS_ENDPOINT_URL_S3");
    // Every file's upload carries the Content-MD5 taken while unpacking, which the store checks, so the
    // SDK's own CRC32 checksum per request (an aws-chunked trailer to compute and to decode) adds nothing.
    // The files are on local disk, so a plain body beats aws-chunked framing: over https the SDK sends it
    // unsigned, over a local http endpoint it hashes the file first (about 8% less time and CPU for 1,000
    // uploads of 100 KB here).
    this.s3 = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .forcePathStyle(endpoint != null)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
        .build();
  }

  @Override
  public Map<String, Object> handleRequest(S3Event event, Context context) {
    LambdaLogger log = context.getLogger();
    String destination = System.getenv("DESTINATION_BUCKET");
    if (destination == null || destination.isBlank()) {
      throw new IllegalStateException("set DESTINATION_BUCKET to the bucket that receives the renamed files");
    }
    String endpoint = System.getenv().getOrDefault("AWS_ENDPOINT_URL_S3", "https://s3.amazonaws.com");
    String publicBase = System.getenv().getOrDefault("PUBLIC_BASE_URL", URI.create(endpoint).resolve("/").toString());
    AssetPipeline pipeline = new AssetPipeline(new S3Bucket(s3), destination, publicBase, Path.of(System.getProperty("java.io.tmpdir")));
    List<Map<String, Object>> results = new ArrayList<>();
    for (S3EventNotificationRecord record : event.getRecords()) {
      String bucket = record.getS3().getBucket().getName();
      String key = record.getS3().getObject().getUrlDecodedKey();
      String name = record.getEventName();
      if (!name.equals("ObjectCreated:Put") && !name.equals("ObjectCreated:CompleteMultipartUpload")) {
        log.log("skipping " + name + " of s3://" + bucket + "/" + key + ": only new uploads are processed");
        continue;
      }
      if (!AssetPipeline.isTarball(key)) {
        log.log("skipping s3://" + bucket + "/" + key + ": not a .tgz or .tar.gz");
        continue;
      }
      try {
        AssetPipeline.Result result = pipeline.process(bucket, key);
        log.log("processed s3://" + bucket + "/" + key + ": " + result.files().size() + " files, index at " + result.url()
            + " (" + pipeline.timings() + ")");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("files", result.files().size());
        summary.put("url", result.url());
        results.add(summary);
      } catch (IOException e) {
        throw new UncheckedIOException("s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
      }
    }
    if (results.size() == 1) {
      return results.get(0);
    }
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("files", results.stream().mapToInt(r -> (Integer) r.get("files")).sum());
    all.put("results", results);
    return all;
  }
}
