package example.assets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** {@link Bucket} over the AWS SDK's S3 client: here the platform's own store, on AWS the real S3. */
public final class S3Bucket implements Bucket {
  private final S3Client s3;

  public S3Bucket(S3Client s3) {
    this.s3 = s3;
  }

  @Override
  public Fetch fetch(String bucket, String key) throws IOException {
    try {
      ResponseInputStream<GetObjectResponse> body = s3.getObject(b -> b.bucket(bucket).key(key));
      return new Fetch(body, body.response().contentLength());
    } catch (SdkException e) {
      throw new IOException("could not fetch s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void upload(String bucket, String key, Path file, byte[] md5, String contentType) throws IOException {
    put(bucket, key, contentType, Base64.getEncoder().encodeToString(md5), RequestBody.fromFile(file));
  }

  @Override
  public void upload(String bucket, String key, byte[] bytes, String contentType) throws IOException {
    put(bucket, key, contentType, null, RequestBody.fromBytes(bytes));
  }

  private void put(String bucket, String key, String contentType, String contentMd5, RequestBody body) throws IOException {
    try {
      s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentMD5(contentMd5), body);
    } catch (SdkException e) {
      throw new IOException("could not store s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    }
  }
}
