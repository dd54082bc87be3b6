package dev.tarsier.invoker;

/**
 * Writes one object into a bucket of the platform's own store: how an asynchronous invocation's record
 * reaches an {@code arn:aws:s3:::bucket} destination. Provided by the gateway, which owns the store.
 * Blocking: called from a worker.
 */
@FunctionalInterface
public interface BucketDestination {
  void write(String bucket, String key, byte[] body) throws Exception;

  BucketDestination NONE = (bucket, key, body) -> {
    throw new IllegalStateException("no object store is wired to deliver to bucket " + bucket);
  };
}
