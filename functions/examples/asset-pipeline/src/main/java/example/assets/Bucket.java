package example.assets;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** The two things the pipeline does with object storage: fetch an object as a stream, and store one. */
public interface Bucket {

  /** An object being fetched: its bytes as they arrive and how many there are. Closing it stops the fetch. */
  record Fetch(InputStream body, long size) implements Closeable {
    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  /** Starts fetching {@code bucket/key}; the caller reads and closes the body. */
  Fetch fetch(String bucket, String key) throws IOException;

  /**
   * Stores {@code file} at {@code bucket/key} with a content type. {@code md5} is the file's MD5, already
   * known to the caller, so the store can check that what arrived is what was sent.
   */
  void upload(String bucket, String key, Path file, byte[] md5, String contentType) throws IOException;

  /** Stores {@code bytes} at {@code bucket/key} with a content type. */
  void upload(String bucket, String key, byte[] bytes, String contentType) throws IOException;
}
