package dev.tarsier.gateway.s3;

import java.time.Instant;

/**
 * An object's metadata row.
 *
 * @param blob      the id of the file holding its bytes ({@link Blobs})
 * @param eTag      hex MD5, or {@code <hex>-N} for a multipart object; without quotes
 * @param checksum  the additional checksum its upload was verified against, or null
 * @param partSizes sizes of the parts it was assembled from, or null when uploaded in one piece
 * @param sequencer see {@link ObjectChanged#sequencer()}
 */
record ObjectRecord(String bucket, String key, String blob, long size, String eTag, Instant lastModified,
                    ObjectHeaders headers, StoredChecksum checksum, long[] partSizes, String sequencer) {

  String quotedETag() {
    return '"' + eTag + '"';
  }
}
