package example.assets;

import java.io.IOException;
import java.nio.file.Path;

/** The two things the pipeline does with object storage: fetch a whole object to a file, and store one. */
public interface Bucket {

  /** Streams {@code bucket/key} into {@code file}, never holding it whole in memory. */
  void download(String bucket, String key, Path file) throws IOException;

  /** Stores {@code file} (or {@code bytes} when file is null) at {@code bucket/key} with a content type. */
  void upload(String bucket, String key, Path file, byte[] bytes, String contentType) throws IOException;
}
