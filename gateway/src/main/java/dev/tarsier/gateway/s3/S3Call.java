package dev.tarsier.gateway.s3;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One S3 request on its way through: the resource it names, its request id, and the ways to answer.
 * Every answer, errors included, carries {@code x-amz-request-id}, {@code x-amz-id-2}, {@code Date} and
 * {@code Server: AmazonS3}, as clients and their retry logic expect. Event-loop confined.
 */
final class S3Call {
  private static final Logger LOG = Logger.getLogger(S3Call.class.getName());
  /** A rejected body up to this size is read and dropped, keeping the connection; a larger one closes it. */
  private static final long DRAIN_LIMIT = 1024 * 1024;

  final HttpServerRequest request;
  final HttpServerResponse response;
  final String bucket;
  final String key;
  final String requestId;

  S3Call(RoutingContext ctx, S3Address address, java.time.Instant now) {
    this.request = ctx.request();
    this.response = ctx.response();
    this.bucket = address.bucket();
    this.key = address.key();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.requestId = HexFormat.of().withUpperCase().toHexDigits(random.nextLong());
    response.putHeader("x-amz-request-id", requestId)
        .putHeader("x-amz-id-2", requestId)
        .putHeader("Date", HttpDates.format(now))
        .putHeader("Server", "AmazonS3");
  }

  boolean isHead() {
    return request.method() == HttpMethod.HEAD;
  }

  String param(String name) {
    return request.getParam(name);
  }

  boolean hasParam(String name) {
    return request.params().contains(name);
  }

  String header(String name) {
    return request.getHeader(name);
  }

  ObjectStore.Origin origin() {
    return new ObjectStore.Origin(requestId, request.remoteAddress() == null ? "127.0.0.1" : request.remoteAddress().hostAddress(),
        accessKey());
  }

  /** The access key id of a SigV4 {@code Authorization} header or presigned URL (not verified), or null. */
  String accessKey() {
    String authorization = request.getHeader("Authorization");
    String credential = null;
    if (authorization != null && authorization.contains("Credential=")) {
      credential = authorization.substring(authorization.indexOf("Credential=") + "Credential=".length());
    } else if (request.getParam("X-Amz-Credential") != null) {
      credential = request.getParam("X-Amz-Credential");
    }
    if (credential == null) {
      return null;
    }
    int slash = credential.indexOf('/');
    return slash > 0 ? credential.substring(0, slash) : null;
  }

  /** {@code /bucket/key}, as S3 names the resource in its error documents. */
  String resource() {
    return "/" + (bucket == null ? "" : bucket) + (key == null ? "" : "/" + key);
  }

  void xml(int status, String body) {
    response.setStatusCode(status).putHeader("Content-Type", "application/xml").end(body);
  }

  void ok(String body) {
    xml(200, body);
  }

  void status(int status) {
    response.setStatusCode(status).end();
  }

  /** Completion handler that hands the result on, or answers with the failure. */
  <T> Handler<AsyncResult<T>> then(Consumer<T> success) {
    return result -> {
      if (result.failed()) {
        fail(result.cause());
        return;
      }
      try {
        success.accept(result.result());
      } catch (RuntimeException e) {
        fail(e);
      }
    };
  }

  /** Answers with S3's error shape for {@code failure}; HEAD answers carry no body. */
  void fail(Throwable failure) {
    if (response.ended() || response.closed()) {
      return;
    }
    S3Exception error = failure instanceof S3Exception s3 ? s3 : internal(failure);
    error.headers.forEach(response::putHeader);
    response.setStatusCode(error.error.status);
    boolean close = abandonBody();
    if (close) {
      response.putHeader("Connection", "close");
    }
    Future<Void> ended;
    if (isHead()) {
      ended = response.end();
    } else {
      ended = response.putHeader("Content-Type", "application/xml").end(errorDocument(error));
    }
    if (close) {
      ended.onComplete(ignored -> request.connection().close());
    }
  }

  /** S3's error document: Code and Message, the error's own details, then Resource and RequestId. */
  private String errorDocument(S3Exception error) {
    Xml xml = Xml.plainDocument("Error").element("Code", error.error.code).element("Message", error.getMessage());
    if (error.error == S3Error.NO_SUCH_KEY && !error.details.containsKey("Key")) {
      xml.element("Key", key);
    }
    boolean missing = error.error == S3Error.NO_SUCH_KEY || error.error == S3Error.NO_SUCH_BUCKET;
    if (missing && !error.details.containsKey("BucketName")) {
      xml.element("BucketName", bucket);
    }
    error.details.forEach(xml::element);
    return xml.element("Resource", resource()).element("RequestId", requestId).element("HostId", requestId).end("Error");
  }

  /**
   * Stops caring about the rest of the request body after a failure: drops a small remainder so the
   * connection can be reused, and asks for the connection to close when much could still be coming.
   */
  private boolean abandonBody() {
    if (request.isEnded()) {
      return false;
    }
    String length = request.getHeader("Content-Length");
    boolean small = length != null && length.matches("\\d{1,18}") && Long.parseLong(length) <= DRAIN_LIMIT;
    if (!small && (length != null || request.getHeader("Transfer-Encoding") != null)) {
      return true;
    }
    request.handler(ignored -> {});
    request.resume();
    return false;
  }

  private S3Exception internal(Throwable failure) {
    LOG.log(Level.WARNING, request.method() + " " + request.uri() + " failed", failure);
    return S3Error.INTERNAL_ERROR.exception();
  }
}
