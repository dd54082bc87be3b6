package dev.tarsier.gateway.s3;

/** {@code GET} and {@code PUT /bucket?notification}: the bucket must exist; the configuration is the notifications' business. */
final class NotificationHandlers {
  private static final int MAX_CONFIGURATION_BYTES = 1024 * 1024;

  private final ObjectStore store;
  private final NotificationConfigs configs;

  NotificationHandlers(ObjectStore store, NotificationConfigs configs) {
    this.store = store;
    this.configs = configs;
  }

  void get(S3Call call) {
    store.read(c -> Catalog.requireBucket(c, call.bucket)).onComplete(call.then(bucket -> call.ok(configs.xml(call.bucket))));
  }

  void put(S3Call call) {
    boolean skipValidation = "true".equalsIgnoreCase(call.header("x-amz-skip-destination-validation"));
    XmlBody.read(call.request, MAX_CONFIGURATION_BYTES)
        .compose(body -> store.read(c -> Catalog.requireBucket(c, call.bucket)).map(bucket -> body))
        .compose(body -> configs.put(call.bucket, body.getBytes(), skipValidation))
        .recover(failure -> io.vertx.core.Future.failedFuture(failure instanceof NotificationConfigs.Refused refused
            ? (refused.code().equals("MalformedXML") ? S3Error.MALFORMED_XML : S3Error.INVALID_ARGUMENT).exception(refused.getMessage())
            : failure))
        .onComplete(call.then(ignored -> call.status(200)));
  }
}
