package dev.tarsier.gateway.s3;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Path;

/**
 * Where a decoded upload goes while it streams in: held in memory up to {@link #HOLD_LIMIT} (so a small
 * object costs one trip to a worker, at commit), spilled to a temporary file beyond that through an
 * {@link AsyncFile}, whose write queue pushes back on the request. Memory per upload stays bounded
 * whatever the object's size. Event-loop confined.
 */
final class UploadSink {
  static final int HOLD_LIMIT = 256 * 1024;
  private final Vertx vertx;
  private final Blobs blobs;
  private Buffer held = Buffer.buffer();
  private Path spillPath;
  private Future<AsyncFile> opening;
  private AsyncFile file;
  private Throwable failure;
  private Runnable waiting;

  /** {@code expectedSize} is the declared size, or -1 when unknown. */
  UploadSink(Vertx vertx, Blobs blobs, long expectedSize) {
    this.vertx = vertx;
    this.blobs = blobs;
    if (expectedSize > HOLD_LIMIT) {
      spill();
    }
  }

  void write(Buffer data) {
    if (failure != null) {
      return;
    }
    if (file != null) {
      file.write(data).onFailure(this::failed);
      return;
    }
    held.appendBuffer(data);
    if (opening == null && held.length() > HOLD_LIMIT) {
      spill();
    }
  }

  /** True when the writer should pause until {@link #onDrain} calls back. */
  boolean full() {
    if (failure != null) {
      return false;
    }
    return file == null ? opening != null : file.writeQueueFull();
  }

  void onDrain(Runnable resume) {
    if (file == null) {
      waiting = resume;
    } else {
      file.drainHandler(ignored -> resume.run());
    }
  }

  /** Everything written so far, staged; fails if a spill write failed. */
  Future<StagedBody> finish() {
    if (opening == null) {
      return Future.succeededFuture(new StagedBody.Held(held));
    }
    return opening.compose(AsyncFile::close).compose(ignored -> failure != null
        ? Future.failedFuture(failure)
        : Future.succeededFuture(new StagedBody.Spilled(spillPath)));
  }

  /** Drops whatever was staged; safe to call more than once. */
  void discard() {
    held = null;
    if (opening != null) {
      Path path = spillPath;
      opening.onComplete(opened -> {
        Future<Void> closed = opened.succeeded() ? opened.result().close() : Future.succeededFuture();
        closed.onComplete(ignored -> vertx.fileSystem().delete(path.toString()));
      });
      opening = null;
    }
  }

  private void spill() {
    spillPath = blobs.tempFile();
    opening = vertx.fileSystem().open(spillPath.toString(), new OpenOptions().setCreateNew(true).setWrite(true));
    opening.onComplete(opened -> {
      if (opened.failed()) {
        failed(opened.cause());
        resumeWriter();
        return;
      }
      if (held == null) {
        return;
      }
      file = opened.result();
      file.write(held).onFailure(this::failed);
      held = null;
      if (waiting != null) {
        if (file.writeQueueFull()) {
          Runnable resume = waiting;
          waiting = null;
          file.drainHandler(ignored -> resume.run());
        } else {
          resumeWriter();
        }
      }
    });
  }

  private void resumeWriter() {
    Runnable resume = waiting;
    waiting = null;
    if (resume != null) {
      resume.run();
    }
  }

  private void failed(Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
  }
}
