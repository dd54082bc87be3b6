package dev.tarsier.gateway.s3;

import io.vertx.core.MultiMap;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.util.Map;

/**
 * GetObject and HeadObject: conditions, a single byte range or a part number, the stored headers, and
 * for GET the bytes sent straight from the file (sendfile). The metadata read and the file open happen
 * in one worker trip; an open file keeps its bytes even if an overwrite deletes the blob right after.
 */
final class GetObjectHandler {
  /** How often to retry when an overwrite removed the blob between reading its row and opening it. */
  private static final int OPEN_ATTEMPTS = 3;
  private static final Map<String, String> OVERRIDES = Map.of(
      "response-content-type", "Content-Type",
      "response-content-language", "Content-Language",
      "response-expires", "Expires",
      "response-cache-control", "Cache-Control",
      "response-content-disposition", "Content-Disposition",
      "response-content-encoding", "Content-Encoding");
  private final ObjectStore store;

  GetObjectHandler(ObjectStore store) {
    this.store = store;
  }

  private record Opened(ObjectRecord object, FileChannel channel) {}

  void handle(S3Call call) {
    boolean head = call.isHead();
    store.blocking(() -> open(call, head)).onComplete(call.then(opened -> {
      try {
        respond(call, opened, head);
      } catch (RuntimeException e) {
        close(opened.channel());
        throw e;
      }
    }));
  }

  private Opened open(S3Call call, boolean head) throws Exception {
    for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
      ObjectRecord object = store.inRead(c -> {
        ObjectRecord found = ObjectRows.object(c, call.bucket, call.key);
        if (found == null) {
          Catalog.requireBucket(c, call.bucket);
        }
        return found;
      });
      if (object == null) {
        throw S3Error.NO_SUCH_KEY.exception();
      }
      if (head || object.size() == 0) {
        return new Opened(object, null);
      }
      try {
        return new Opened(object, store.blobs().open(object.blob()));
      } catch (NoSuchFileException replaced) {
        // Overwritten or deleted between the read and the open: read the row again.
      }
    }
    throw S3Error.NO_SUCH_KEY.exception();
  }

  private void respond(S3Call call, Opened opened, boolean head) {
    ObjectRecord object = opened.object();
    MultiMap headers = call.response.headers();
    headers.set("ETag", object.quotedETag()).set("Last-Modified", HttpDates.format(object.lastModified()));
    if (Conditions.forRead(call.request.headers(), object.eTag(), object.lastModified()) == Conditions.Outcome.NOT_MODIFIED) {
      close(opened.channel());
      call.status(304);
      return;
    }
    ByteRange range = range(call, object);
    object.headers().writeTo(headers);
    OVERRIDES.forEach((param, header) -> {
      String value = call.param(param);
      if (value != null) {
        headers.set(header, value);
      }
    });
    headers.set("Accept-Ranges", "bytes");
    if (object.partSizes() != null && call.param("partNumber") != null) {
      headers.set("x-amz-mp-parts-count", String.valueOf(object.partSizes().length));
    }
    boolean enabled = "ENABLED".equalsIgnoreCase(call.header("x-amz-checksum-mode"));
    // A full-object checksum on a partial answer would fail the client's validation, so only whole bodies get one.
    if (enabled && range == null && object.checksum() != null) {
      headers.set(object.checksum().algorithm().header, object.checksum().value());
      headers.set("x-amz-checksum-type", "FULL_OBJECT");
    }
    long offset = range == null ? 0 : range.start();
    long length = range == null ? object.size() : range.length();
    if (range != null) {
      headers.set("Content-Range", range.contentRange(object.size()));
    }
    headers.set("Content-Length", String.valueOf(length));
    call.response.setStatusCode(range == null ? 200 : 206);
    if (head || length == 0) {
      close(opened.channel());
      call.response.end();
      return;
    }
    BlobSender.send(store, call.response, call.request.version(), opened.channel(), offset, length);
  }

  /** The Range header's range, or the requested part's; null for the whole object. */
  private static ByteRange range(S3Call call, ObjectRecord object) {
    String partNumber = call.param("partNumber");
    if (partNumber == null) {
      return ByteRange.parse(call.header("Range"), object.size());
    }
    if (call.header("Range") != null) {
      throw S3Error.INVALID_REQUEST.exception("Cannot specify both Range header and partNumber query parameter");
    }
    int part = PartNumbers.parse(partNumber);
    long[] sizes = object.partSizes() == null ? new long[] {object.size()} : object.partSizes();
    if (part > sizes.length) {
      throw S3Error.INVALID_PART_NUMBER.exception().with("PartNumberRequested", part).with("ActualPartCount", sizes.length);
    }
    long start = 0;
    for (int i = 0; i < part - 1; i++) {
      start += sizes[i];
    }
    return object.partSizes() == null || sizes[part - 1] == 0 ? null : new ByteRange(start, start + sizes[part - 1] - 1);
  }

  private static void close(FileChannel channel) {
    BlobSender.close(channel);
  }
}
