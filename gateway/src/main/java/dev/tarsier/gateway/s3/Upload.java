package dev.tarsier.gateway.s3;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Receives one upload body (PutObject, UploadPart): strips aws-chunked framing while streaming, stages
 * the decoded bytes in an {@link UploadSink}, which digests them, and checks length, Content-MD5,
 * checksums and the payload hash once they are staged. The request is paused whenever the sink is full,
 * so a 5 GB body passes through in bounded memory. A failure discards whatever was staged.
 *
 * <p>Must be started from the request's handler before it returns, on its event loop, so no body
 * bytes are missed.
 */
final class Upload {
  private Upload() {}

  /** What arrived: the staged bytes, their size, the hex MD5 (the ETag) and a verified checksum or null. */
  record Received(StagedBody body, long size, String md5Hex, StoredChecksum checksum) {}

  static Future<Received> receive(ObjectStore store, HttpServerRequest request, long maxSize) {
    BodyClaims claims;
    try {
      claims = BodyClaims.from(request.headers());
    } catch (S3Exception e) {
      return Future.failedFuture(e);
    }
    if (claims.decodedLength() > maxSize) {
      return Future.failedFuture(tooLarge(claims.decodedLength(), maxSize));
    }
    BodyDigests digests = new BodyDigests(claims.checksum(), claims.sha256() != null);
    UploadSink sink = new UploadSink(store.vertx(), store.blobs(), digests, claims.decodedLength());
    Promise<Received> received = Promise.promise();
    Consumer<Buffer> payload = data -> {
      long size = sink.size() + data.length();
      if (size > maxSize) {
        throw tooLarge(size, maxSize);
      }
      sink.write(data);
    };
    AwsChunkedDecoder decoder = claims.awsChunked() ? new AwsChunkedDecoder(payload) : null;
    Consumer<Throwable> fail = failure -> {
      if (received.tryFail(failure)) {
        sink.discard();
      }
    };
    request.handler(data -> {
      if (received.future().isComplete()) {
        return;
      }
      try {
        if (decoder != null) {
          decoder.accept(data);
        } else {
          payload.accept(data);
        }
        if (sink.full()) {
          request.pause();
          sink.onDrain(request::resume);
        }
      } catch (RuntimeException e) {
        fail.accept(e);
      }
    });
    request.exceptionHandler(fail::accept);
    request.endHandler(ignored -> {
      if (received.future().isComplete()) {
        return;
      }
      try {
        Map<String, String> trailers = decoder != null ? decoder.finish() : Map.of();
        sink.finish().onComplete(staged -> {
          if (staged.failed()) {
            fail.accept(staged.cause());
            return;
          }
          try {
            BodyDigests.Result result = digests.finish();
            StoredChecksum checksum = claims.verify(result, trailers);
            if (!received.tryComplete(new Received(staged.result(), result.size(), HexFormat.of().formatHex(result.md5()), checksum))) {
              sink.discard();
            }
          } catch (RuntimeException e) {
            fail.accept(e);
          }
        });
      } catch (RuntimeException e) {
        fail.accept(e);
      }
    });
    return received.future();
  }

  private static S3Exception tooLarge(long size, long maxSize) {
    return S3Error.ENTITY_TOO_LARGE.exception().with("ProposedSize", size).with("MaxSizeAllowed", maxSize);
  }
}
