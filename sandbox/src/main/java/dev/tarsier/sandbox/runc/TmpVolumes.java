package dev.tarsier.sandbox.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * {@link TmpVolume}s made ahead, a couple for each size in use, so that a cold start takes a mounted one
 * instead of waiting about 25 ms for {@code mkfs} and {@code mount}; each is used by one sandbox only and
 * removed with it. Each lives in its own directory under {@code root}, which start-up empties.
 * Thread-safe; {@link #take} and {@link #release} block.
 */
public final class TmpVolumes implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(TmpVolumes.class.getName());
  /** Volumes kept ready for each size: enough for a burst of cold starts while more are made. */
  private static final int AHEAD = 2;
  private final Path root;
  private final ExecutorService maker = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("tarsier-tmp-volumes").factory());
  private final Map<Integer, ArrayDeque<Path>> ready = new HashMap<>();
  private final AtomicLong next = new AtomicLong();
  private boolean closed;

  public TmpVolumes(Path root) {
    this.root = root;
  }

  /** A fresh volume of {@code sizeMb}, mounted at {@link #mountPoint} of the directory returned. */
  public Path take(int sizeMb) throws IOException {
    Path volume;
    synchronized (this) {
      ArrayDeque<Path> made = ready.get(sizeMb);
      volume = made == null ? null : made.pollFirst();
    }
    if (volume == null) {
      volume = make(sizeMb);
    }
    synchronized (this) {
      if (!closed) {
        makeAhead(sizeMb);
      }
    }
    return volume;
  }

  /** Where the volume in {@code volume} is mounted: what the container binds at {@code /tmp}. */
  public static Path mountPoint(Path volume) {
    return TmpVolume.mountPoint(volume);
  }

  /** Unmounts a volume {@link #take} gave and deletes it. */
  public static void release(Path volume) throws IOException {
    TmpVolume.remove(volume);
  }

  private void makeAhead(int sizeMb) {
    maker.execute(() -> {
      while (true) {
        synchronized (this) {
          if (closed || ready.computeIfAbsent(sizeMb, size -> new ArrayDeque<>()).size() >= AHEAD) {
            return;
          }
        }
        Path volume;
        try {
          volume = make(sizeMb);
        } catch (IOException e) {
          LOG.warning("could not make a /tmp volume ahead; the next cold start makes its own: " + e.getMessage());
          return;
        }
        boolean kept;
        synchronized (this) {
          kept = !closed && ready.get(sizeMb).add(volume);
        }
        if (!kept) {
          releaseQuietly(volume);
          return;
        }
      }
    });
  }

  private Path make(int sizeMb) throws IOException {
    Path volume = Files.createDirectories(root.resolve("v" + next.incrementAndGet()));
    TmpVolume.create(volume, sizeMb);
    return volume;
  }

  /** Stops making volumes and removes those not taken. */
  @Override
  public void close() {
    List<Path> left = new ArrayList<>();
    synchronized (this) {
      closed = true;
      ready.values().forEach(left::addAll);
      ready.clear();
    }
    maker.shutdown();
    try {
      maker.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    left.forEach(TmpVolumes::releaseQuietly);
  }

  private static void releaseQuietly(Path volume) {
    try {
      release(volume);
    } catch (IOException e) {
      LOG.warning("could not remove the /tmp volume " + volume + ": " + e.getMessage());
    }
  }
}
