package example.assets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/** {@link Bucket} over the AWS SDK's S3 client: here the platform's own store, on AWS the real S3. */
public final class S3Bucket implements Bucket {
  private final S3Client s3;

  public S3Bucket(S3Client s3) {
    this.s3 = s3;
  }

  @Override
  public void download(String bucket, String key, Path file) throws IOException {
    try {
      Files.deleteIfExists(file);
      s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(file));
    } catch (SdkException e) {
      throw new IOException("could not fetch s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void upload(String bucket, String key, Path file, byte[] bytes, String contentType) throws IOException {
    try {
      s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType),
          file != null ? RequestBody.fromFile(file) : RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw new IOException("could not store s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    }
  }
}
