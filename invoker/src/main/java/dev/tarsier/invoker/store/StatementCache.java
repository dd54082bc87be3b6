package dev.tarsier.invoker.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A connection that keeps prepared statements for the next use of the same SQL. SQLite parses and plans
 * a statement on every prepare, which was about a tenth of the object store's worker time per small PUT;
 * callers keep writing {@code try (PreparedStatement s = c.prepareStatement(sql))}, and closing such a
 * statement clears its parameters and hands it back instead. A statement still out when its SQL comes again
 * (a nested use) is not shared: the second caller gets one of its own, closed for real. At most
 * {@link #CAPACITY} are kept, the least recently used going first. Confined like the connection it wraps
 * (callers hold the {@link StateStore}'s monitor).
 */
final class StatementCache implements InvocationHandler {
  static final int CAPACITY = 64;
  private final Connection connection;
  private final Map<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
      if (size() <= CAPACITY) {
        return false;
      }
      eldest.getValue().retired = true;
      if (!eldest.getValue().out) {
        closeQuietly(eldest.getValue().statement);
      }
      return true;
    }
  };

  private StatementCache(Connection connection) {
    this.connection = connection;
  }

  /** {@code connection} with its prepared statements kept; closing it closes them too. */
  static Connection wrap(Connection connection) {
    return (Connection) Proxy.newProxyInstance(StatementCache.class.getClassLoader(), new Class<?>[] {Connection.class},
        new StatementCache(connection));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("prepareStatement") && args != null && args.length == 1 && args[0] instanceof String sql) {
      return prepare(sql);
    }
    if (method.getName().equals("close") && (args == null || args.length == 0)) {
      for (Kept statement : kept.values()) {
        closeQuietly(statement.statement);
      }
      kept.clear();
    }
    return forward(connection, method, args);
  }

  private PreparedStatement prepare(String sql) throws SQLException {
    Kept statement = kept.get(sql);
    if (statement == null) {
      statement = new Kept(connection.prepareStatement(sql));
      kept.put(sql, statement);
    } else if (statement.out) {
      return connection.prepareStatement(sql);
    }
    statement.out = true;
    return statement.lend();
  }

  private static Object forward(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void closeQuietly(PreparedStatement statement) {
    try {
      statement.close();
    } catch (SQLException ignored) {
      // Closing a statement SQLite already finalized; nothing is left to free.
    }
  }

  /** A kept statement, and whether a caller has it now. */
  private static final class Kept {
    final PreparedStatement statement;
    boolean out;
    boolean retired;

    Kept(PreparedStatement statement) {
      this.statement = statement;
    }

    /** The statement as a caller sees it: closing it hands it back, cleared. */
    PreparedStatement lend() {
      return (PreparedStatement) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
          new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
            if (method.getName().equals("close") && (args == null || args.length == 0)) {
              if (!out) {
                return null;
              }
              out = false;
              if (retired) {
                statement.close();
              } else {
                statement.clearParameters();
              }
              return null;
            }
            if (method.getName().equals("isClosed") && (args == null || args.length == 0)) {
              return !out;
            }
            return forward(statement, method, args);
          });
    }
  }
}
