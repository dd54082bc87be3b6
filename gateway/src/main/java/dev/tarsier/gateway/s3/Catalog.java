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
 * The object store's metadata in the state store: its tables, buckets and the sequencer; objects are in
 * {@link ObjectRows}, multipart uploads in {@link UploadRows}. Plain SQL on a connection the caller got
 * from {@code StateStore.inTransaction} or {@code read}, so callers decide what commits together.
 * Keys compare as SQLite compares TEXT (memcmp of UTF-8), which is S3's listing order; on PostgreSQL
 * the key columns need {@code COLLATE "C"} for the same.
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
    for (UploadRows.UploadRecord upload : UploadRows.uploads(c, name, "", "", "", Integer.MAX_VALUE)) {
      blobs.addAll(UploadRows.deleteUpload(c, upload.uploadId()));
    }
    update(c, "DELETE FROM s3_buckets WHERE name = ?", name);
    return blobs;
  }

  /** The next sequencer: 16 upper-case hex digits, so string order is numeric order. */
  static String nextSequencer(Connection c) throws SQLException {
    try (PreparedStatement next = c.prepareStatement("UPDATE s3_sequence SET value = value + 1 WHERE id = 1 RETURNING value");
         ResultSet rows = next.executeQuery()) {
      rows.next();
      return HexFormat.of().withUpperCase().toHexDigits(rows.getLong(1));
    }
  }

  static void update(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    }
  }
}
