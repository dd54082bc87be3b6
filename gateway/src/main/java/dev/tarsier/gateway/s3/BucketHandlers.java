package dev.tarsier.gateway.s3;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.w3c.dom.Element;

/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation and GetBucketVersioning. */
final class BucketHandlers {
  private static final String OWNER_ID = "000000000000";
  private final ObjectStore store;

  BucketHandlers(ObjectStore store) {
    this.store = store;
  }

  /** {@code GET /}: every bucket, by name. */
  void list(S3Call call) {
    store.read(Catalog::buckets).onComplete(call.then(buckets -> {
      Xml xml = Xml.document("ListAllMyBucketsResult")
          .open("Owner").element("ID", OWNER_ID).element("DisplayName", "tarsier").close("Owner")
          .open("Buckets");
      for (Catalog.Bucket bucket : buckets) {
        xml.open("Bucket").element("Name", bucket.name()).time("CreationDate", bucket.created())
            .element("BucketRegion", bucket.region()).close("Bucket");
      }
      call.ok(xml.close("Buckets").end("ListAllMyBucketsResult"));
    }));
  }

  /** {@code PUT /bucket}, with an optional CreateBucketConfiguration naming the region. */
  void create(S3Call call) {
    BucketNames.check(call.bucket);
    XmlBody.read(call.request, 64 * 1024)
        .compose(body -> store.transaction(c -> {
          String region = region(body);
          if (!Catalog.createBucket(c, call.bucket, region, store.now())) {
            throw S3Error.BUCKET_ALREADY_OWNED_BY_YOU.exception().with("BucketName", call.bucket);
          }
          return region;
        }))
        .onComplete(call.then(region -> {
          call.response.putHeader("Location", "/" + call.bucket);
          call.status(200);
        }));
  }

  private String region(Buffer body) {
    if (body.length() == 0 || body.toString().isBlank()) {
      return store.region();
    }
    Element configuration = XmlBody.parse(body, "CreateBucketConfiguration");
    String constraint = XmlBody.text(configuration, "LocationConstraint");
    return constraint == null || constraint.isBlank() ? store.region() : constraint.strip();
  }

  /** {@code HEAD /bucket}: 200 with the region, or a bodiless 404. */
  void head(S3Call call) {
    store.read(c -> Catalog.requireBucket(c, call.bucket)).onComplete(call.then(bucket -> {
      call.response.putHeader("x-amz-bucket-region", bucket.region());
      call.status(200);
    }));
  }

  /** {@code DELETE /bucket}: only when no object is left; unfinished uploads go with it. */
  void delete(S3Call call) {
    store.blocking(() -> {
      List<String> partBlobs = store.inTransaction(c -> store.deleteBucket(c, call.bucket));
      store.deleteBlobs(partBlobs);
      return null;
    }).onComplete(call.then(ignored -> call.status(204)));
  }

  /** {@code GET /bucket?location}: empty for us-east-1, as S3 answers. */
  void location(S3Call call) {
    store.read(c -> Catalog.requireBucket(c, call.bucket)).onComplete(call.then(bucket -> {
      String region = bucket.region().equals("us-east-1") ? null : bucket.region();
      call.ok(Xml.document("LocationConstraint").text(region).end("LocationConstraint"));
    }));
  }

  /** {@code GET /bucket?versioning}: buckets here are never versioned, which S3 says with an empty document. */
  void versioning(S3Call call) {
    store.read(c -> Catalog.requireBucket(c, call.bucket))
        .onComplete(call.then(bucket -> call.ok(Xml.document("VersioningConfiguration").end("VersioningConfiguration"))));
  }
}
