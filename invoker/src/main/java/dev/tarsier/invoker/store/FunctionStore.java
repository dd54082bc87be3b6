package dev.tarsier.invoker.store;

import dev.tarsier.invoker.FunctionConfig;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Functions in the state store. Blocking: call from a worker. */
public final class FunctionStore {
  private static final String COLUMNS = "name, runtime, handler, memory_size, timeout, ephemeral_storage, description, role, "
      + "environment, code_sha256, code_size, last_modified, revision_id";

  private final StateStore store;

  public FunctionStore(StateStore store) {
    this.store = store;
  }

  /** Inserts {@code function}; returns false when one of that name exists. */
  public boolean insert(FunctionConfig function) throws SQLException {
    synchronized (store) {
      try (PreparedStatement statement = store.connection().prepareStatement(
          "INSERT INTO functions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
        bind(statement, function);
        return statement.executeUpdate() == 1;
      }
    }
  }

  /** Replaces the stored function of the same name; returns false when there is none. */
  public boolean update(FunctionConfig function) throws SQLException {
    synchronized (store) {
      try (PreparedStatement statement = store.connection().prepareStatement(
          "UPDATE functions SET name = ?, runtime = ?, handler = ?, memory_size = ?, timeout = ?, ephemeral_storage = ?, "
              + "description = ?, role = ?, environment = ?, code_sha256 = ?, code_size = ?, last_modified = ?, "
              + "revision_id = ? WHERE name = ?")) {
        bind(statement, function);
        statement.setString(14, function.name());
        return statement.executeUpdate() == 1;
      }
    }
  }

  public Optional<FunctionConfig> get(String name) throws SQLException {
    synchronized (store) {
      try (PreparedStatement statement = store.connection().prepareStatement("SELECT " + COLUMNS + " FROM functions WHERE name = ?")) {
        statement.setString(1, name);
        try (ResultSet rows = statement.executeQuery()) {
          return rows.next() ? Optional.of(read(rows)) : Optional.empty();
        }
      }
    }
  }

  /** Up to {@code limit} functions whose names sort after {@code after} (null for the first page). */
  public List<FunctionConfig> list(String after, int limit) throws SQLException {
    synchronized (store) {
      try (PreparedStatement statement = store.connection().prepareStatement(
          "SELECT " + COLUMNS + " FROM functions WHERE name > ? ORDER BY name LIMIT ?")) {
        statement.setString(1, after == null ? "" : after);
        statement.setInt(2, limit);
        List<FunctionConfig> functions = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            functions.add(read(rows));
          }
        }
        return functions;
      }
    }
  }

  public boolean delete(String name) throws SQLException {
    synchronized (store) {
      try (PreparedStatement statement = store.connection().prepareStatement("DELETE FROM functions WHERE name = ?")) {
        statement.setString(1, name);
        return statement.executeUpdate() == 1;
      }
    }
  }

  private static void bind(PreparedStatement statement, FunctionConfig f) throws SQLException {
    statement.setString(1, f.name());
    statement.setString(2, f.runtime());
    statement.setString(3, f.handler());
    statement.setInt(4, f.memorySize());
    statement.setInt(5, f.timeout());
    statement.setInt(6, f.ephemeralStorage());
    statement.setString(7, f.description());
    statement.setString(8, f.role());
    statement.setString(9, new JsonObject(new HashMap<>(f.environment())).encode());
    statement.setString(10, f.codeSha256());
    statement.setLong(11, f.codeSize());
    statement.setString(12, f.lastModified());
    statement.setString(13, f.revisionId());
  }

  private static FunctionConfig read(ResultSet rows) throws SQLException {
    Map<String, String> environment = new HashMap<>();
    new JsonObject(rows.getString("environment")).forEach(entry -> environment.put(entry.getKey(), String.valueOf(entry.getValue())));
    return new FunctionConfig(
        rows.getString("name"),
        rows.getString("runtime"),
        rows.getString("handler"),
        rows.getInt("memory_size"),
        rows.getInt("timeout"),
        rows.getInt("ephemeral_storage"),
        rows.getString("description"),
        rows.getString("role"),
        environment,
        rows.getString("code_sha256"),
        rows.getLong("code_size"),
        rows.getString("last_modified"),
        rows.getString("revision_id"));
  }
}
