package dev.tarsier.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A real Vert.x and a data directory on the disk. */
class UploadSinkTest {
  private Vertx vertx;
  @TempDir(factory = TempDirs.OnDisk.class)
  private Path dataDir;
  private Blobs blobs;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    blobs = new Blobs(dataDir);
    blobs.prepare();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * Sizes up to the hold limit (nothing at all, either side of the first guess of 1 KiB) and past it (as
   * whole and partial write batches), each declared up front or not.
   */
  static Stream<Arguments> sizes() {
    int batch = UploadSink.BATCH;
    return declaredOrNot(0, 1, 1023, 1025, 70_000, UploadSink.HOLD_LIMIT,
        UploadSink.HOLD_LIMIT + 1, batch, 2 * batch + 1, 3 * batch - 1, 5 * batch + 12_345);
  }

  @ParameterizedTest(name = "{0} bytes, declared: {1}")
  @MethodSource("sizes")
  void aBodyIsStagedWholeAndDigestedOnceWhateverItsSizeAndPieces(int size, boolean declared) throws Exception {
    // Up to the hold limit the body stays in memory; past it, the held bytes go first, then whole and
    // partial write batches. Held bytes are digested on the event loop, the rest on workers, each byte once.
    byte[] body = randomBody(size);
    BodyDigests digests = new BodyDigests(null, true);
    StagedBody staged = stage(body, declared ? size : -1, digests);
    byte[] stagedBytes;
    if (size <= UploadSink.HOLD_LIMIT) {
      assertThat(staged).isInstanceOf(StagedBody.Held.class);
      StagedBody.Held held = (StagedBody.Held) staged;
      stagedBytes = Arrays.copyOf(held.bytes(), held.length());
    } else {
      assertThat(staged).isInstanceOf(StagedBody.Spilled.class);
      Path file = ((StagedBody.Spilled) staged).file();
      assertThat(Files.size(file)).isEqualTo(size);
      stagedBytes = Files.readAllBytes(file);
    }
    assertThat(stagedBytes).isEqualTo(body);
    BodyDigests.Result result = digests.finish();
    assertThat(result.size()).isEqualTo(size);
    assertThat(result.md5()).isEqualTo(MessageDigest.getInstance("MD5").digest(body));
    assertThat(result.sha256()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(body));
  }

  private static Stream<Arguments> declaredOrNot(int... sizes) {
    return Arrays.stream(sizes).boxed().flatMap(size -> Stream.of(Arguments.of(size, true), Arguments.of(size, false)));
  }

  private static byte[] randomBody(int size) {
    byte[] body = new byte[size];
    new Random(size).nextBytes(body);
    return body;
  }

  @Test
  void aSpillThatCannotBeWrittenFailsTheBodyInsteadOfHangingIt() throws Exception {
    // With the temporary directory gone, the spill file cannot be created: every piece after it fails,
    // the writer is not left paused, and finishing reports the failure.
    Files.delete(dataDir.resolve("objects").resolve("tmp"));
    byte[] body = randomBody(8 * UploadSink.BATCH);
    assertThatThrownBy(() -> stage(body, body.length, new BodyDigests(null, false)))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  /** Writes {@code body} in uneven pieces on an event loop, as a request would, and finishes. */
  private StagedBody stage(byte[] body, long declared, BodyDigests digests) throws Exception {
    Context context = vertx.getOrCreateContext();
    Promise<StagedBody> staged = Promise.promise();
    context.runOnContext(ignored -> {
      UploadSink sink = new UploadSink(vertx, blobs, digests, declared);
      writeFrom(sink, body, 0, staged);
    });
    return staged.future().await(30, TimeUnit.SECONDS);
  }

  private static void writeFrom(UploadSink sink, byte[] body, int offset, Promise<StagedBody> staged) {
    int position = offset;
    int piece = 1;
    while (position < body.length) {
      int length = Math.min(body.length - position, 1 + (piece++ * 7919) % 70_000);
      sink.write(Buffer.buffer(Arrays.copyOfRange(body, position, position + length)));
      position += length;
      if (sink.full()) {
        int resumeAt = position;
        sink.onDrain(() -> writeFrom(sink, body, resumeAt, staged));
        return;
      }
    }
    Future<StagedBody> finished = sink.finish();
    finished.onComplete(staged);
  }
}
