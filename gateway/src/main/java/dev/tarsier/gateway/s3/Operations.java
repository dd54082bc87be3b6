package dev.tarsier.gateway.s3;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The S3 route: claims the requests {@link Addressing} says are for the object store (passing the rest
 * on with {@code next()}), then picks the operation from the method, the resource and the subresource
 * in the query. Only subresource names select operations: SDKs add other parameters ({@code x-id})
 * that mean nothing here. A subresource this store does not implement answers NotImplemented rather
 * than being mistaken for a plain GET or PUT.
 */
final class Operations implements Handler<RoutingContext> {
  private static final Set<String> UNSUPPORTED_BUCKET = Set.of("accelerate", "acl", "analytics", "cors", "encryption",
      "intelligent-tiering", "inventory", "lifecycle", "logging", "metrics", "object-lock",
      "ownershipControls", "policy", "policyStatus", "publicAccessBlock", "replication", "requestPayment", "tagging",
      "versions", "website");
  private static final Set<String> UNSUPPORTED_OBJECT = Set.of("acl", "attributes", "legal-hold", "restore", "retention",
      "select", "tagging", "torrent");

  private final Addressing addressing;
  private final ObjectStore store;
  private final BucketHandlers buckets;
  private final ListObjectsHandler listing;
  private final PutObjectHandler put;
  private final GetObjectHandler get;
  private final DeleteHandlers delete;
  private final CopyObjectHandler copy;
  private final MultipartHandlers multipart;
  private final UploadPartHandler parts;
  private final CompleteUploadHandler complete;
  private final NotificationHandlers notifications;

  Operations(Addressing addressing, ObjectStore store, NotificationConfigs notificationConfigs) {
    this.addressing = addressing;
    this.store = store;
    this.buckets = new BucketHandlers(store);
    this.listing = new ListObjectsHandler(store);
    this.put = new PutObjectHandler(store);
    this.get = new GetObjectHandler(store);
    this.delete = new DeleteHandlers(store);
    this.copy = new CopyObjectHandler(store);
    this.multipart = new MultipartHandlers(store);
    this.parts = new UploadPartHandler(store);
    this.complete = new CompleteUploadHandler(store);
    this.notifications = new NotificationHandlers(store, notificationConfigs);
  }

  @Override
  public void handle(RoutingContext ctx) {
    S3Address address = addressing.resolve(ctx.request());
    if (address == null) {
      ctx.next();
      return;
    }
    S3Call call = new S3Call(ctx, address, store.now());
    try {
      if (address.bucket() == null) {
        service(call);
      } else if (address.key() == null) {
        bucket(call);
      } else {
        object(call);
      }
    } catch (RuntimeException e) {
      call.fail(e);
    }
  }

  private void service(S3Call call) {
    switch (call.request.method().name()) {
      case "GET" -> buckets.list(call);
      default -> throw notAllowed(call);
    }
  }

  private void bucket(S3Call call) {
    if (UNSUPPORTED_BUCKET.stream().anyMatch(call::hasParam)) {
      throw S3Error.NOT_IMPLEMENTED.exception();
    }
    switch (call.request.method().name()) {
      case "GET" -> {
        if (call.hasParam("notification")) {
          notifications.get(call);
        } else if (call.hasParam("location")) {
          buckets.location(call);
        } else if (call.hasParam("versioning")) {
          buckets.versioning(call);
        } else if (call.hasParam("uploads")) {
          multipart.listUploads(call);
        } else if ("2".equals(call.param("list-type"))) {
          listing.v2(call);
        } else {
          listing.v1(call);
        }
      }
      case "HEAD" -> buckets.head(call);
      case "PUT" -> {
        if (call.hasParam("notification")) {
          notifications.put(call);
        } else {
          buckets.create(call);
        }
      }
      case "DELETE" -> buckets.delete(call);
      case "POST" -> {
        if (!call.hasParam("delete")) {
          throw S3Error.NOT_IMPLEMENTED.exception("POST uploads through HTML forms are not implemented.");
        }
        delete.deleteObjects(call);
      }
      default -> throw notAllowed(call);
    }
  }

  private void object(S3Call call) {
    if (UNSUPPORTED_OBJECT.stream().anyMatch(call::hasParam)) {
      throw S3Error.NOT_IMPLEMENTED.exception();
    }
    boolean copySource = call.header("x-amz-copy-source") != null;
    switch (call.request.method().name()) {
      case "GET", "HEAD" -> {
        if (call.hasParam("uploadId") && !call.isHead()) {
          multipart.listParts(call);
        } else {
          get.handle(call);
        }
      }
      case "PUT" -> {
        if (call.hasParam("uploadId") || call.hasParam("partNumber")) {
          if (copySource) {
            parts.uploadPartCopy(call);
          } else {
            parts.uploadPart(call);
          }
        } else if (copySource) {
          copy.handle(call);
        } else {
          put.handle(call);
        }
      }
      case "DELETE" -> {
        if (call.hasParam("uploadId")) {
          multipart.abort(call);
        } else {
          delete.deleteObject(call);
        }
      }
      case "POST" -> {
        if (call.hasParam("uploads")) {
          multipart.create(call);
        } else if (call.hasParam("uploadId")) {
          complete.handle(call);
        } else {
          throw S3Error.NOT_IMPLEMENTED.exception();
        }
      }
      default -> throw notAllowed(call);
    }
  }

  private static S3Exception notAllowed(S3Call call) {
    return S3Error.METHOD_NOT_ALLOWED.exception().with("Method", call.request.method().name())
        .with("ResourceType", call.bucket == null ? "SERVICE" : call.key == null ? "BUCKET" : "OBJECT");
  }
}
