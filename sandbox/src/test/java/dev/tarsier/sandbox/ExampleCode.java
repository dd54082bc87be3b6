package dev.tarsier.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The example functions' zips (functions/examples, built before this module), unpacked for a sandbox's /var/task. */
final class ExampleCode {
  private ExampleCode() {}

  static Path unpacked(String name, Path into) throws IOException {
    Path examples = Path.of(System.getProperty("tarsier.examples", "../functions/examples"));
    Path zip = examples.resolve(name).resolve("target").resolve(name + ".zip");
    if (!Files.exists(zip)) {
      throw new IllegalStateException(zip.toAbsolutePath() + " is missing: build functions/examples first");
    }
    Path dir = Files.createDirectories(into.resolve("code-" + name));
    try (ZipFile file = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        Path target = dir.resolve(entry.getName()).normalize();
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = file.getInputStream(entry)) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return dir;
  }
}
