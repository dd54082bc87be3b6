package example.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentNamesTest {
  @TempDir
  Path dir;

  @Test
  void putsTheHashBeforeTheExtensionAndKeepsDirectories() {
    assertThat(ContentNames.renamed("tapir.jpg", "abc")).isEqualTo("tapir-abc.jpg");
    assertThat(ContentNames.renamed("img/a.b/tapir.min.js", "abc")).isEqualTo("img/a.b/tapir.min-abc.js");
    assertThat(ContentNames.renamed("LICENSE", "abc")).isEqualTo("LICENSE-abc");
    assertThat(ContentNames.renamed(".env", "abc")).isEqualTo(".env-abc");
  }

  @Test
  void hashesTheFileContent() throws Exception {
    Path file = Files.writeString(dir.resolve("f.txt"), "hello");
    assertThat(ContentNames.md5(file)).isEqualTo("5d41402abc4b2a76b9719d911017c592");
  }

  @Test
  void guessesContentTypesFromNames() {
    assertThat(ContentNames.contentType("x/TAPIR.JPG")).isEqualTo("image/jpeg");
    assertThat(ContentNames.contentType("notes.txt")).isEqualTo("text/plain");
    assertThat(ContentNames.contentType("blob")).isEqualTo("application/octet-stream");
  }
}
