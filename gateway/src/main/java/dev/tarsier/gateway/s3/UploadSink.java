package dev.tarsier.gateway.s3;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Where a decoded upload goes while it streams in, digested on the way. Held in memory up to
 * {@link #HOLD_LIMIT} (so a small object costs one trip to a worker, at commit) and digested on the event
 * loop; beyond that, spilled to a temporary file in {@link #BATCH}-sized pieces. Each piece goes down two
 * lines of worker tasks, each line in order: one digests it, the other writes it. So a large upload's
 * digests run beside the socket reads instead of between them, the file is written in large pieces by one
 * thread at a time (Vert.x's AsyncFile wrote each network buffer from whichever of 20 workers was free; a
 * 97 MB PutObject took about 850 ms of CPU that way, 650 ms with one line), and the MD5 of one piece no
 * longer waits for the write of the one before (on a virtual machine, filling fresh page cache costs about
 * as much as the digest). The request is paused while {@link #BATCHES_IN_FLIGHT} pieces wait, so memory
 * per upload stays bounded whatever the object's size. Event-loop confined, apart from what the queued
 * pieces do on workers.
 */
final class UploadSink {
  static final int HOLD_LIMIT = 256 * 1024;
  static final int BATCH = 512 * 1024;
  static final int BATCHES_IN_FLIGHT = 4;
  private final Vertx vertx;
  private final Blobs blobs;
  private final BodyDigests digests;
  private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
  private long size;
  /** The body while it is held: {@code heldLength} bytes of {@code held}. */
  private byte[] held;
  private int heldLength;
  private Path spillPath;
  /** The last queued write to the spill file, null until the body spills; each starts when the one before it succeeded. */
  private Future<Void> writing;
  /** The last queued digest of a spilled piece; each starts when the one before it succeeded. */
  private Future<Void> digesting;
  /** Touched by the queued writes only, one at a time. */
  private FileChannel channel;
  private byte[] batch;
  private int batchLength;
  private int inFlight;
  private Throwable failure;
  private Runnable waiting;
  private boolean discarded;

  /** {@code expectedSize} is the declared size, or -1 when unknown. */
  UploadSink(Vertx vertx, Blobs blobs, BodyDigests digests, long expectedSize) {
    this.vertx = vertx;
    this.blobs = blobs;
    this.digests = digests;
    // Sized up front when the client said how much is coming, so a held body is not copied as it grows.
    this.held = new byte[expectedSize >= 0 && expectedSize <= HOLD_LIMIT ? (int) expectedSize : 1024];
    if (expectedSize > HOLD_LIMIT) {
      spill();
    }
  }

  /** Bytes written so far. */
  long size() {
    return size;
  }

  void write(Buffer data) {
    size += data.length();
    if (failure != null || discarded) {
      return;
    }
    if (writing == null) {
      // Copied once, into the array that is digested here and written at commit.
      int length = data.length();
      if (heldLength + length > held.length) {
        held = Arrays.copyOf(held, Math.max(heldLength + length, 2 * held.length));
      }
      data.getBytes(0, length, held, heldLength);
      digests.update(held, heldLength, length);
      heldLength += length;
      if (heldLength > HOLD_LIMIT) {
        spill();
      }
      return;
    }
    int offset = 0;
    while (offset < data.length()) {
      if (batch == null) {
        batch = spare.isEmpty() ? new byte[BATCH] : spare.poll();
      }
      int length = Math.min(data.length() - offset, BATCH - batchLength);
      data.getBytes(offset, offset + length, batch, batchLength);
      offset += length;
      batchLength += length;
      if (batchLength == BATCH) {
        queueBatch();
      }
    }
  }

  /** True when the writer should pause until {@link #onDrain} calls back. */
  boolean full() {
    return failure == null && inFlight >= BATCHES_IN_FLIGHT;
  }

  void onDrain(Runnable resume) {
    waiting = resume;
  }

  /**
   * Everything written so far, staged and digested (finish the digests only after this completes); fails
   * if a spill write failed.
   */
  Future<StagedBody> finish() {
    if (writing == null) {
      return Future.succeededFuture(new StagedBody.Held(held, heldLength));
    }
    if (batchLength > 0) {
      queueBatch();
    }
    Path path = spillPath;
    return Future.all(digesting, writing).compose(ignored -> vertx.<StagedBody>executeBlocking(() -> {
      channel.close();
      return new StagedBody.Spilled(path);
    }, false)).recover(failed -> {
      discard();
      return Future.failedFuture(failed);
    });
  }

  /** Drops whatever was staged, once the queued work is done; safe to call more than once. */
  void discard() {
    held = null;
    if (discarded || writing == null) {
      discarded = true;
      return;
    }
    discarded = true;
    Path path = spillPath;
    Future.join(digesting, writing).eventually(() -> vertx.executeBlocking(() -> {
      if (channel != null) {
        channel.close();
      }
      return Files.deleteIfExists(path);
    }, false));
  }

  /** From here on, bytes go to a temporary file; the held ones (already digested) go first. */
  private void spill() {
    spillPath = blobs.tempFile();
    Path path = spillPath;
    byte[] first = held;
    int firstLength = heldLength;
    held = null;
    inFlight++;
    digesting = Future.succeededFuture();
    writing = vertx.executeBlocking(() -> {
      channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      writeFully(ByteBuffer.wrap(first, 0, firstLength));
      return null;
    }, false);
    whenDone(writing, null);
  }

  /** Queues the current batch on both lines; it counts as in flight, and is recycled, once both are done with it. */
  private void queueBatch() {
    byte[] bytes = batch;
    int length = batchLength;
    batch = null;
    batchLength = 0;
    inFlight++;
    digesting = digesting.compose(ignored -> vertx.executeBlocking(() -> {
      digests.update(bytes, 0, length);
      return null;
    }, false));
    writing = writing.compose(ignored -> vertx.executeBlocking(() -> {
      writeFully(ByteBuffer.wrap(bytes, 0, length));
      return null;
    }, false));
    whenDone(Future.join(digesting, writing), bytes);
  }

  /** Once {@code done} completes (on the event loop): no longer in flight, {@code bytes} recycled, the writer resumed. */
  private void whenDone(Future<?> done, byte[] bytes) {
    done.onComplete(result -> {
      inFlight--;
      if (result.failed() && failure == null) {
        failure = result.cause();
      }
      if (bytes != null && spare.size() < BATCHES_IN_FLIGHT) {
        spare.push(bytes);
      }
      if (waiting != null && !full()) {
        Runnable resume = waiting;
        waiting = null;
        resume.run();
      }
    });
  }

  private void writeFully(ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }
}
