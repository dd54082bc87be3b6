package dev.tarsier.invoker.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real in-memory SQLite, with the driver's own prepares counted. */
class StatementCacheTest {
  private final List<String> prepared = new ArrayList<>();
  private Connection real;
  private Connection connection;

  @BeforeEach
  void open() throws Exception {
    real = DriverManager.getConnection("jdbc:sqlite::memory:");
    Connection counted = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("prepareStatement")) {
            prepared.add((String) args[0]);
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    connection = StatementCache.wrap(counted);
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
    }
  }

  @AfterEach
  void close() throws Exception {
    connection.close();
  }

  @Test
  void theSameSqlIsPreparedOnceAndComesBackWithItsParametersCleared() throws Exception {
    for (int k = 1; k <= 3; k++) {
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
        insert.setInt(1, k);
        insert.setString(2, "v" + k);
        assertThat(insert.executeUpdate()).isEqualTo(1);
      }
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
      insert.setInt(1, 4);
      insert.executeUpdate();
    }
    assertThat(prepared).containsExactly("INSERT INTO t (k, v) VALUES (?, ?)");
    assertThat(values()).containsExactly("v1", "v2", "v3", null);
  }

  @Test
  void aNestedUseOfTheSameSqlGetsAStatementOfItsOwn() throws Exception {
    insert(1, "a");
    insert(2, "b");
    String sql = "SELECT v FROM t WHERE k >= ? ORDER BY k";
    List<String> pairs = new ArrayList<>();
    try (PreparedStatement outer = connection.prepareStatement(sql)) {
      outer.setInt(1, 1);
      try (ResultSet rows = outer.executeQuery()) {
        while (rows.next()) {
          try (PreparedStatement inner = connection.prepareStatement(sql)) {
            inner.setInt(1, 2);
            try (ResultSet innerRows = inner.executeQuery()) {
              innerRows.next();
              pairs.add(rows.getString(1) + innerRows.getString(1));
            }
          }
        }
      }
    }
    assertThat(pairs).containsExactly("ab", "bb");
    // Once the outer one is back, the kept statement serves again.
    int before = prepared.size();
    assertThat(values()).containsExactly("a", "b");
    try (PreparedStatement again = connection.prepareStatement(sql)) {
      again.setInt(1, 2);
      try (ResultSet rows = again.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("b");
      }
    }
    assertThat(prepared.subList(before, prepared.size())).doesNotContain(sql);
  }

  @Test
  void theLeastRecentlyUsedGoesBeyondCapacityAndIsPreparedAnewAfter() throws Exception {
    for (int i = 0; i <= StatementCache.CAPACITY; i++) {
      try (PreparedStatement select = connection.prepareStatement("SELECT " + i)) {
        select.executeQuery().close();
      }
    }
    try (PreparedStatement newest = connection.prepareStatement("SELECT " + StatementCache.CAPACITY);
         PreparedStatement oldest = connection.prepareStatement("SELECT 0")) {
      try (ResultSet rows = oldest.executeQuery()) {
        rows.next();
        assertThat(rows.getInt(1)).isZero();
      }
    }
    assertThat(prepared).hasSize(StatementCache.CAPACITY + 2).endsWith("SELECT 0");
  }

  @Test
  void closingTheConnectionClosesWhatItKept() throws Exception {
    insert(1, "a");
    connection.close();
    assertThat(real.isClosed()).isTrue();
  }

  private void insert(int k, String v) throws Exception {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
      insert.setInt(1, k);
      insert.setString(2, v);
      insert.executeUpdate();
    }
  }

  private List<String> values() throws Exception {
    List<String> values = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT v FROM t ORDER BY k");
         ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
