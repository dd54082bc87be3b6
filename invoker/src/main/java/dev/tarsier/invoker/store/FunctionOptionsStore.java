package dev.tarsier.invoker.store;

import dev.tarsier.invoker.AsyncConfig;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Per-function options kept beside the function: reserved concurrency, pre-warm, async settings, resource policy. Blocking. */
public final class FunctionOptionsStore {
  private final StateStore store;

  public FunctionOptionsStore(StateStore store) throws SQLException {
    this.store = store;
    store.inTransaction(connection -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE IF NOT EXISTS function_concurrency (function TEXT PRIMARY KEY, reserved INTEGER NOT NULL)");
        statement.execute("CREATE TABLE IF NOT EXISTS function_prewarm (function TEXT PRIMARY KEY, sandboxes INTEGER NOT NULL, "
            + "last_modified TEXT NOT NULL DEFAULT '1970-01-01T00:00:00Z')");
        // Data directories from before pre-warm targets kept their time get the column.
        StateStore.addColumnIfMissing(statement, "function_prewarm", "last_modified", "TEXT NOT NULL DEFAULT '1970-01-01T00:00:00Z'");
        statement.execute("CREATE TABLE IF NOT EXISTS event_invoke_config (function TEXT PRIMARY KEY, max_retries INTEGER NOT NULL, "
            + "max_event_age INTEGER NOT NULL, on_success TEXT, on_failure TEXT, last_modified REAL NOT NULL)");
        statement.execute("CREATE TABLE IF NOT EXISTS function_policy (function TEXT NOT NULL, sid TEXT NOT NULL, "
            + "statement TEXT NOT NULL, added INTEGER NOT NULL, PRIMARY KEY (function, sid))");
      }
      return null;
    });
  }

  public Map<String, Integer> reservations() throws SQLException {
    return store.read(connection -> {
      Map<String, Integer> reserved = new HashMap<>();
      try (Statement statement = connection.createStatement();
           ResultSet rows = statement.executeQuery("SELECT function, reserved FROM function_concurrency")) {
        while (rows.next()) {
          reserved.put(rows.getString(1), rows.getInt(2));
        }
      }
      return reserved;
    });
  }

  /** Sets (or, with null, removes) a function's reserved concurrency. */
  public void reserve(String function, Integer reserved) throws SQLException {
    store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(reserved == null
          ? "DELETE FROM function_concurrency WHERE function = ?"
          : "INSERT INTO function_concurrency (function, reserved) VALUES (?, ?) ON CONFLICT (function) DO UPDATE SET reserved = excluded.reserved")) {
        statement.setString(1, function);
        if (reserved != null) {
          statement.setInt(2, reserved);
        }
        return statement.executeUpdate();
      }
    });
  }

  public Optional<AsyncConfig> asyncConfig(String function) throws SQLException {
    return store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT max_retries, max_event_age, on_success, on_failure, last_modified FROM event_invoke_config WHERE function = ?")) {
        statement.setString(1, function);
        try (ResultSet rows = statement.executeQuery()) {
          return rows.next()
              ? Optional.of(new AsyncConfig(function, rows.getInt(1), rows.getInt(2), rows.getString(3), rows.getString(4), rows.getDouble(5)))
              : Optional.empty();
        }
      }
    });
  }

  public void putAsyncConfig(AsyncConfig config) throws SQLException {
    store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "INSERT INTO event_invoke_config (function, max_retries, max_event_age, on_success, on_failure, last_modified) "
              + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (function) DO UPDATE SET max_retries = excluded.max_retries, "
              + "max_event_age = excluded.max_event_age, on_success = excluded.on_success, on_failure = excluded.on_failure, "
              + "last_modified = excluded.last_modified")) {
        statement.setString(1, config.function());
        statement.setInt(2, config.maxRetryAttempts());
        statement.setInt(3, config.maxEventAgeSeconds());
        statement.setString(4, config.onSuccess());
        statement.setString(5, config.onFailure());
        statement.setDouble(6, config.lastModified());
        return statement.executeUpdate();
      }
    });
  }

  public boolean deleteAsyncConfig(String function) throws SQLException {
    return store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement("DELETE FROM event_invoke_config WHERE function = ?")) {
        statement.setString(1, function);
        return statement.executeUpdate() == 1;
      }
    });
  }

  /** Sandboxes of a function kept warm (provisioned concurrency), and when that was last set. */
  public record Prewarm(int sandboxes, Instant lastModified) {}

  /** The function's pre-warm target, if it has one. */
  public Optional<Prewarm> prewarm(String function) throws SQLException {
    return store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement("SELECT sandboxes, last_modified FROM function_prewarm WHERE function = ?")) {
        statement.setString(1, function);
        try (ResultSet rows = statement.executeQuery()) {
          return rows.next() ? Optional.of(new Prewarm(rows.getInt(1), Instant.parse(rows.getString(2)))) : Optional.<Prewarm>empty();
        }
      }
    });
  }

  /** Functions with sandboxes kept warm, by name. */
  public Map<String, Prewarm> prewarmed() throws SQLException {
    return store.read(connection -> {
      Map<String, Prewarm> prewarms = new HashMap<>();
      try (Statement statement = connection.createStatement();
           ResultSet rows = statement.executeQuery("SELECT function, sandboxes, last_modified FROM function_prewarm")) {
        while (rows.next()) {
          prewarms.put(rows.getString(1), new Prewarm(rows.getInt(2), Instant.parse(rows.getString(3))));
        }
      }
      return prewarms;
    });
  }

  /** Sets how many sandboxes of a function are kept warm; {@code prewarm} null removes it. */
  public void prewarm(String function, Prewarm prewarm) throws SQLException {
    store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(prewarm == null
          ? "DELETE FROM function_prewarm WHERE function = ?"
          : "INSERT INTO function_prewarm (function, sandboxes, last_modified) VALUES (?, ?, ?) "
              + "ON CONFLICT (function) DO UPDATE SET sandboxes = excluded.sandboxes, last_modified = excluded.last_modified")) {
        statement.setString(1, function);
        if (prewarm != null) {
          statement.setInt(2, prewarm.sandboxes());
          statement.setString(3, prewarm.lastModified().toString());
        }
        return statement.executeUpdate();
      }
    });
  }

  /** A function's resource-policy statements (JSON), in the order they were added. */
  public List<String> policyStatements(String function) throws SQLException {
    return store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT statement FROM function_policy WHERE function = ? ORDER BY added, sid")) {
        statement.setString(1, function);
        List<String> statements = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            statements.add(rows.getString(1));
          }
        }
        return statements;
      }
    });
  }

  /** Adds a statement under its id; false when the function already has one with that id. */
  public boolean addPolicyStatement(String function, String sid, String json, long addedMillis) throws SQLException {
    return store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "INSERT INTO function_policy (function, sid, statement, added) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
        statement.setString(1, function);
        statement.setString(2, sid);
        statement.setString(3, json);
        statement.setLong(4, addedMillis);
        return statement.executeUpdate() == 1;
      }
    });
  }

  /** Removes a statement, or with a null id all of them; false when there was none to remove. */
  public boolean removePolicyStatement(String function, String sid) throws SQLException {
    return store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sid == null
          ? "DELETE FROM function_policy WHERE function = ?"
          : "DELETE FROM function_policy WHERE function = ? AND sid = ?")) {
        statement.setString(1, function);
        if (sid != null) {
          statement.setString(2, sid);
        }
        return statement.executeUpdate() > 0;
      }
    });
  }

  /** Forgets every option of a deleted function. */
  public void forget(String function) throws SQLException {
    reserve(function, null);
    deleteAsyncConfig(function);
    prewarm(function, null);
    removePolicyStatement(function, null);
  }
}
