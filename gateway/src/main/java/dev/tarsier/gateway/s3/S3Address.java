package dev.tarsier.gateway.s3;

/**
 * Which S3 resource a request names: the service (both null), a bucket (key null) or an object.
 * The key is decoded once, here; it is stored and compared decoded.
 */
record S3Address(String bucket, String key) {}
