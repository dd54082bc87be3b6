package dev.tarsier.gateway;

import dev.tarsier.invoker.BucketDestination;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Delivers asynchronous invocation records to bucket destinations by a PUT to this platform's own S3
 * API on loopback, so the object goes through everything a client's write does (checks, metadata,
 * notifications). Blocking: the invoker calls it from a worker.
 */
final class LoopbackBuckets implements BucketDestination {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private volatile URI endpoint;

  void endpoint(URI endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public void write(String bucket, String key, byte[] body) throws IOException, InterruptedException {
    if (endpoint == null) {
      throw new IllegalStateException("the platform is not listening yet");
    }
    StringBuilder path = new StringBuilder("/").append(bucket);
    for (String segment : key.split("/", -1)) {
      path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint.resolve(path.toString()))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("PUT s3://" + bucket + "/" + key + " answered " + response.statusCode() + ": " + response.body());
    }
  }
}
