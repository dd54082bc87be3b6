package dev.tarsier.gateway.s3;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Rows of {@code s3_objects}: one per object, keyed by bucket and key. See {@link Catalog} for the conventions. */
final class ObjectRows {
  private ObjectRows() {}

  record ListedObject(String key, long size, String eTag, Instant lastModified) {}

  static ObjectRecord object(Connection c, String bucket, String key) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("""
        SELECT blob, size, etag, last_modified, headers, checksum_algorithm, checksum, part_sizes, sequencer
        FROM s3_objects WHERE bucket = ? AND object_key = ?""")) {
      select.setString(1, bucket);
      select.setString(2, key);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return null;
        }
        String algorithm = rows.getString(6);
        StoredChecksum checksum = algorithm == null ? null : new StoredChecksum(Checksum.valueOf(algorithm), rows.getString(7));
        return new ObjectRecord(bucket, key, rows.getString(1), rows.getLong(2), rows.getString(3),
            Instant.ofEpochMilli(rows.getLong(4)), ObjectHeaders.fromJson(rows.getString(5)), checksum,
            partSizes(rows.getString(8)), rows.getString(9));
      }
    }
  }

  /**
   * The blob an object points at, or null when there is no such object; NoSuchBucket when the bucket is
   * missing. One query for both, as every PUT asks them while holding the store.
   */
  static String blobInBucket(Connection c, String bucket, String key) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("""
        SELECT b.name, o.blob FROM s3_buckets b LEFT JOIN s3_objects o ON o.bucket = b.name AND o.object_key = ?
        WHERE b.name = ?""")) {
      select.setString(1, key);
      select.setString(2, bucket);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          throw S3Error.NO_SUCH_BUCKET.exception().with("BucketName", bucket);
        }
        return rows.getString(2);
      }
    }
  }

  /** Inserts or replaces an object's row. */
  static void putObject(Connection c, ObjectRecord object) throws SQLException {
    try (PreparedStatement upsert = c.prepareStatement("""
        INSERT INTO s3_objects (bucket, object_key, blob, size, etag, last_modified, headers, checksum_algorithm,
                                checksum, part_sizes, sequencer)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (bucket, object_key) DO UPDATE SET blob = excluded.blob, size = excluded.size,
          etag = excluded.etag, last_modified = excluded.last_modified, headers = excluded.headers,
          checksum_algorithm = excluded.checksum_algorithm, checksum = excluded.checksum,
          part_sizes = excluded.part_sizes, sequencer = excluded.sequencer""")) {
      upsert.setString(1, object.bucket());
      upsert.setString(2, object.key());
      upsert.setString(3, object.blob());
      upsert.setLong(4, object.size());
      upsert.setString(5, object.eTag());
      upsert.setLong(6, object.lastModified().toEpochMilli());
      upsert.setString(7, object.headers().toJson());
      upsert.setString(8, object.checksum() == null ? null : object.checksum().algorithm().name());
      upsert.setString(9, object.checksum() == null ? null : object.checksum().value());
      upsert.setString(10, object.partSizes() == null ? null : joinSizes(object.partSizes()));
      upsert.setString(11, object.sequencer());
      upsert.executeUpdate();
    }
  }

  static void deleteObject(Connection c, String bucket, String key) throws SQLException {
    Catalog.update(c, "DELETE FROM s3_objects WHERE bucket = ? AND object_key = ?", bucket, key);
  }

  /** Up to {@code limit} objects in key order, from {@code from} (inclusive or not). */
  static List<ListedObject> objects(Connection c, String bucket, String from, boolean inclusive, int limit)
      throws SQLException {
    List<ListedObject> objects = new ArrayList<>(Math.min(limit, 1024));
    try (PreparedStatement select = c.prepareStatement("SELECT object_key, size, etag, last_modified FROM s3_objects "
        + "WHERE bucket = ? AND object_key " + (inclusive ? ">=" : ">") + " ? ORDER BY object_key LIMIT ?")) {
      select.setString(1, bucket);
      select.setString(2, from);
      select.setInt(3, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          objects.add(new ListedObject(rows.getString(1), rows.getLong(2), rows.getString(3), Instant.ofEpochMilli(rows.getLong(4))));
        }
      }
    }
    return objects;
  }

  private static String joinSizes(long[] sizes) {
    StringBuilder out = new StringBuilder();
    for (long size : sizes) {
      out.append(out.isEmpty() ? "" : ",").append(size);
    }
    return out.toString();
  }

  private static long[] partSizes(String text) {
    if (text == null) {
      return null;
    }
    String[] pieces = text.split(",");
    long[] sizes = new long[pieces.length];
    for (int i = 0; i < pieces.length; i++) {
      sizes[i] = Long.parseLong(pieces[i]);
    }
    return sizes;
  }
}
