package dev.tarsier.invoker.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The embedded state store: one SQLite database in WAL mode under the data directory. One connection,
 * used by one thread at a time (callers hold its monitor), which keeps its prepared statements
 * ({@link StatementCache}); blocking, so only ever from a worker.
 * The SQL stays portable so PostgreSQL can take its place.
 */
public final class StateStore implements AutoCloseable {
  private final Connection connection;

  private StateStore(Connection connection) {
    this.connection = connection;
  }

  public static StateStore open(Path file) throws IOException, SQLException {
    Files.createDirectories(file.getParent());
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA journal_mode=WAL");
      statement.execute("PRAGMA synchronous=NORMAL");
      statement.execute("PRAGMA busy_timeout=5000");
      statement.execute("""
          CREATE TABLE IF NOT EXISTS functions (
            name TEXT PRIMARY KEY,
            runtime TEXT NOT NULL,
            handler TEXT NOT NULL,
            memory_size INTEGER NOT NULL,
            timeout INTEGER NOT NULL,
            ephemeral_storage INTEGER NOT NULL,
            description TEXT NOT NULL,
            role TEXT NOT NULL,
            environment TEXT NOT NULL,
            code_sha256 TEXT NOT NULL,
            code_size INTEGER NOT NULL,
            last_modified TEXT NOT NULL,
            revision_id TEXT NOT NULL)""");
    }
    return new StateStore(StatementCache.wrap(connection));
  }

  /** The connection; hold this store's monitor while using it. */
  Connection connection() {
    return connection;
  }

  /** Work done with the store's connection. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. Other
   * modules (the object store, the queue) keep their tables here through this, so an object's metadata
   * and the events it causes can commit together.
   */
  public synchronized <T> T inTransaction(SqlWork<T> work) throws SQLException {
    connection.setAutoCommit(false);
    try {
      T result = work.apply(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  /** Runs {@code work} with the connection in auto-commit mode (single statements, reads). */
  public synchronized <T> T read(SqlWork<T> work) throws SQLException {
    return work.apply(connection);
  }

  /**
   * Adds {@code column} ({@code definition}: its type, constraints and default, which the rows already
   * there take) to {@code table} unless it has it: how a table created by an older version catches up.
   */
  public static void addColumnIfMissing(Statement statement, String table, String column, String definition) throws SQLException {
    try (ResultSet columns = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (columns.next()) {
        if (columns.getString("name").equals(column)) {
          return;
        }
      }
    }
    statement.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + definition);
  }

  @Override
  public synchronized void close() throws SQLException {
    connection.close();
  }
}
