package dev.tarsier.gateway.s3;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/** Where {@code @TempDir} puts a store's data directory, when the file system under it matters. */
final class TempDirs {
  private TempDirs() {}

  /** Under {@code target/}: the disk, as a platform's data directory is, which takes direct I/O. */
  static final class OnDisk implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws Exception {
      return Files.createTempDirectory(Path.of("target").toAbsolutePath(), "store-");
    }
  }

  /** Under {@code /dev/shm}: a tmpfs. */
  static final class InMemory implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws Exception {
      return Files.createTempDirectory(Path.of("/dev/shm"), "store-");
    }
  }
}
