package example.assets;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;

/** Content-addressed names ({@code tapir.jpg} → {@code tapir-<md5>.jpg}) and content types by extension. */
public final class ContentNames {
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("png", "image/png"),
      Map.entry("gif", "image/gif"), Map.entry("svg", "image/svg+xml"), Map.entry("webp", "image/webp"),
      Map.entry("ico", "image/x-icon"), Map.entry("css", "text/css"), Map.entry("js", "text/javascript"),
      Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("txt", "text/plain"),
      Map.entry("md", "text/markdown"), Map.entry("json", "application/json"), Map.entry("xml", "application/xml"),
      Map.entry("pdf", "application/pdf"), Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"),
      Map.entry("mp4", "video/mp4"), Map.entry("mp3", "audio/mpeg"), Map.entry("wasm", "application/wasm"));

  private ContentNames() {}

  static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has MD5", e);
    }
  }

  /** {@code dir/tapir.jpg} → {@code dir/tapir-<md5>.jpg}; a name without extension gets the hash at its end. */
  public static String renamed(String relativePath, String md5) {
    int slash = relativePath.lastIndexOf('/');
    String dir = relativePath.substring(0, slash + 1);
    String name = relativePath.substring(slash + 1);
    int dot = name.lastIndexOf('.');
    if (dot <= 0) {
      return dir + name + "-" + md5;
    }
    return dir + name.substring(0, dot) + "-" + md5 + name.substring(dot);
  }

  public static String contentType(String name) {
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(extension, "application/octet-stream");
  }
}
