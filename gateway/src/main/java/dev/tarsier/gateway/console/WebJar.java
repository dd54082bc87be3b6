package dev.tarsier.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * An npm WebJar on the class path: its files live under {@code META-INF/resources/webjars/<name>/<version>/},
 * and its version is read from the jar's own {@code pom.properties}, so upgrading a library is a pom change.
 */
record WebJar(String name, String version) {

  /** The class-path directory holding the package's files. */
  String root() {
    return "META-INF/resources/webjars/" + name + "/" + version;
  }

  static WebJar find(String name) {
    String path = "META-INF/maven/org.webjars.npm/" + name + "/pom.properties";
    try (InputStream in = WebJar.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("the console needs the WebJar org.webjars.npm:" + name + ", but " + path
            + " is not on the class path");
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version");
      if (version == null || version.isBlank()) {
        throw new IllegalStateException(path + " names no version");
      }
      return new WebJar(name, version);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + path, e);
    }
  }
}
