package dev.tarsier.gateway.urls;

import dev.tarsier.invoker.store.StateStore;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Function URL configurations in the state store, with an in-memory index by url id so that routing an
 * HTTP request never waits for the database. Writes are blocking: call them from a worker.
 */
final class FunctionUrlStore {
  private final StateStore store;
  private final Map<String, FunctionUrl> byUrlId = new ConcurrentHashMap<>();
  private final Map<String, FunctionUrl> byFunction = new ConcurrentHashMap<>();

  FunctionUrlStore(StateStore store) throws SQLException {
    this.store = store;
    store.inTransaction(connection -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE IF NOT EXISTS function_urls (function TEXT PRIMARY KEY, url_id TEXT NOT NULL UNIQUE, "
            + "auth_type TEXT NOT NULL, invoke_mode TEXT NOT NULL, cors TEXT NOT NULL, creation_time TEXT NOT NULL, "
            + "last_modified TEXT NOT NULL)");
        try (ResultSet rows = statement.executeQuery(
            "SELECT function, url_id, auth_type, invoke_mode, cors, creation_time, last_modified FROM function_urls")) {
          while (rows.next()) {
            remember(new FunctionUrl(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                new JsonObject(rows.getString(5)), rows.getString(6), rows.getString(7)));
          }
        }
      }
      return null;
    });
  }

  Optional<FunctionUrl> byUrlId(String urlId) {
    return Optional.ofNullable(byUrlId.get(urlId));
  }

  Optional<FunctionUrl> byFunction(String function) {
    return Optional.ofNullable(byFunction.get(function));
  }

  /** Inserts or replaces the configuration of {@code url.function()}. */
  void put(FunctionUrl url) throws SQLException {
    store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "INSERT INTO function_urls (function, url_id, auth_type, invoke_mode, cors, creation_time, last_modified) "
              + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (function) DO UPDATE SET auth_type = excluded.auth_type, "
              + "invoke_mode = excluded.invoke_mode, cors = excluded.cors, last_modified = excluded.last_modified")) {
        statement.setString(1, url.function());
        statement.setString(2, url.urlId());
        statement.setString(3, url.authType());
        statement.setString(4, url.invokeMode());
        statement.setString(5, url.cors().encode());
        statement.setString(6, url.creationTime());
        statement.setString(7, url.lastModified());
        return statement.executeUpdate();
      }
    });
    remember(url);
  }

  boolean delete(String function) throws SQLException {
    boolean deleted = store.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement("DELETE FROM function_urls WHERE function = ?")) {
        statement.setString(1, function);
        return statement.executeUpdate() == 1;
      }
    });
    FunctionUrl gone = byFunction.remove(function);
    if (gone != null) {
      byUrlId.remove(gone.urlId());
    }
    return deleted;
  }

  private void remember(FunctionUrl url) {
    FunctionUrl previous = byFunction.put(url.function(), url);
    if (previous != null && !previous.urlId().equals(url.urlId())) {
      byUrlId.remove(previous.urlId());
    }
    byUrlId.put(url.urlId(), url);
  }
}
