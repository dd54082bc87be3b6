package dev.tarsier.gateway.s3;

/**
 * The object named by {@code x-amz-copy-source}: {@code [/]bucket/key}, URL-encoded, possibly with a
 * {@code ?versionId=} (only "null" can match here, as buckets are not versioned).
 */
record CopySource(String bucket, String key) {

  static CopySource parse(String header) {
    String value = header.strip();
    int query = value.indexOf('?');
    if (query >= 0) {
      String version = value.substring(query + 1);
      if (version.startsWith("versionId=") && !version.equals("versionId=null")) {
        throw S3Error.NO_SUCH_KEY.exception("The specified version does not exist.");
      }
      value = value.substring(0, query);
    }
    String path = Addressing.decode(value.startsWith("/") ? value.substring(1) : value);
    int slash = path.indexOf('/');
    if (slash <= 0 || slash == path.length() - 1) {
      throw S3Error.INVALID_ARGUMENT.exception("Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
          .with("ArgumentName", "x-amz-copy-source").with("ArgumentValue", header);
    }
    return new CopySource(path.substring(0, slash), path.substring(slash + 1));
  }

  /** Reads the source's row; NoSuchKey or NoSuchBucket naming the source when it is missing. Blocking. */
  ObjectRecord find(ObjectStore store) throws Exception {
    return store.inRead(c -> {
      ObjectRecord found = ObjectRows.object(c, bucket, key);
      if (found == null) {
        Catalog.requireBucket(c, bucket);
        throw S3Error.NO_SUCH_KEY.exception().with("Key", key).with("BucketName", bucket);
      }
      return found;
    });
  }
}
