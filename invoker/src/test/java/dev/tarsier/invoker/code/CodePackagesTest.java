package dev.tarsier.invoker.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarsier.invoker.LambdaFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodePackagesTest {
  @TempDir
  Path root;

  @Test
  void storesByHashAndUnpacksReadOnly() throws IOException {
    byte[] zip = zip(new Entry("index.js", "exports.handler = () => 1;"), new Entry("lib/util.js", "module.exports = 2;"));
    CodePackages.Stored stored = new CodePackages(root).store(zip);
    assertThat(stored.sha256()).hasSize(64);
    assertThat(stored.dir()).isEqualTo(root.resolve(stored.sha256()));
    assertThat(Files.readString(stored.dir().resolve("lib/util.js"))).isEqualTo("module.exports = 2;");
    assertThat(Files.getPosixFilePermissions(stored.dir().resolve("index.js")).toString()).doesNotContain("WRITE");
  }

  @Test
  void storingTheSameBytesTwiceReusesTheFirstCopy() throws IOException {
    byte[] zip = zip(new Entry("a.txt", "a"));
    CodePackages packages = new CodePackages(root);
    assertThat(packages.store(zip).dir()).isEqualTo(packages.store(zip).dir());
  }

  @Test
  void refusesEntriesThatEscapeTheRoot() throws IOException {
    assertRefused(zip(new Entry("../evil.txt", "x")), "escapes the package root");
    assertRefused(zip(new Entry("a/../../evil.txt", "x")), "escapes the package root");
  }

  @Test
  void refusesAbsolutePaths() throws IOException {
    assertRefused(zip(new Entry("/etc/passwd", "x")), "absolute path");
  }

  @Test
  void refusesDuplicateNames() throws IOException {
    assertRefused(zipAllowingDuplicates("same.txt", "same.txt"), "appears twice");
  }

  @Test
  void refusesSymbolicLinks() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      ZipEntry link = new ZipEntry("link");
      // Info-ZIP Unix extra field: id 0x756e, size 6: crc(4) mode(2) with S_IFLNK.
      int mode = 0120777;
      link.setExtra(new byte[] {0x6e, 0x75, 6, 0, 0, 0, 0, 0, (byte) (mode & 0xff), (byte) (mode >> 8)});
      out.putNextEntry(link);
      out.write("/etc/passwd".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    assertRefused(bytes.toByteArray(), "symbolic link");
  }

  @Test
  void refusesWhatIsNotAZip() {
    assertRefused("plain text, not a zip".getBytes(StandardCharsets.UTF_8), "Could not unzip");
  }

  @Test
  void refusesAZipBombWhileUnpackingWithoutTrustingHeaders() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] zeros = new byte[1024 * 1024];
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.putNextEntry(new ZipEntry("bomb.bin"));
      for (int i = 0; i < 251; i++) {
        out.write(zeros);
      }
      out.closeEntry();
    }
    assertThat(bytes.size()).as("the bomb is small zipped").isLessThan(1024 * 1024);
    assertRefused(bytes.toByteArray(), "Unzipped size must be smaller than");
  }

  @Test
  void refusesZipsOverFiftyMegabytes() {
    byte[] big = new byte[(int) CodePackages.MAX_ZIPPED_BYTES + 1];
    assertThatThrownBy(() -> new CodePackages(root).store(big)).isInstanceOf(LambdaFailure.RequestEntityTooLarge.class);
  }

  private void assertRefused(byte[] zip, String message) {
    assertThatThrownBy(() -> new CodePackages(root).store(zip))
        .isInstanceOf(LambdaFailure.InvalidParameterValue.class)
        .hasMessageContaining(message);
    try (var left = Files.list(root)) {
      assertThat(left.toList()).as("nothing half-stored").isEmpty();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private record Entry(String name, String content) {}

  private static byte[] zip(Entry... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Entry entry : entries) {
        out.putNextEntry(new ZipEntry(entry.name()));
        out.write(entry.content().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** ZipOutputStream refuses duplicate names, so the second entry is renamed in the bytes afterwards. */
  private static byte[] zipAllowingDuplicates(String first, String second) throws IOException {
    byte[] zip = zip(new Entry(first, "1"), new Entry(second.replace('s', 'z'), "2"));
    String text = new String(zip, StandardCharsets.ISO_8859_1).replace(second.replace('s', 'z'), second);
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
