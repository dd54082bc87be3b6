package dev.tarsier.gateway.notifications;

import dev.tarsier.gateway.s3.NotificationConfigs;
import dev.tarsier.gateway.s3.ObjectChanged;
import dev.tarsier.gateway.s3.ObjectEvents;
import dev.tarsier.invoker.EmbeddedInvoker;
import dev.tarsier.invoker.FunctionKeys;
import dev.tarsier.invoker.Invoker;
import dev.tarsier.invoker.Trigger;
import dev.tarsier.invoker.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bucket notification configurations and the events they cause. An object change is turned into one
 * queued event per matching rule inside the transaction that commits the change, so nothing is lost
 * between "stored" and "will be delivered"; the queue then invokes each function asynchronously, with
 * retries. Rules are cached in memory; writes go to the state store.
 */
public final class BucketNotifications implements ObjectEvents, NotificationConfigs {
  /** Lambda stops a recursive loop after about 16 invocations; so does this. */
  static final int MAX_DEPTH = 16;
  private static final Pattern FUNCTION_ARN = Pattern.compile("arn:aws:lambda:[a-z0-9-]*:\\d{12}:function:([a-zA-Z0-9_-]{1,64})(:\\$LATEST)?");

  private final Vertx vertx;
  private final StateStore store;
  private final Invoker invoker;
  private final EmbeddedInvoker queue;
  private final Clock clock;
  private final String region;
  private final Map<String, List<NotificationRule>> rules = new ConcurrentHashMap<>();

  private BucketNotifications(Vertx vertx, StateStore store, Invoker invoker, EmbeddedInvoker queue, Clock clock, String region) {
    this.vertx = vertx;
    this.store = store;
    this.invoker = invoker;
    this.queue = queue;
    this.clock = clock;
    this.region = region;
  }

  public static Future<BucketNotifications> open(Vertx vertx, StateStore store, EmbeddedInvoker invoker, Clock clock, String region) {
    BucketNotifications notifications = new BucketNotifications(vertx, store, invoker, invoker, clock, region);
    return vertx.executeBlocking(() -> {
      notifications.load();
      return notifications;
    });
  }

  private void load() throws SQLException {
    store.inTransaction(connection -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE IF NOT EXISTS bucket_notifications (bucket TEXT PRIMARY KEY, rules TEXT NOT NULL)");
        try (ResultSet rows = statement.executeQuery("SELECT bucket, rules FROM bucket_notifications")) {
          while (rows.next()) {
            rules.put(rows.getString(1), fromJson(new JsonArray(rows.getString(2))));
          }
        }
      }
      return null;
    });
  }

  /**
   * PutBucketNotificationConfiguration: validates (functions exist unless {@code skipValidation}, no
   * ambiguous overlaps), replaces the bucket's rules, then queues an {@code s3:TestEvent} to each function.
   */
  @Override
  public Future<Void> put(String bucket, byte[] xml, boolean skipValidation) {
    List<NotificationRule> parsed;
    try {
      parsed = NotificationXml.parse(xml, BucketNotifications::functionName);
      checkOverlaps(parsed);
    } catch (NotificationXml.Invalid e) {
      return Future.failedFuture(new Refused(e.code, e.getMessage()));
    }
    Set<String> functions = new LinkedHashSet<>();
    parsed.forEach(rule -> functions.add(rule.function()));
    Future<Void> validated = Future.succeededFuture();
    if (!skipValidation) {
      for (String function : functions) {
        validated = validated.compose(v -> invoker.getFunction(function).<Void>mapEmpty().recover(missing -> Future.failedFuture(
            new Refused("InvalidArgument", "Unable to validate the following destination configurations: function " + function
                + " does not exist"))));
      }
    }
    return validated.compose(v -> vertx.<Void>executeBlocking(() -> {
      Instant now = clock.instant();
      store.inTransaction(connection -> {
        try (PreparedStatement statement = connection.prepareStatement(parsed.isEmpty()
            ? "DELETE FROM bucket_notifications WHERE bucket = ?"
            : "INSERT INTO bucket_notifications (bucket, rules) VALUES (?, ?) ON CONFLICT (bucket) DO UPDATE SET rules = excluded.rules")) {
          statement.setString(1, bucket);
          if (!parsed.isEmpty()) {
            statement.setString(2, toJson(parsed).encode());
          }
          statement.executeUpdate();
        }
        for (String function : functions) {
          EmbeddedInvoker.enqueue(connection, function, testEvent(bucket, now), Trigger.S3, UUID.randomUUID().toString(), now, 0);
        }
        return null;
      });
      if (parsed.isEmpty()) {
        rules.remove(bucket);
      } else {
        rules.put(bucket, parsed);
      }
      return null;
    })).onSuccess(v -> {
      if (!functions.isEmpty()) {
        queue.wake();
      }
    });
  }

  /** GetBucketNotificationConfiguration's XML. */
  @Override
  public String xml(String bucket) {
    return NotificationXml.write(rules.getOrDefault(bucket, List.of()));
  }

  public List<NotificationRule> rules(String bucket) {
    return rules.getOrDefault(bucket, List.of());
  }

  /**
   * Queues one event per rule matching {@code change}, inside the caller's transaction. Returns how
   * many were queued; call {@link #wake()} after the transaction commits when it is more than zero.
   */
  public int enqueue(Connection transaction, S3EventRecords.ObjectChange change) throws SQLException {
    List<NotificationRule> matching = matching(change.bucket(), change.eventName(), change.key());
    enqueue(transaction, change, matching, 0);
    return matching.size();
  }

  /** The bucket's rules that {@code eventName} on {@code key} matches, in their order. */
  private List<NotificationRule> matching(String bucket, String eventName, String key) {
    return rules(bucket).stream().filter(rule -> rule.matches(eventName, key)).toList();
  }

  /** Queues one event per rule in {@code matching}, {@code depth} levels below the event that caused the change. */
  private void enqueue(Connection transaction, S3EventRecords.ObjectChange change, List<NotificationRule> matching, int depth)
      throws SQLException {
    for (NotificationRule rule : matching) {
      byte[] payload = S3EventRecords.message(change, region, rule.id()).encode().getBytes(StandardCharsets.UTF_8);
      // The event's age counts from now, when it was accepted, not from when the object changed elsewhere.
      EmbeddedInvoker.enqueue(transaction, rule.function(), payload, Trigger.S3, UUID.randomUUID().toString(), clock.instant(), depth);
    }
  }

  /** Queues {@code change} for one function regardless of rules (the webhook's direct form). */
  public void enqueueTo(Connection transaction, String function, S3EventRecords.ObjectChange change, String configurationId)
      throws SQLException {
    byte[] payload = S3EventRecords.message(change, region, configurationId).encode().getBytes(StandardCharsets.UTF_8);
    EmbeddedInvoker.enqueue(transaction, function, payload, Trigger.S3, UUID.randomUUID().toString(), clock.instant(), 0);
  }

  /** Tells the queue that events were committed. */
  public void wake() {
    queue.wake();
  }

  /** The object store's seam: the change's events are queued in its own transaction. */
  @Override
  public boolean committing(Connection transaction, ObjectChanged change) throws SQLException {
    // Most changes match no rule (a function's own uploads, say): nothing to queue, and no loop to stop.
    List<NotificationRule> matching = matching(change.bucket(), change.eventName(), change.key());
    if (matching.isEmpty()) {
      return false;
    }
    // A write by a function that a bucket event is running is one level deeper than that event.
    String writer = FunctionKeys.functionOf(change.accessKey());
    int depth = writer == null ? 0 : queue.eventDepth(writer) + 1;
    if (depth >= MAX_DEPTH) {
      queue.loopStopped(writer, change.bucket(), change.key(), depth);
      return false;
    }
    enqueue(transaction, new S3EventRecords.ObjectChange(change.bucket(), change.key(), change.size(),
        change.eTag() == null ? "" : change.eTag(), change.eventName(), change.sequencer(), change.requestId(), change.sourceIp(),
        change.time()), matching, depth);
    return true;
  }

  @Override
  public void committed() {
    wake();
  }

  @Override
  public void bucketDeleted(Connection transaction, String bucket) throws SQLException {
    forget(transaction, bucket);
  }

  /** Forgets a deleted bucket's rules (blocking). */
  public void forget(Connection transaction, String bucket) throws SQLException {
    try (PreparedStatement statement = transaction.prepareStatement("DELETE FROM bucket_notifications WHERE bucket = ?")) {
      statement.setString(1, bucket);
      statement.executeUpdate();
    }
    rules.remove(bucket);
  }

  static String functionName(String arn) {
    Matcher matcher = FUNCTION_ARN.matcher(arn);
    if (matcher.matches()) {
      return matcher.group(1);
    }
    return arn.matches("[a-zA-Z0-9_-]{1,64}") ? arn : null;
  }

  /** S3's rule: rules whose events intersect must not have both overlapping prefixes and overlapping suffixes. */
  private static void checkOverlaps(List<NotificationRule> rules) {
    for (int i = 0; i < rules.size(); i++) {
      for (int j = i + 1; j < rules.size(); j++) {
        NotificationRule a = rules.get(i);
        NotificationRule b = rules.get(j);
        boolean prefixes = a.prefix().startsWith(b.prefix()) || b.prefix().startsWith(a.prefix());
        boolean suffixes = a.suffix().endsWith(b.suffix()) || b.suffix().endsWith(a.suffix());
        if (prefixes && suffixes && EventNames.intersect(a.events(), b.events())) {
          throw new NotificationXml.Invalid("InvalidArgument", "Configuration is ambiguously defined. Cannot have overlapping suffixes "
              + "in two rules if the prefixes are overlapping for the same event type.");
        }
      }
    }
  }

  private byte[] testEvent(String bucket, Instant now) {
    return new JsonObject()
        .put("Service", "Amazon S3")
        .put("Event", "s3:TestEvent")
        .put("Time", now.toString())
        .put("Bucket", bucket)
        .put("RequestId", UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase())
        .put("HostId", "tarsier")
        .encode().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonArray toJson(List<NotificationRule> rules) {
    JsonArray array = new JsonArray();
    for (NotificationRule rule : rules) {
      array.add(new JsonObject().put("id", rule.id()).put("arn", rule.functionArn()).put("function", rule.function())
          .put("events", new JsonArray(rule.events())).put("prefix", rule.prefix()).put("suffix", rule.suffix()));
    }
    return array;
  }

  private static List<NotificationRule> fromJson(JsonArray array) {
    List<NotificationRule> parsed = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonObject rule = array.getJsonObject(i);
      List<String> events = new ArrayList<>();
      rule.getJsonArray("events").forEach(event -> events.add((String) event));
      parsed.add(new NotificationRule(rule.getString("id"), rule.getString("arn"), rule.getString("function"), events,
          rule.getString("prefix"), rule.getString("suffix")));
    }
    return parsed;
  }
}
