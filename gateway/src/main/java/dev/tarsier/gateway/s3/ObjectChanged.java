package dev.tarsier.gateway.s3;

import java.time.Instant;

/**
 * One committed change to an object, as bucket notifications need it.
 *
 * @param bucket    the bucket's name
 * @param key       the object's key, not encoded
 * @param size      the object's size in bytes; 0 for removals
 * @param eTag      the ETag without quotes ({@code -N} for multipart objects); null for removals
 * @param eventName S3's event name without the {@code s3:} prefix, one of the constants below
 * @param sequencer upper-case hex, fixed width, increasing with every change to the same key (and in
 *                  fact across the whole store), so comparing two as strings orders them
 * @param versionId always null: buckets are not versioned
 * @param requestId the {@code x-amz-request-id} of the request that made the change
 * @param sourceIp  the client's address
 * @param accessKey the access key the request was signed with, or null (it says which function wrote)
 * @param time      when the change was committed
 */
public record ObjectChanged(String bucket, String key, long size, String eTag, String eventName, String sequencer,
                            String versionId, String requestId, String sourceIp, String accessKey, Instant time) {
  public static final String PUT = "ObjectCreated:Put";
  public static final String POST = "ObjectCreated:Post";
  public static final String COPY = "ObjectCreated:Copy";
  public static final String COMPLETE_MULTIPART_UPLOAD = "ObjectCreated:CompleteMultipartUpload";
  public static final String DELETE = "ObjectRemoved:Delete";
}
