package dev.tarsier.gateway.s3;

import java.util.Collections;

/**
 * PutObject: the body streams into a staged blob ({@link Upload}), becomes durable, and only then is the
 * object's row pointed at it, in one transaction with its event; the blob it replaced is deleted after.
 * Supports the conditional writes S3 added ({@code If-None-Match: *}, {@code If-Match}).
 */
final class PutObjectHandler {
  /** S3's limit for a single PUT. */
  static final long MAX_SIZE = 5L * 1024 * 1024 * 1024;
  private final ObjectStore store;

  PutObjectHandler(ObjectStore store) {
    this.store = store;
  }

  void handle(S3Call call) {
    ObjectKeys.check(call.key);
    ObjectHeaders headers = ObjectHeaders.from(call.request.headers());
    String ifNoneMatch = call.header("If-None-Match");
    String ifMatch = call.header("If-Match");
    ObjectStore.Origin origin = call.origin();
    Upload.receive(store, call.request, MAX_SIZE)
        .compose(received -> store.blocking(() -> {
          String blob = store.blobs().persist(received.body());
          ObjectRecord object = new ObjectRecord(call.bucket, call.key, blob, received.size(), received.md5Hex(),
              store.now(), headers, received.checksum(), null, null);
          String replaced;
          try {
            replaced = store.inTransaction(c -> {
              if (ifNoneMatch != null || ifMatch != null) {
                writeConditions(ObjectRows.object(c, call.bucket, call.key), ifNoneMatch, ifMatch);
              }
              return store.putObject(c, object, ObjectChanged.PUT, origin);
            });
          } catch (Exception e) {
            store.deleteBlobs(Collections.singletonList(blob));
            throw e;
          }
          store.deleteBlobs(Collections.singletonList(replaced));
          return object;
        }))
        .onComplete(call.then(object -> {
          call.response.putHeader("ETag", object.quotedETag());
          if (object.checksum() != null) {
            call.response.putHeader(object.checksum().algorithm().header, object.checksum().value());
          }
          call.status(200);
        }));
  }

  private static void writeConditions(ObjectRecord existing, String ifNoneMatch, String ifMatch) {
    if (ifNoneMatch != null && existing != null && Conditions.matches(ifNoneMatch, existing.eTag())) {
      throw S3Error.PRECONDITION_FAILED.exception().with("Condition", "If-None-Match");
    }
    if (ifMatch != null && (existing == null || !Conditions.matches(ifMatch, existing.eTag()))) {
      throw existing == null ? S3Error.NO_SUCH_KEY.exception() : S3Error.PRECONDITION_FAILED.exception().with("Condition", "If-Match");
    }
  }
}
