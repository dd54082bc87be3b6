package dev.tarsier.gateway.s3;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The object store's metadata in the state store: buckets, objects, multipart uploads and their parts.
 * Plain SQL on a connection the caller got from {@code StateStore.inTransaction} or {@code read}, so
 * callers decide what commits together. Keys compare as SQLite compares TEXT (memcmp of UTF-8), which is
 * S3's listing order; on PostgreSQL the column needs {@code COLLATE "C"} for the same.
 */
final class Catalog {
  private Catalog() {}

  static void createTables(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("""
          CREATE TABLE IF NOT EXISTS s3_buckets (
            name TEXT PRIMARY KEY,
            region TEXT NOT NULL,
            created INTEGER NOT NULL)""");
      statement.execute("""
          CREATE TABLE IF NOT EXISTS s3_objects (
            bucket TEXT NOT NULL,
            object_key TEXT NOT NULL,
            blob TEXT NOT NULL,
            size INTEGER NOT NULL,
            etag TEXT NOT NULL,
            last_modified INTEGER NOT NULL,
            headers TEXT NOT NULL,
            checksum_algorithm TEXT,
            checksum TEXT,
            part_sizes TEXT,
            sequencer TEXT NOT NULL,
            PRIMARY KEY (bucket, object_key))""");
      statement.execute("""
          CREATE TABLE IF NOT EXISTS s3_uploads (
            upload_id TEXT PRIMARY KEY,
            bucket TEXT NOT NULL,
            object_key TEXT NOT NULL,
            initiated INTEGER NOT NULL,
            headers TEXT NOT NULL,
            checksum_algorithm TEXT)""");
      statement.execute("CREATE INDEX IF NOT EXISTS s3_uploads_by_key ON s3_uploads (bucket, object_key, initiated, upload_id)");
      statement.execute("""
          CREATE TABLE IF NOT EXISTS s3_parts (
            upload_id TEXT NOT NULL,
            part_number INTEGER NOT NULL,
            blob TEXT NOT NULL,
            size INTEGER NOT NULL,
            etag TEXT NOT NULL,
            checksum TEXT,
            last_modified INTEGER NOT NULL,
            PRIMARY KEY (upload_id, part_number))""");
      statement.execute("CREATE TABLE IF NOT EXISTS s3_sequence (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)");
      statement.execute("INSERT INTO s3_sequence (id, value) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM s3_sequence)");
    }
  }

  record Bucket(String name, String region, Instant created) {}

  record ListedObject(String key, long size, String eTag, Instant lastModified) {}

  record UploadRecord(String uploadId, String bucket, String key, Instant initiated, ObjectHeaders headers,
                      Checksum checksumAlgorithm) {}

  record PartRecord(int partNumber, String blob, long size, String eTag, String checksum, Instant lastModified) {}

  // ---- buckets

  static boolean createBucket(Connection c, String name, String region, Instant now) throws SQLException {
    if (bucket(c, name) != null) {
      return false;
    }
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO s3_buckets (name, region, created) VALUES (?, ?, ?)")) {
      insert.setString(1, name);
      insert.setString(2, region);
      insert.setLong(3, now.toEpochMilli());
      insert.executeUpdate();
    }
    return true;
  }

  static Bucket bucket(Connection c, String name) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT name, region, created FROM s3_buckets WHERE name = ?")) {
      select.setString(1, name);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? new Bucket(rows.getString(1), rows.getString(2), Instant.ofEpochMilli(rows.getLong(3))) : null;
      }
    }
  }

  /** The bucket, or NoSuchBucket. */
  static Bucket requireBucket(Connection c, String name) throws SQLException {
    Bucket bucket = bucket(c, name);
    if (bucket == null) {
      throw S3Error.NO_SUCH_BUCKET.exception().with("BucketName", name);
    }
    return bucket;
  }

  static List<Bucket> buckets(Connection c) throws SQLException {
    List<Bucket> buckets = new ArrayList<>();
    try (PreparedStatement select = c.prepareStatement("SELECT name, region, created FROM s3_buckets ORDER BY name");
         ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        buckets.add(new Bucket(rows.getString(1), rows.getString(2), Instant.ofEpochMilli(rows.getLong(3))));
      }
    }
    return buckets;
  }

  /** Deletes an empty bucket and its unfinished uploads; returns the part blobs to delete after commit. */
  static List<String> deleteBucket(Connection c, String name) throws SQLException {
    requireBucket(c, name);
    try (PreparedStatement any = c.prepareStatement("SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1")) {
      any.setString(1, name);
      try (ResultSet rows = any.executeQuery()) {
        if (rows.next()) {
          throw S3Error.BUCKET_NOT_EMPTY.exception().with("BucketName", name);
        }
      }
    }
    List<String> blobs = new ArrayList<>();
    for (UploadRecord upload : uploads(c, name, "", "", "", Integer.MAX_VALUE)) {
      blobs.addAll(deleteUpload(c, upload.uploadId()));
    }
    update(c, "DELETE FROM s3_buckets WHERE name = ?", name);
    return blobs;
  }

  // ---- objects

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
    update(c, "DELETE FROM s3_objects WHERE bucket = ? AND object_key = ?", bucket, key);
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

  /** The next sequencer: 16 upper-case hex digits, so string order is numeric order. */
  static String nextSequencer(Connection c) throws SQLException {
    update(c, "UPDATE s3_sequence SET value = value + 1 WHERE id = 1");
    try (PreparedStatement select = c.prepareStatement("SELECT value FROM s3_sequence WHERE id = 1");
         ResultSet rows = select.executeQuery()) {
      rows.next();
      return HexFormat.of().withUpperCase().toHexDigits(rows.getLong(1));
    }
  }

  // ---- multipart uploads

  static void createUpload(Connection c, UploadRecord upload) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement("""
        INSERT INTO s3_uploads (upload_id, bucket, object_key, initiated, headers, checksum_algorithm)
        VALUES (?, ?, ?, ?, ?, ?)""")) {
      insert.setString(1, upload.uploadId());
      insert.setString(2, upload.bucket());
      insert.setString(3, upload.key());
      insert.setLong(4, upload.initiated().toEpochMilli());
      insert.setString(5, upload.headers().toJson());
      insert.setString(6, upload.checksumAlgorithm() == null ? null : upload.checksumAlgorithm().name());
      insert.executeUpdate();
    }
  }

  /** The upload, or NoSuchUpload when it is unknown or belongs to another bucket or key. */
  static UploadRecord requireUpload(Connection c, String bucket, String key, String uploadId) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("""
        SELECT upload_id, bucket, object_key, initiated, headers, checksum_algorithm FROM s3_uploads
        WHERE upload_id = ? AND bucket = ? AND object_key = ?""")) {
      select.setString(1, uploadId);
      select.setString(2, bucket);
      select.setString(3, key);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          throw S3Error.NO_SUCH_UPLOAD.exception().with("UploadId", uploadId);
        }
        return upload(rows);
      }
    }
  }

  /** Uploads in (key, initiated) order after the markers, as ListMultipartUploads pages them. */
  static List<UploadRecord> uploads(Connection c, String bucket, String prefix, String keyMarker, String uploadIdMarker,
                                    int limit) throws SQLException {
    List<UploadRecord> uploads = new ArrayList<>();
    try (PreparedStatement select = c.prepareStatement("""
        SELECT upload_id, bucket, object_key, initiated, headers, checksum_algorithm FROM s3_uploads
        WHERE bucket = ? AND object_key >= ? AND (object_key > ? OR (object_key = ? AND upload_id > ?))
        ORDER BY object_key, initiated, upload_id""")) {
      select.setString(1, bucket);
      select.setString(2, prefix);
      select.setString(3, keyMarker);
      select.setString(4, keyMarker);
      select.setString(5, uploadIdMarker.isEmpty() ? "\uffff" : uploadIdMarker);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next() && uploads.size() < limit) {
          UploadRecord upload = upload(rows);
          if (!upload.key().startsWith(prefix)) {
            break;
          }
          uploads.add(upload);
        }
      }
    }
    return uploads;
  }

  /** Removes an upload and its parts' rows; returns the part blobs to delete after commit. */
  static List<String> deleteUpload(Connection c, String uploadId) throws SQLException {
    List<String> blobs = new ArrayList<>();
    for (PartRecord part : parts(c, uploadId, 0, Integer.MAX_VALUE)) {
      blobs.add(part.blob());
    }
    update(c, "DELETE FROM s3_parts WHERE upload_id = ?", uploadId);
    update(c, "DELETE FROM s3_uploads WHERE upload_id = ?", uploadId);
    return blobs;
  }

  /** Stores a part, replacing one with the same number; returns the replaced part's blob or null. */
  static String putPart(Connection c, String uploadId, PartRecord part) throws SQLException {
    String replaced = null;
    try (PreparedStatement select = c.prepareStatement("SELECT blob FROM s3_parts WHERE upload_id = ? AND part_number = ?")) {
      select.setString(1, uploadId);
      select.setInt(2, part.partNumber());
      try (ResultSet rows = select.executeQuery()) {
        if (rows.next()) {
          replaced = rows.getString(1);
        }
      }
    }
    update(c, "DELETE FROM s3_parts WHERE upload_id = ? AND part_number = ?", uploadId, part.partNumber());
    try (PreparedStatement insert = c.prepareStatement("""
        INSERT INTO s3_parts (upload_id, part_number, blob, size, etag, checksum, last_modified)
        VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
      insert.setString(1, uploadId);
      insert.setInt(2, part.partNumber());
      insert.setString(3, part.blob());
      insert.setLong(4, part.size());
      insert.setString(5, part.eTag());
      insert.setString(6, part.checksum());
      insert.setLong(7, part.lastModified().toEpochMilli());
      insert.executeUpdate();
    }
    return replaced;
  }

  /** Parts numbered above {@code after}, in order, at most {@code limit}. */
  static List<PartRecord> parts(Connection c, String uploadId, int after, int limit) throws SQLException {
    List<PartRecord> parts = new ArrayList<>();
    try (PreparedStatement select = c.prepareStatement("""
        SELECT part_number, blob, size, etag, checksum, last_modified FROM s3_parts
        WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?""")) {
      select.setString(1, uploadId);
      select.setInt(2, after);
      select.setInt(3, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          parts.add(new PartRecord(rows.getInt(1), rows.getString(2), rows.getLong(3), rows.getString(4),
              rows.getString(5), Instant.ofEpochMilli(rows.getLong(6))));
        }
      }
    }
    return parts;
  }

  private static UploadRecord upload(ResultSet rows) throws SQLException {
    String algorithm = rows.getString(6);
    return new UploadRecord(rows.getString(1), rows.getString(2), rows.getString(3), Instant.ofEpochMilli(rows.getLong(4)),
        ObjectHeaders.fromJson(rows.getString(5)), algorithm == null ? null : Checksum.valueOf(algorithm));
  }

  private static void update(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    }
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
