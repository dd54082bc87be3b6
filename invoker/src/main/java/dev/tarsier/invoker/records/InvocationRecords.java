package dev.tarsier.invoker.records;

import dev.tarsier.invoker.store.StateStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Invocation records in the state store, queried by function, status, trigger and time. Retention is
 * bounded by count and age ({@link #prune}). Blocking: call from a worker.
 */
public final class InvocationRecords {
  /** Payloads and results are kept up to this many characters. */
  public static final int MAX_PAYLOAD_CHARS = 64 * 1024;
  private static final String COLUMNS = "id, function, code_sha256, trigger, status, started_at, duration_ms, billed_ms, init_ms, "
      + "create_ms, queue_wait_ms, memory_size, max_memory_used_mb, cold, request, result, error_type, log, attempt";

  private final StateStore store;

  public InvocationRecords(StateStore store) throws SQLException {
    this.store = store;
    store.inTransaction(connection -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE IF NOT EXISTS invocations (id TEXT NOT NULL, function TEXT NOT NULL, code_sha256 TEXT, "
            + "trigger TEXT NOT NULL, status TEXT NOT NULL, started_at INTEGER NOT NULL, duration_ms REAL, billed_ms INTEGER, "
            + "init_ms REAL, create_ms REAL, queue_wait_ms REAL, memory_size INTEGER, max_memory_used_mb INTEGER, cold INTEGER, "
            + "request TEXT, result TEXT, error_type TEXT, log TEXT, attempt INTEGER, seq INTEGER PRIMARY KEY AUTOINCREMENT)");
        statement.execute("CREATE INDEX IF NOT EXISTS invocations_by_function ON invocations (function, started_at)");
        statement.execute("CREATE INDEX IF NOT EXISTS invocations_by_time ON invocations (started_at)");
        statement.execute("CREATE INDEX IF NOT EXISTS invocations_by_id ON invocations (id)");
      }
      return null;
    });
  }

  public void insert(InvocationRecord r) throws SQLException {
    store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "INSERT INTO invocations (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        statement.setString(1, r.id());
        statement.setString(2, r.function());
        statement.setString(3, r.codeSha256());
        statement.setString(4, r.trigger());
        statement.setString(5, r.status());
        statement.setLong(6, r.startedAt().toEpochMilli());
        statement.setDouble(7, r.durationMs());
        statement.setLong(8, r.billedMs());
        statement.setDouble(9, r.initMs());
        statement.setDouble(10, r.createMs());
        statement.setDouble(11, r.queueWaitMs());
        statement.setInt(12, r.memorySize());
        statement.setLong(13, r.maxMemoryUsedMb());
        statement.setInt(14, r.cold() ? 1 : 0);
        statement.setString(15, cap(r.request()));
        statement.setString(16, cap(r.result()));
        statement.setString(17, r.errorType());
        statement.setString(18, r.log());
        statement.setInt(19, r.attempt());
        statement.executeUpdate();
      }
      return null;
    });
  }

  /** Which records to return; null fields do not filter. Newest first. */
  public record Query(String function, String status, String trigger, Instant since, Instant until, int limit) {}

  public List<InvocationRecord> find(Query query) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM invocations WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (query.function() != null) {
      sql.append(" AND function = ?");
      args.add(query.function());
    }
    if (query.status() != null) {
      sql.append(" AND status = ?");
      args.add(query.status());
    }
    if (query.trigger() != null) {
      sql.append(" AND trigger = ?");
      args.add(query.trigger());
    }
    if (query.since() != null) {
      sql.append(" AND started_at >= ?");
      args.add(query.since().toEpochMilli());
    }
    if (query.until() != null) {
      sql.append(" AND started_at < ?");
      args.add(query.until().toEpochMilli());
    }
    sql.append(" ORDER BY started_at DESC, seq DESC LIMIT ?");
    args.add(Math.max(1, Math.min(query.limit(), 1000)));
    return store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          statement.setObject(i + 1, args.get(i));
        }
        return readAll(statement);
      }
    });
  }

  /** The latest record with this id (an event retried has one record per attempt). */
  public Optional<InvocationRecord> get(String id) throws SQLException {
    return store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT " + COLUMNS + " FROM invocations WHERE id = ? ORDER BY seq DESC LIMIT 1")) {
        statement.setString(1, id);
        return readAll(statement).stream().findFirst();
      }
    });
  }

  /** Removes records older than {@code maxAge} and all but the newest {@code maxCount}; returns how many went. */
  public int prune(Instant now, Duration maxAge, int maxCount) throws SQLException {
    return store.inTransaction(connection -> {
      int removed;
      try (PreparedStatement byAge = connection.prepareStatement("DELETE FROM invocations WHERE started_at < ?")) {
        byAge.setLong(1, now.minus(maxAge).toEpochMilli());
        removed = byAge.executeUpdate();
      }
      try (PreparedStatement byCount = connection.prepareStatement(
          "DELETE FROM invocations WHERE seq <= (SELECT seq FROM invocations ORDER BY seq DESC LIMIT 1 OFFSET ?)")) {
        byCount.setInt(1, maxCount);
        removed += byCount.executeUpdate();
      }
      return removed;
    });
  }

  private static List<InvocationRecord> readAll(PreparedStatement statement) throws SQLException {
    List<InvocationRecord> records = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        records.add(new InvocationRecord(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
            rows.getString(5), Instant.ofEpochMilli(rows.getLong(6)), rows.getDouble(7), rows.getLong(8), rows.getDouble(9),
            rows.getDouble(10), rows.getDouble(11), rows.getInt(12), rows.getLong(13), rows.getInt(14) == 1, rows.getString(15),
            rows.getString(16), rows.getString(17), rows.getString(18), rows.getInt(19)));
      }
    }
    return records;
  }

  private static String cap(String value) {
    return value == null || value.length() <= MAX_PAYLOAD_CHARS ? value : value.substring(0, MAX_PAYLOAD_CHARS);
  }
}
