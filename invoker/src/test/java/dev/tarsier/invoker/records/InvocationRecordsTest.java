package dev.tarsier.invoker.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarsier.invoker.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records in a real SQLite store: filters, newest first, and retention by age and count. */
class InvocationRecordsTest {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  @TempDir
  Path dir;

  @Test
  void findsByFunctionStatusAndTriggerNewestFirst() throws Exception {
    try (StateStore store = StateStore.open(dir.resolve("state.db"))) {
      InvocationRecords records = new InvocationRecords(store);
      records.insert(record("a", "f", "ok", "api", NOW.minusSeconds(30)));
      records.insert(record("b", "f", "error", "s3", NOW.minusSeconds(20)));
      records.insert(record("c", "g", "ok", "api", NOW.minusSeconds(10)));
      assertThat(records.find(new InvocationRecords.Query("f", null, null, null, null, 10))).extracting(InvocationRecord::id)
          .containsExactly("b", "a");
      assertThat(records.find(new InvocationRecords.Query(null, "ok", "api", NOW.minusSeconds(15), null, 10)))
          .extracting(InvocationRecord::id).containsExactly("c");
      assertThat(records.get("b")).get().extracting(InvocationRecord::status).isEqualTo("error");
    }
  }

  @Test
  void keepsNoMoreThanTheNewestAndNothingTooOld() throws Exception {
    try (StateStore store = StateStore.open(dir.resolve("state.db"))) {
      InvocationRecords records = new InvocationRecords(store);
      records.insert(record("old", "f", "ok", "api", NOW.minus(Duration.ofDays(8))));
      for (int i = 0; i < 5; i++) {
        records.insert(record("r" + i, "f", "ok", "api", NOW.minusSeconds(60 - i)));
      }
      int removed = records.prune(NOW, Duration.ofDays(7), 3);
      assertThat(removed).isEqualTo(3);
      assertThat(records.find(new InvocationRecords.Query(null, null, null, null, null, 100))).extracting(InvocationRecord::id)
          .containsExactly("r4", "r3", "r2");
    }
  }

  private static InvocationRecord record(String id, String function, String status, String trigger, Instant at) {
    return new InvocationRecord(id, function, "sha", trigger, status, at, 1.5, 2, -1, 0, 0, 128, 10, false, "{}", "{}",
        status.equals("ok") ? null : "Error", "START …\n", 1);
  }
}
