package dev.tarsier.gateway.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The few Lambda API calls the CLI makes, over plain HTTP (the platform accepts unsigned requests).
 * Lambda errors become {@link CliFailure}s carrying the error type and message.
 */
final class LambdaHttp {
  private final URI endpoint;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  LambdaHttp(URI endpoint) {
    this.endpoint = endpoint;
  }

  URI endpoint() {
    return endpoint;
  }

  /** A response whose status and headers the caller reads. */
  record Reply(int status, String body, HttpResponse<String> raw) {
    JsonObject json() {
      return body.isBlank() ? new JsonObject() : new JsonObject(body);
    }
  }

  Reply send(String method, String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(endpoint.resolve(path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofMinutes(16)));
  }

  Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body(), response);
  }

  /** Fails with Lambda's error type and message when {@code reply} is not a success. */
  static Reply expect(Reply reply, int... statuses) {
    for (int status : statuses) {
      if (reply.status() == status) {
        return reply;
      }
    }
    String type = reply.raw().headers().firstValue("x-amzn-ErrorType").orElse("HTTP " + reply.status());
    String message;
    try {
      message = reply.json().getString("Message", reply.body());
    } catch (RuntimeException e) {
      message = reply.body();
    }
    throw new CliFailure(type + ": " + message);
  }

  /**
   * Sends a JSON body, printing how much of it has gone (on one line of stderr) when it is large enough
   * for the wait to be noticed.
   */
  Reply sendWithProgress(String method, String path, String body) throws IOException, InterruptedException {
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (bytes.length < 1024 * 1024) {
      return send(method, path, body);
    }
    Progress progress = new Progress(bytes.length);
    HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.FilterInputStream(new java.io.ByteArrayInputStream(bytes)) {
          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            progress.sent(read);
            return read;
          }
        }), bytes.length);
    try {
      return send(HttpRequest.newBuilder(endpoint.resolve(path)).method(method, publisher)
          .header("Content-Type", "application/json").timeout(Duration.ofMinutes(16)));
    } finally {
      if (Cli.TERMINAL) {
        System.err.println();
      }
    }
  }

  /** Upload progress as {@code sent/total MB (p%)}, redrawn in place on a terminal. */
  private static final class Progress {
    private final long total;
    private long sent;
    private int shown = -1;

    Progress(long total) {
      this.total = total;
    }

    synchronized void sent(int bytes) {
      if (bytes <= 0) {
        return;
      }
      sent += bytes;
      int percent = (int) (sent * 100 / total);
      // In place on a terminal; in a pipe or a log, a line a quarter.
      int step = Cli.TERMINAL ? percent : percent / 25 * 25;
      if (step != shown) {
        shown = step;
        System.err.printf(Cli.TERMINAL ? "\r  uploading %.1f/%.1f MB (%d%%)" : "  uploading %.1f/%.1f MB (%d%%)%n",
            sent / 1048576.0, total / 1048576.0, percent);
      }
    }
  }

  InputStream stream(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(endpoint.resolve(path)).build(), HttpResponse.BodyHandlers.ofInputStream()).body();
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
