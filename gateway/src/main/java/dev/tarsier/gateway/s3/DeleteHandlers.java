package dev.tarsier.gateway.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/** DeleteObject and DeleteObjects. Blobs are deleted after the transaction that unlinked them commits. */
final class DeleteHandlers {
  private static final int MAX_KEYS = 1000;
  /** 1000 keys of up to 1024 bytes each, plus the XML around them. */
  private static final int MAX_BODY = 2 * 1024 * 1024;
  private final ObjectStore store;

  DeleteHandlers(ObjectStore store) {
    this.store = store;
  }

  /** {@code DELETE /bucket/key}: 204 whether or not the key existed, as S3 answers. */
  void deleteObject(S3Call call) {
    ObjectStore.Origin origin = call.origin();
    store.blocking(() -> {
      ObjectRecord removed = store.inTransaction(c -> {
        Catalog.requireBucket(c, call.bucket);
        return store.removeObject(c, call.bucket, call.key, origin);
      });
      if (removed != null) {
        store.deleteBlobs(List.of(removed.blob()));
      }
      return null;
    }).onComplete(call.then(ignored -> call.status(204)));
  }

  /** {@code POST /bucket?delete}: up to 1000 keys in one transaction, with one event per removed object. */
  void deleteObjects(S3Call call) {
    ObjectStore.Origin origin = call.origin();
    // SDKs 2.30+ send x-amz-checksum-crc32 here instead of the Content-MD5 older ones sent; check either.
    BodyClaims claims = BodyClaims.from(call.request.headers());
    XmlBody.read(call.request, MAX_BODY).compose(body -> store.blocking(() -> {
      BodyDigests digests = new BodyDigests(claims.checksum(), claims.sha256() != null);
      digests.update(body);
      claims.verify(digests.finish(), Map.of());
      Element delete = XmlBody.parse(body, "Delete");
      boolean quiet = "true".equalsIgnoreCase(String.valueOf(XmlBody.text(delete, "Quiet")).strip());
      List<String> keys = new ArrayList<>();
      for (Element object : XmlBody.children(delete, "Object")) {
        String key = XmlBody.text(object, "Key");
        if (key == null) {
          throw S3Error.MALFORMED_XML.exception();
        }
        keys.add(key);
      }
      if (keys.isEmpty() || keys.size() > MAX_KEYS) {
        throw S3Error.MALFORMED_XML.exception();
      }
      List<String> blobs = new ArrayList<>();
      store.inTransaction(c -> {
        Catalog.requireBucket(c, call.bucket);
        for (String key : keys) {
          ObjectRecord removed = store.removeObject(c, call.bucket, key, origin);
          if (removed != null) {
            blobs.add(removed.blob());
          }
        }
        return null;
      });
      store.deleteBlobs(blobs);
      Xml xml = Xml.document("DeleteResult");
      if (!quiet) {
        for (String key : keys) {
          xml.open("Deleted").element("Key", key).close("Deleted");
        }
      }
      return xml.end("DeleteResult");
    })).onComplete(call.then(call::ok));
  }
}
