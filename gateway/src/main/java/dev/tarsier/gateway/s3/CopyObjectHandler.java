package dev.tarsier.gateway.s3;

import java.nio.file.NoSuchFileException;
import java.util.Collections;

/**
 * CopyObject ({@code PUT /bucket/key} with {@code x-amz-copy-source}): the copy shares the source's
 * immutable blob through a hard link, so it costs no data copy whatever the size. The metadata comes
 * from the source ({@code x-amz-metadata-directive: COPY}, the default) or from the request (REPLACE).
 */
final class CopyObjectHandler {
  private static final int ATTEMPTS = 3;
  private final ObjectStore store;

  CopyObjectHandler(ObjectStore store) {
    this.store = store;
  }

  void handle(S3Call call) {
    ObjectKeys.check(call.key);
    CopySource source = CopySource.parse(call.header("x-amz-copy-source"));
    String directive = call.header("x-amz-metadata-directive") == null ? "COPY" : call.header("x-amz-metadata-directive").strip();
    if (!directive.equals("COPY") && !directive.equals("REPLACE")) {
      throw S3Error.INVALID_ARGUMENT.exception("Unknown metadata directive.")
          .with("ArgumentName", "x-amz-metadata-directive").with("ArgumentValue", directive);
    }
    boolean replace = directive.equals("REPLACE");
    ObjectHeaders replacement = replace ? ObjectHeaders.from(call.request.headers()) : null;
    ObjectStore.Origin origin = call.origin();
    store.blocking(() -> {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        ObjectRecord from = source.find(store);
        Conditions.forCopySource(call.request.headers(), from.eTag(), from.lastModified());
        if (!replace && from.bucket().equals(call.bucket) && from.key().equals(call.key)) {
          throw S3Error.INVALID_REQUEST.exception("This copy request is illegal because it is trying to copy an object "
              + "to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }
        String blob;
        try {
          blob = store.blobs().link(from.blob());
        } catch (NoSuchFileException replaced) {
          continue;
        }
        ObjectRecord copy = new ObjectRecord(call.bucket, call.key, blob, from.size(), from.eTag(), store.now(),
            replace ? replacement : from.headers(), from.checksum(), from.partSizes(), null);
        String replaced;
        try {
          replaced = store.inTransaction(c -> store.putObject(c, copy, ObjectChanged.COPY, origin));
        } catch (Exception e) {
          store.deleteBlobs(Collections.singletonList(blob));
          throw e;
        }
        store.deleteBlobs(Collections.singletonList(replaced));
        return copy;
      }
      throw S3Error.NO_SUCH_KEY.exception().with("Key", source.key()).with("BucketName", source.bucket());
    }).onComplete(call.then(copy -> {
      Xml xml = Xml.document("CopyObjectResult").element("ETag", copy.quotedETag()).time("LastModified", copy.lastModified());
      if (copy.checksum() != null) {
        xml.element("Checksum" + copy.checksum().algorithm().name(), copy.checksum().value());
      }
      call.ok(xml.end("CopyObjectResult"));
    }));
  }
}
