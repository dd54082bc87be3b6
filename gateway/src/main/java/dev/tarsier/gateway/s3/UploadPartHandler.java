package dev.tarsier.gateway.s3;

import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * UploadPart and UploadPartCopy. A part is received like a PutObject body (aws-chunked, checksums,
 * bounded memory), made durable as its own blob, and recorded against its upload; re-sending a part
 * number replaces the earlier part. The upload is checked when the part commits, so a part for an
 * upload that was aborted meanwhile leaves nothing behind.
 */
final class UploadPartHandler {
  /** S3's limit for one part. */
  static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
  private final ObjectStore store;

  UploadPartHandler(ObjectStore store) {
    this.store = store;
  }

  void uploadPart(S3Call call) {
    int partNumber = PartNumbers.parse(call.param("partNumber"));
    String uploadId = call.param("uploadId");
    Upload.receive(store, call.request, MAX_PART_SIZE)
        .compose(received -> store.blocking(() -> {
          String blob = store.blobs().persist(received.body());
          UploadRows.PartRecord part = new UploadRows.PartRecord(partNumber, blob, received.size(), received.md5Hex(),
              received.checksum() == null ? null : received.checksum().value(), store.now());
          commit(call, uploadId, part);
          return received;
        }))
        .onComplete(call.then(received -> {
          call.response.putHeader("ETag", '"' + received.md5Hex() + '"');
          if (received.checksum() != null) {
            call.response.putHeader(received.checksum().algorithm().header, received.checksum().value());
          }
          call.status(200);
        }));
  }

  /** {@code x-amz-copy-source} (and optionally {@code x-amz-copy-source-range}) on an UploadPart. */
  void uploadPartCopy(S3Call call) {
    int partNumber = PartNumbers.parse(call.param("partNumber"));
    String uploadId = call.param("uploadId");
    CopySource source = CopySource.parse(call.header("x-amz-copy-source"));
    String rangeHeader = call.header("x-amz-copy-source-range");
    store.blocking(() -> {
      ObjectRecord from = source.find(store);
      Conditions.forCopySource(call.request.headers(), from.eTag(), from.lastModified());
      ByteRange range = rangeHeader == null ? null : copyRange(rangeHeader, from.size());
      long offset = range == null ? 0 : range.start();
      long length = range == null ? from.size() : range.length();
      if (length > MAX_PART_SIZE) {
        throw S3Error.ENTITY_TOO_LARGE.exception().with("ProposedSize", length).with("MaxSizeAllowed", MAX_PART_SIZE);
      }
      MessageDigest md5 = Checksum.messageDigest("MD5");
      String blob = store.blobs().concatenate(List.of(new Blobs.Slice(from.blob(), offset, length)), md5);
      UploadRows.PartRecord part = new UploadRows.PartRecord(partNumber, blob, length, HexFormat.of().formatHex(md5.digest()),
          null, store.now());
      commit(call, uploadId, part);
      return part;
    }).onComplete(call.then(part -> call.ok(Xml.document("CopyPartResult")
        .element("ETag", '"' + part.eTag() + '"').time("LastModified", part.lastModified()).end("CopyPartResult"))));
  }

  /** Records the part, or deletes its blob when the upload is gone. Blocking. */
  private void commit(S3Call call, String uploadId, UploadRows.PartRecord part) throws Exception {
    String replaced;
    try {
      replaced = store.inTransaction(c -> {
        UploadRows.requireUpload(c, call.bucket, call.key, uploadId);
        return UploadRows.putPart(c, uploadId, part);
      });
    } catch (Exception e) {
      store.deleteBlobs(Collections.singletonList(part.blob()));
      throw e;
    }
    store.deleteBlobs(Collections.singletonList(replaced));
  }

  /** {@code bytes=first-last}, both required and inside the source, as S3 demands for part copies. */
  private static ByteRange copyRange(String header, long size) {
    String value = header.strip();
    int dash = value.indexOf('-');
    try {
      if (!value.startsWith("bytes=") || dash < 0) {
        throw new NumberFormatException();
      }
      long first = Long.parseLong(value.substring("bytes=".length(), dash).strip());
      long last = Long.parseLong(value.substring(dash + 1).strip());
      if (first < 0 || last < first) {
        throw new NumberFormatException();
      }
      if (last >= size) {
        throw S3Error.INVALID_RANGE.exception().with("RangeRequested", header).with("ActualObjectSize", size);
      }
      return new ByteRange(first, last);
    } catch (NumberFormatException e) {
      throw S3Error.INVALID_ARGUMENT.exception("The x-amz-copy-source-range value must be of the form bytes=first-last "
          + "where first and last are the zero-based offsets of the first and last bytes to copy")
          .with("ArgumentName", "x-amz-copy-source-range").with("ArgumentValue", header);
    }
  }
}
