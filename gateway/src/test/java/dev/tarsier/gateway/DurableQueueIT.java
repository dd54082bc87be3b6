package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Accept events, kill -9 the platform, start it again: every accepted event is delivered. */
class DurableQueueIT {
  private static final int EVENTS = 20;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void killNineLosesNoAcceptedEvent() throws Exception {
    RealContainers.require();
    Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "durable-");
    Set<String> accepted = new HashSet<>();
    try (PlatformProcess first = PlatformProcess.start(dataDir); LambdaClient lambda = client(first.endpoint())) {
      lambda.createFunction(b -> b.functionName("durable").runtime(Runtime.JAVA17).handler("example.Hello::handleRequest")
          .memorySize(256).role("arn:aws:iam::000000000000:role/lambda").code(c -> c.zipFile(zip())));
      // One at a time, so that at the kill some events are done, one is running and the rest wait.
      lambda.putFunctionConcurrency(b -> b.functionName("durable").reservedConcurrentExecutions(1));
      for (int i = 0; i < EVENTS; i++) {
        int n = i;
        var response = lambda.invoke(b -> b.functionName("durable").invocationType(InvocationType.EVENT)
            .payload(SdkBytes.fromUtf8String("{\"name\":\"event-" + n + "\"}")));
        assertThat(response.statusCode()).isEqualTo(202);
        accepted.add(response.responseMetadata().requestId());
      }
      first.kill();
    }
    try (PlatformProcess second = PlatformProcess.start(dataDir)) {
      awaitDelivered(second.endpoint(), accepted, Duration.ofMinutes(3));
    }
  }

  /** Follows the function's log stream and checks the records after each invocation, until all are there. */
  private void awaitDelivered(URI endpoint, Set<String> accepted, Duration within) throws Exception {
    Instant deadline = Instant.now().plus(within);
    HttpResponse<InputStream> stream = http.send(
        HttpRequest.newBuilder(URI.create(endpoint + "/_/api/functions/durable/logs?follow=true")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      Set<String> delivered = delivered(endpoint);
      String line;
      while (!delivered.containsAll(accepted) && Instant.now().isBefore(deadline) && (line = events.readLine()) != null) {
        if (line.startsWith("data: REPORT")) {
          delivered = delivered(endpoint);
        }
      }
      assertThat(delivered).as("events delivered across the kill").containsAll(accepted);
    }
  }

  private Set<String> delivered(URI endpoint) throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(endpoint + "/_/api/invocations?function=durable&status=ok&limit=1000")).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonArray records = new JsonObject(response.body()).getJsonArray("invocations");
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < records.size(); i++) {
      ids.add(records.getJsonObject(i).getString("id"));
    }
    return ids;
  }

  private static LambdaClient client(URI endpoint) {
    return LambdaClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static SdkBytes zip() {
    try {
      return RunningPlatform.example("hello-java");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
