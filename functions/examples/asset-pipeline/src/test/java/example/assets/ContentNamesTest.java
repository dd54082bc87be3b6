package example.assets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentNamesTest {
  @Test
  void putsTheHashBeforeTheExtensionAndKeepsDirectories() {
    assertThat(ContentNames.renamed("tapir.jpg", "abc")).isEqualTo("tapir-abc.jpg");
    assertThat(ContentNames.renamed("img/a.b/tapir.min.js", "abc")).isEqualTo("img/a.b/tapir.min-abc.js");
    assertThat(ContentNames.renamed("LICENSE", "abc")).isEqualTo("LICENSE-abc");
    assertThat(ContentNames.renamed(".env", "abc")).isEqualTo(".env-abc");
  }

  @Test
  void guessesContentTypesFromNames() {
    assertThat(ContentNames.contentType("x/TAPIR.JPG")).isEqualTo("image/jpeg");
    assertThat(ContentNames.contentType("notes.txt")).isEqualTo("text/plain");
    assertThat(ContentNames.contentType("blob")).isEqualTo("application/octet-stream");
  }
}
