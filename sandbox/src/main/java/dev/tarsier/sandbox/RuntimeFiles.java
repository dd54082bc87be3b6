package dev.tarsier.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * Writes the runtimes' own files into the data directory's {@code runtimes/} (mounted read-only at
 * {@code /var/runtime}). A file is replaced only when its bytes changed, and always by a rename, so a
 * sandbox that is starting never reads half a file. Blocking: call from a worker.
 */
final class RuntimeFiles {
  private RuntimeFiles() {}

  /** Installs the class-path resource {@code resource} (e.g. {@code runtimes/node/bootstrap.js}) at {@code target}. */
  static void install(String resource, Path target) throws IOException {
    byte[] bytes;
    try (InputStream in = RuntimeFiles.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new IOException("runtime file " + resource + " is missing from the platform's class path");
      }
      bytes = in.readAllBytes();
    }
    if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
      return;
    }
    Path partial = partialOf(target);
    Files.write(partial, bytes);
    replace(partial, target);
  }

  /** Copies {@code from} to {@code to} unless a file of the same size is there already (jars carry their version in their name). */
  static void copyIfChanged(Path from, Path to) throws IOException {
    if (Files.exists(to) && Files.size(to) == Files.size(from)) {
      return;
    }
    Path partial = partialOf(to);
    Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
    replace(partial, to);
  }

  /** Writes {@code in} to {@code to} once; a file already there is kept. */
  static void writeOnce(InputStream in, Path to) throws IOException {
    if (Files.exists(to)) {
      return;
    }
    Path partial = partialOf(to);
    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
    replace(partial, to);
  }

  private static Path partialOf(Path target) throws IOException {
    Files.createDirectories(target.getParent());
    // The sandbox's user owns nothing here: directories must be traversable by all, whatever the umask.
    Files.setPosixFilePermissions(target.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    return target.resolveSibling(target.getFileName() + ".partial");
  }

  private static void replace(Path partial, Path target) throws IOException {
    Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
