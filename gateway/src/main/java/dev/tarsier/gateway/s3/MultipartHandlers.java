package dev.tarsier.gateway.s3;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** CreateMultipartUpload, AbortMultipartUpload, ListParts and ListMultipartUploads. */
final class MultipartHandlers {
  private static final int MAX_LISTED = 1000;
  private final ObjectStore store;

  MultipartHandlers(ObjectStore store) {
    this.store = store;
  }

  /** {@code POST /bucket/key?uploads}: the headers given here become the object's when it completes. */
  void create(S3Call call) {
    ObjectKeys.check(call.key);
    String algorithmName = call.header("x-amz-checksum-algorithm");
    Checksum algorithm = algorithmName == null ? null : Checksum.ofAlgorithm(algorithmName);
    if (algorithmName != null && algorithm == null) {
      throw S3Error.INVALID_REQUEST.exception("Checksum algorithm provided is unsupported. Please try again with any of "
          + "the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String uploadId = HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    UploadRows.UploadRecord upload = new UploadRows.UploadRecord(uploadId, call.bucket, call.key, store.now(),
        ObjectHeaders.from(call.request.headers()), algorithm);
    store.transaction(c -> {
      Catalog.requireBucket(c, call.bucket);
      UploadRows.createUpload(c, upload);
      return upload;
    }).onComplete(call.then(created -> {
      if (algorithm != null) {
        call.response.putHeader("x-amz-checksum-algorithm", algorithm.name());
      }
      call.ok(Xml.document("InitiateMultipartUploadResult")
          .element("Bucket", call.bucket).element("Key", call.key).element("UploadId", uploadId)
          .end("InitiateMultipartUploadResult"));
    }));
  }

  /** {@code DELETE /bucket/key?uploadId=U}: drops the upload and every part's bytes. */
  void abort(S3Call call) {
    String uploadId = call.param("uploadId");
    store.blocking(() -> {
      List<String> blobs = store.inTransaction(c -> {
        UploadRows.requireUpload(c, call.bucket, call.key, uploadId);
        return UploadRows.deleteUpload(c, uploadId);
      });
      store.deleteBlobs(blobs);
      return null;
    }).onComplete(call.then(ignored -> call.status(204)));
  }

  private record UploadParts(UploadRows.UploadRecord upload, List<UploadRows.PartRecord> parts) {}

  /** {@code GET /bucket/key?uploadId=U}: the parts so far, paged by part number. */
  void listParts(S3Call call) {
    String uploadId = call.param("uploadId");
    int maxParts = limit(call, "max-parts");
    int marker = call.param("part-number-marker") == null ? 0 : PartNumbers.parse(call.param("part-number-marker"));
    store.read(c -> {
      UploadRows.UploadRecord upload = UploadRows.requireUpload(c, call.bucket, call.key, uploadId);
      return new UploadParts(upload, UploadRows.parts(c, uploadId, marker, maxParts + 1));
    }).onComplete(call.then(found -> {
      UploadRows.UploadRecord upload = found.upload();
      List<UploadRows.PartRecord> parts = found.parts();
      boolean truncated = parts.size() > maxParts;
      List<UploadRows.PartRecord> page = truncated ? parts.subList(0, maxParts) : parts;
      Xml xml = Xml.document("ListPartsResult")
          .element("Bucket", call.bucket).element("Key", call.key).element("UploadId", uploadId)
          .element("PartNumberMarker", marker)
          .element("NextPartNumberMarker", page.isEmpty() ? marker : page.get(page.size() - 1).partNumber())
          .element("MaxParts", maxParts).element("IsTruncated", truncated)
          .element("ChecksumAlgorithm", upload.checksumAlgorithm() == null ? null : upload.checksumAlgorithm().name());
      owner(xml, "Initiator");
      owner(xml, "Owner");
      xml.element("StorageClass", "STANDARD");
      for (UploadRows.PartRecord part : page) {
        xml.open("Part").element("PartNumber", part.partNumber()).time("LastModified", part.lastModified())
            .element("ETag", '"' + part.eTag() + '"').element("Size", part.size());
        if (part.checksum() != null && upload.checksumAlgorithm() != null) {
          xml.element("Checksum" + upload.checksumAlgorithm().name(), part.checksum());
        }
        xml.close("Part");
      }
      call.ok(xml.end("ListPartsResult"));
    }));
  }

  /** {@code GET /bucket?uploads}: unfinished uploads by key, then by when they started. */
  void listUploads(S3Call call) {
    String prefix = orEmpty(call.param("prefix"));
    String keyMarker = orEmpty(call.param("key-marker"));
    String uploadIdMarker = orEmpty(call.param("upload-id-marker"));
    int maxUploads = limit(call, "max-uploads");
    store.read(c -> {
      Catalog.requireBucket(c, call.bucket);
      return UploadRows.uploads(c, call.bucket, prefix, keyMarker, uploadIdMarker, maxUploads + 1);
    }).onComplete(call.then(uploads -> {
      boolean truncated = uploads.size() > maxUploads;
      List<UploadRows.UploadRecord> page = truncated ? uploads.subList(0, maxUploads) : uploads;
      UploadRows.UploadRecord last = page.isEmpty() ? null : page.get(page.size() - 1);
      Xml xml = Xml.document("ListMultipartUploadsResult")
          .element("Bucket", call.bucket).element("KeyMarker", keyMarker).element("UploadIdMarker", uploadIdMarker)
          .element("NextKeyMarker", truncated ? last.key() : null)
          .element("NextUploadIdMarker", truncated ? last.uploadId() : null)
          .element("Prefix", prefix).element("MaxUploads", maxUploads).element("IsTruncated", truncated);
      for (UploadRows.UploadRecord upload : page) {
        xml.open("Upload").element("Key", upload.key()).element("UploadId", upload.uploadId());
        owner(xml, "Initiator");
        owner(xml, "Owner");
        xml.element("StorageClass", "STANDARD").time("Initiated", upload.initiated());
        if (upload.checksumAlgorithm() != null) {
          xml.element("ChecksumAlgorithm", upload.checksumAlgorithm().name());
        }
        xml.close("Upload");
      }
      call.ok(xml.end("ListMultipartUploadsResult"));
    }));
  }

  private static void owner(Xml xml, String element) {
    xml.open(element).element("ID", "000000000000").element("DisplayName", "tarsier").close(element);
  }

  private static int limit(S3Call call, String name) {
    String value = call.param(name);
    if (value == null) {
      return MAX_LISTED;
    }
    try {
      int limit = Integer.parseInt(value.strip());
      if (limit < 0) {
        throw new NumberFormatException();
      }
      return Math.min(limit, MAX_LISTED);
    } catch (NumberFormatException e) {
      throw S3Error.INVALID_ARGUMENT.exception("Provided " + name + " not an integer or within integer range")
          .with("ArgumentName", name).with("ArgumentValue", value);
    }
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
