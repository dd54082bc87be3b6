package dev.tarsier.gateway;

import static dev.tarsier.gateway.S3ObjectsIT.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarsier.gateway.s3.ObjectChanged;
import dev.tarsier.gateway.s3.ObjectEvents;
import dev.tarsier.gateway.s3.S3Api;
import dev.tarsier.invoker.store.StateStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * The notification seam: every committed change reaches {@link ObjectEvents} inside its own transaction.
 * The store is mounted on a router of its own here, with a listener that writes each change into a
 * table through the transaction's connection, as the real notification queue will.
 */
class S3EventsIT {
  private static Vertx vertx;
  private static StateStore state;
  private static HttpServer server;
  private static S3Client s3;
  private static Path dataDir;
  private static final java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();
  private static final List<String> deletedBuckets = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "events-");
    vertx = Vertx.vertx();
    state = StateStore.open(dataDir.resolve("state.db"));
    state.inTransaction(c -> c.createStatement().execute(
        "CREATE TABLE recorded (bucket TEXT, object_key TEXT, size INTEGER, etag TEXT, event TEXT, sequencer TEXT, request_id TEXT, source_ip TEXT)"));
    ObjectEvents recorder = new ObjectEvents() {
      @Override
      public boolean committing(java.sql.Connection transaction, ObjectChanged change) throws java.sql.SQLException {
        if (change.key().startsWith("refused")) {
          throw new java.sql.SQLException("the queue refused " + change.key());
        }
        try (PreparedStatement insert = transaction.prepareStatement("INSERT INTO recorded VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
          insert.setString(1, change.bucket());
          insert.setString(2, change.key());
          insert.setLong(3, change.size());
          insert.setString(4, change.eTag());
          insert.setString(5, change.eventName());
          insert.setString(6, change.sequencer());
          insert.setString(7, change.requestId());
          insert.setString(8, change.sourceIp());
          insert.executeUpdate();
        }
        return !change.key().startsWith("unrecorded");
      }

      @Override
      public void committed() {
        commits.incrementAndGet();
      }

      @Override
      public void bucketDeleted(java.sql.Connection transaction, String bucket) {
        deletedBuckets.add(bucket);
      }
    };
    Router router = Router.router(vertx);
    S3Api.mount(router, vertx, state, dataDir, recorder).await(30, TimeUnit.SECONDS);
    server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHandle100ContinueAutomatically(true))
        .requestHandler(router).listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
    s3 = S3Clients.virtualHost(server.actualPort());
    s3.createBucket(b -> b.bucket("events"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      server.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
      state.close();
    }
  }

  private record Recorded(String key, long size, String eTag, String event, String sequencer, String requestId, String sourceIp) {}

  @Test
  void everyKindOfChangeIsRecordedWithItsEventName() {
    String put = s3.putObject(b -> b.bucket("events").key("kinds/put"), RequestBody.fromString("12345")).eTag();
    s3.copyObject(b -> b.sourceBucket("events").sourceKey("kinds/put").destinationBucket("events").destinationKey("kinds/copy"));
    String uploadId = s3.createMultipartUpload(b -> b.bucket("events").key("kinds/multipart")).uploadId();
    String part = s3.uploadPart(b -> b.bucket("events").key("kinds/multipart").uploadId(uploadId).partNumber(1), RequestBody.fromString("p")).eTag();
    s3.completeMultipartUpload(b -> b.bucket("events").key("kinds/multipart").uploadId(uploadId)
        .multipartUpload(u -> u.parts(CompletedPart.builder().partNumber(1).eTag(part).build())));
    s3.deleteObject(b -> b.bucket("events").key("kinds/put"));
    s3.deleteObject(b -> b.bucket("events").key("kinds/never-existed"));
    s3.deleteObjects(b -> b.bucket("events").delete(d -> d.objects(ObjectIdentifier.builder().key("kinds/copy").build())));

    List<Recorded> recorded = recorded("kinds/");
    assertThat(recorded).extracting(Recorded::key, Recorded::event).containsExactly(
        org.assertj.core.groups.Tuple.tuple("kinds/put", ObjectChanged.PUT),
        org.assertj.core.groups.Tuple.tuple("kinds/copy", ObjectChanged.COPY),
        org.assertj.core.groups.Tuple.tuple("kinds/multipart", ObjectChanged.COMPLETE_MULTIPART_UPLOAD),
        org.assertj.core.groups.Tuple.tuple("kinds/put", ObjectChanged.DELETE),
        org.assertj.core.groups.Tuple.tuple("kinds/copy", ObjectChanged.DELETE));
    Recorded first = recorded.get(0);
    assertThat(first.size()).isEqualTo(5);
    assertThat(first.eTag()).as("unquoted, as event records carry it").isEqualTo(put.replace("\"", ""));
    assertThat(first.requestId()).isNotBlank();
    assertThat(first.sourceIp()).isEqualTo("127.0.0.1");
    assertThat(recorded.get(2).eTag()).endsWith("-1");
  }

  @Test
  void sequencersIncreaseForEveryChangeToAKey() {
    for (int i = 0; i < 5; i++) {
      s3.putObject(b -> b.bucket("events").key("sequenced"), RequestBody.fromString("v"));
    }
    s3.deleteObject(b -> b.bucket("events").key("sequenced"));
    List<String> sequencers = recorded("sequenced").stream().map(Recorded::sequencer).toList();
    assertThat(sequencers).hasSize(6).allMatch(s -> s.matches("[0-9A-F]{16}"));
    List<String> sorted = new ArrayList<>(sequencers);
    sorted.sort(String::compareTo);
    assertThat(sequencers).containsExactlyElementsOf(sorted).doesNotHaveDuplicates();
  }

  @Test
  void committedFollowsEachTransactionThatRecordedSomethingAndOnlyThose() {
    s3.createBucket(b -> b.bucket("committed"));
    int before = commits.get();
    s3.putObject(b -> b.bucket("committed").key("one"), RequestBody.fromString("1"));
    assertThat(commits.get()).isEqualTo(before + 1);
    s3.putObject(b -> b.bucket("committed").key("unrecorded"), RequestBody.fromString("2"));
    assertThat(commits.get()).as("a change the listener recorded nothing for").isEqualTo(before + 1);
    s3.deleteObject(b -> b.bucket("committed").key("unrecorded"));
    s3.deleteObject(b -> b.bucket("committed").key("never-there"));
    assertThat(commits.get()).as("deleting nothing changes nothing").isEqualTo(before + 1);
    s3.deleteObjects(b -> b.bucket("committed").delete(d -> d.objects(ObjectIdentifier.builder().key("one").build())));
    assertThat(commits.get()).isEqualTo(before + 2);
    s3.deleteBucket(b -> b.bucket("committed"));
    assertThat(deletedBuckets).contains("committed");
  }

  @Test
  void aListenerFailureRollsTheChangeBackAndLeavesNoBytes() throws Exception {
    long before = blobFiles();
    assertStatus(() -> s3.putObject(b -> b.bucket("events").key("refused"), RequestBody.fromString("never stored")), 500, "InternalError");
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("events").key("refused"))).isInstanceOf(NoSuchKeyException.class);
    assertThat(blobFiles()).isEqualTo(before);
  }

  private static List<Recorded> recorded(String prefix) {
    try {
      return state.read(c -> {
        List<Recorded> rows = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
            "SELECT object_key, size, etag, event, sequencer, request_id, source_ip FROM recorded WHERE object_key LIKE ? ORDER BY sequencer")) {
          select.setString(1, prefix + "%");
          try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              rows.add(new Recorded(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
            }
          }
        }
        return rows;
      });
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long blobFiles() throws Exception {
    try (Stream<Path> files = Files.walk(dataDir.resolve("objects/blobs"))) {
      return files.filter(Files::isRegularFile).count();
    }
  }
}
