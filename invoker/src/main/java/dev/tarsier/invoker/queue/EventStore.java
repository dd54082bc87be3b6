package dev.tarsier.invoker.queue;

import dev.tarsier.invoker.store.StateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable queue's table. An event is {@code ready} until a dispatcher claims it ({@code running});
 * a restart puts every {@code running} event back to {@code ready}, so an event whose run was cut off
 * by a crash is delivered again (at least once). Blocking: call from a worker.
 */
public final class EventStore {
  private final StateStore store;

  public EventStore(StateStore store) throws SQLException {
    this.store = store;
    store.inTransaction(connection -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE IF NOT EXISTS event_queue (id TEXT PRIMARY KEY, function TEXT NOT NULL, payload BLOB NOT NULL, "
            + "trigger TEXT NOT NULL, attempts INTEGER NOT NULL, enqueued_at INTEGER NOT NULL, due_at INTEGER NOT NULL, "
            + "state TEXT NOT NULL, depth INTEGER NOT NULL DEFAULT 0)");
        statement.execute("CREATE INDEX IF NOT EXISTS event_queue_due ON event_queue (state, due_at)");
        // Queues written before events carried a depth get the column, every event in them at depth 0.
        StateStore.addColumnIfMissing(statement, "event_queue", "depth", "INTEGER NOT NULL DEFAULT 0");
      }
      return null;
    });
  }

  /**
   * Adds {@code event} inside the caller's transaction, so it commits (or not) with whatever caused it.
   * An event whose id is already queued is not added twice.
   */
  public static void enqueue(Connection connection, QueuedEvent event) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "INSERT INTO event_queue (id, function, payload, trigger, attempts, enqueued_at, due_at, state, depth) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, 'ready', ?) ON CONFLICT (id) DO NOTHING")) {
      statement.setString(1, event.id());
      statement.setString(2, event.function());
      statement.setBytes(3, event.payload());
      statement.setString(4, event.trigger());
      statement.setInt(5, event.attempts());
      statement.setLong(6, event.enqueuedAt().toEpochMilli());
      statement.setLong(7, event.dueAt().toEpochMilli());
      statement.setInt(8, event.depth());
      statement.executeUpdate();
    }
  }

  public void enqueue(QueuedEvent event) throws SQLException {
    store.inTransaction(connection -> {
      enqueue(connection, event);
      return null;
    });
  }

  /** Puts events left {@code running} by a previous process back in line. */
  public int requeueInterrupted() throws SQLException {
    return store.read(connection -> {
      try (Statement statement = connection.createStatement()) {
        return statement.executeUpdate("UPDATE event_queue SET state = 'ready' WHERE state = 'running'");
      }
    });
  }

  /** Ready events due at {@code now}, oldest first. */
  public List<QueuedEvent> due(Instant now, int limit) throws SQLException {
    return store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT id, function, payload, trigger, attempts, enqueued_at, due_at, depth FROM event_queue "
              + "WHERE state = 'ready' AND due_at <= ? ORDER BY due_at, enqueued_at LIMIT ?")) {
        statement.setLong(1, now.toEpochMilli());
        statement.setInt(2, limit);
        List<QueuedEvent> events = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            events.add(new QueuedEvent(rows.getString(1), rows.getString(2), rows.getBytes(3), rows.getString(4), rows.getInt(5),
                Instant.ofEpochMilli(rows.getLong(6)), Instant.ofEpochMilli(rows.getLong(7)), rows.getInt(8)));
          }
        }
        return events;
      }
    });
  }

  /** Marks an event running; false when another dispatcher got it first. */
  public boolean claim(String id) throws SQLException {
    return update("UPDATE event_queue SET state = 'running' WHERE id = ? AND state = 'ready'", id) == 1;
  }

  /** Puts a claimed event back, to be tried again at {@code dueAt} after {@code attempts} runs. */
  public void reschedule(String id, int attempts, Instant dueAt) throws SQLException {
    store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "UPDATE event_queue SET state = 'ready', attempts = ?, due_at = ? WHERE id = ?")) {
        statement.setInt(1, attempts);
        statement.setLong(2, dueAt.toEpochMilli());
        statement.setString(3, id);
        return statement.executeUpdate();
      }
    });
  }

  /** Releases a claim without counting an attempt (the function was throttled). */
  public void unclaim(String id) throws SQLException {
    update("UPDATE event_queue SET state = 'ready' WHERE id = ?", id);
  }

  public void remove(String id) throws SQLException {
    update("DELETE FROM event_queue WHERE id = ?", id);
  }

  /** How many events wait or run, and when the oldest was accepted (null when none). */
  public record Depth(int events, Instant oldest, Instant nextDue) {
    /** How long the oldest event has waited at {@code now}: 0 with none, never below 0. */
    public long oldestAgeMs(Instant now) {
      return oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis());
    }
  }

  public Depth depth() throws SQLException {
    return store.read(connection -> {
      try (Statement statement = connection.createStatement();
           ResultSet rows = statement.executeQuery(
               "SELECT COUNT(*), MIN(enqueued_at), (SELECT MIN(due_at) FROM event_queue WHERE state = 'ready') FROM event_queue")) {
        rows.next();
        long oldest = rows.getLong(2);
        boolean none = rows.wasNull();
        long nextDue = rows.getLong(3);
        boolean noneDue = rows.wasNull();
        return new Depth(rows.getInt(1), none ? null : Instant.ofEpochMilli(oldest), noneDue ? null : Instant.ofEpochMilli(nextDue));
      }
    });
  }

  private int update(String sql, String id) throws SQLException {
    return store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setString(1, id);
        return statement.executeUpdate();
      }
    });
  }
}
