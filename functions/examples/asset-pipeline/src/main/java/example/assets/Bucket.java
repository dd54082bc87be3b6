package example.assets;

import java.io.IOException;
import java.nio.file.Path;

/** The two things the pipeline does with object storage: fetch a whole object to a file, and store one. */
public interface Bucket {

  /** Streams {@code bucket/key} into {@code file}, never holding it whole in memory. */
  void download(String bucket, String key, Path file) throws IOException;

  /**
   * Stores {@code file} at {@code bucket/key} with a content type. {@code md5} is the file's MD5, already
   * known to the caller, so the store can check that what arrived is what was sent.
   */
  void upload(String bucket, String key, Path file, byte[] md5, String contentType) throws IOException;

  /** Stores {@code bytes} at {@code bucket/key} with a content type. */
  void upload(String bucket, String key, byte[] bytes, String contentType) throws IOException;
}
