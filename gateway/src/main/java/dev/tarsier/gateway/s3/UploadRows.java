package dev.tarsier.gateway.s3;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Rows of {@code s3_uploads} and {@code s3_parts}: unfinished multipart uploads. See {@link Catalog}. */
final class UploadRows {
  private UploadRows() {}

  record UploadRecord(String uploadId, String bucket, String key, Instant initiated, ObjectHeaders headers,
                      Checksum checksumAlgorithm) {}

  record PartRecord(int partNumber, String blob, long size, String eTag, String checksum, Instant lastModified) {}

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
    Catalog.update(c, "DELETE FROM s3_parts WHERE upload_id = ?", uploadId);
    Catalog.update(c, "DELETE FROM s3_uploads WHERE upload_id = ?", uploadId);
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
    Catalog.update(c, "DELETE FROM s3_parts WHERE upload_id = ? AND part_number = ?", uploadId, part.partNumber());
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
}
