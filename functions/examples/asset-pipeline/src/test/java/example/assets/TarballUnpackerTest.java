package example.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarballUnpackerTest {
  @TempDir
  Path dir;

  @Test
  void extractsNestedFilesWithSpacesAndUtf8Names() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("tapir.jpg", Tarballs.text("jpeg bytes"));
    entries.put("docs/read me.txt", Tarballs.text("hello"));
    entries.put("docs/ñandú/köln.md", Tarballs.text("# hi"));
    entries.put("empty.txt", new byte[0]);
    Path tarball = Tarballs.of(dir.resolve("a.tgz"), entries);
    var files = new TarballUnpacker(1 << 20).unpack(tarball, dir.resolve("out"));
    assertThat(files).extracting(file -> file.path().toString())
        .containsExactly("tapir.jpg", "docs/read me.txt", "docs/ñandú/köln.md", "empty.txt");
    assertThat(files).extracting(TarballUnpacker.Unpacked::md5Hex).as("each file's MD5, taken while it was written")
        .containsExactly(md5("jpeg bytes"), "5d41402abc4b2a76b9719d911017c592", md5("# hi"), "d41d8cd98f00b204e9800998ecf8427e");
    assertThat(Files.readString(dir.resolve("out/docs/ñandú/köln.md"))).isEqualTo("# hi");
    assertThat(Files.size(dir.resolve("out/empty.txt"))).isZero();
  }

  @Test
  void aFileTooLargeToHandOverIsWrittenInItsPlaceAmongSmallOnes() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    byte[] large = new byte[TarballUnpacker.HELD_BYTES + 1];
    large[large.length - 1] = 7;
    entries.put("before.txt", Tarballs.text("before"));
    entries.put("large.bin", large);
    entries.put("after.txt", Tarballs.text("after"));
    Path tarball = Tarballs.of(dir.resolve("large.tgz"), entries);

    var files = new TarballUnpacker(1L << 30).unpack(tarball, dir.resolve("out"));

    assertThat(files).extracting(file -> file.path().toString()).containsExactly("before.txt", "large.bin", "after.txt");
    assertThat(files).extracting(TarballUnpacker.Unpacked::md5Hex)
        .containsExactly(md5("before"), HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(large)), md5("after"));
    assertThat(Files.readAllBytes(dir.resolve("out/large.bin"))).isEqualTo(large);
    assertThat(Files.readString(dir.resolve("out/after.txt"))).isEqualTo("after");
  }

  @Test
  void aFileThatCannotBeWrittenFailsTheUnpackingAndLeavesNoWriterBehind() throws Exception {
    Files.createDirectories(dir.resolve("out/taken"));
    Path tarball = Tarballs.of(dir.resolve("a.tgz"), Map.of("taken", Tarballs.text("a directory is in the way")));

    assertThatThrownBy(() -> new TarballUnpacker(1 << 20).unpack(tarball, dir.resolve("out")))
        .isInstanceOf(IOException.class).hasMessageContaining("taken");

    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName().equals("tarball-writer"));
  }

  private static String md5(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Tarballs.text(text)));
  }

  @Test
  void refusesEntriesThatEscape() throws Exception {
    Path tarball = Tarballs.of(dir.resolve("evil.tgz"), Map.of("../evil", Tarballs.text("x")));
    assertThatThrownBy(() -> new TarballUnpacker(1 << 20).unpack(tarball, dir.resolve("out")))
        .isInstanceOf(TarballUnpacker.RefusedTarball.class).hasMessageContaining("../evil");
    assertThat(dir.resolve("evil")).doesNotExist();
  }

  @Test
  void refusesLinks() throws Exception {
    Path tarball = Tarballs.withSymlink(dir.resolve("link.tgz"), "passwd", "/etc/passwd");
    assertThatThrownBy(() -> new TarballUnpacker(1 << 20).unpack(tarball, dir.resolve("out")))
        .isInstanceOf(TarballUnpacker.RefusedTarball.class).hasMessageContaining("link");
  }

  @Test
  void refusesMoreBytesThanAllowedWhileExtracting() throws Exception {
    Path tarball = Tarballs.of(dir.resolve("big.tgz"), Map.of("zeros.bin", new byte[4096]));
    assertThatThrownBy(() -> new TarballUnpacker(1000).unpack(tarball, dir.resolve("out")))
        .isInstanceOf(TarballUnpacker.RefusedTarball.class).hasMessageContaining("more than 1000 bytes");
  }
}
