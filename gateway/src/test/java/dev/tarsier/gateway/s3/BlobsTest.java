package dev.tarsier.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobsTest {
  /** Around one block, several blocks, and the largest body held in memory. */
  private static final int[] SIZES = {0, 1, 511, 4095, 4096, 4097, 100 * 1024 + 3, UploadSink.HOLD_LIMIT};

  @Test
  void heldBodiesWrittenWithDirectIoReadBackExactly(@TempDir(factory = TempDirs.OnDisk.class) Path dataDir) throws Exception {
    Blobs blobs = new Blobs(dataDir);
    blobs.prepare();
    assertThat(blobs.directWrites()).as("direct I/O on " + dataDir).isTrue();
    roundTrips(blobs, dataDir);
  }

  @Test
  void onTmpfsHeldBodiesReadBackExactlyToo(@TempDir(factory = TempDirs.InMemory.class) Path dataDir) throws Exception {
    // tmpfs takes O_DIRECT from Linux 6.6 on and refuses it before; either way, nothing may be lost.
    Blobs blobs = new Blobs(dataDir);
    blobs.prepare();
    roundTrips(blobs, dataDir);
  }

  private static void roundTrips(Blobs blobs, Path dataDir) throws Exception {
    Random random = new Random(11);
    for (int size : SIZES) {
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      String id = blobs.persist(new StagedBody.Held(bytes, bytes.length));
      assertThat(Files.readAllBytes(blobs.path(id))).as("%d bytes", size).isEqualTo(bytes);
    }
    try (Stream<Path> left = Files.list(dataDir.resolve("objects").resolve("tmp"))) {
      assertThat(left).as("temporary files, the direct I/O probe among them").isEmpty();
    }
  }
}
