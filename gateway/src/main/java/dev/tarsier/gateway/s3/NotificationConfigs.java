package dev.tarsier.gateway.s3;

import io.vertx.core.Future;

/**
 * Where a bucket's notification configuration (Put/GetBucketNotificationConfiguration) is kept and
 * checked. The store only carries the XML to it; what the rules mean belongs to the notifications.
 */
public interface NotificationConfigs {
  /** Refuses every configuration: notifications are not wired. */
  NotificationConfigs NONE = new NotificationConfigs() {
    @Override
    public Future<Void> put(String bucket, byte[] xml, boolean skipValidation) {
      return Future.failedFuture(S3Error.NOT_IMPLEMENTED.exception("Bucket notifications are not wired on this platform."));
    }

    @Override
    public String xml(String bucket) {
      return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>";
    }
  };

  /**
   * Replaces the bucket's configuration. Fails with {@link Refused} carrying S3's error code
   * ({@code MalformedXML}, {@code InvalidArgument}) when the configuration cannot be accepted.
   */
  Future<Void> put(String bucket, byte[] xml, boolean skipValidation);

  /** The bucket's configuration as XML; an empty configuration when none is set. */
  String xml(String bucket);

  /** A configuration S3 would refuse, with the code S3 answers. */
  final class Refused extends RuntimeException {
    private final String code;

    public Refused(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }
}
