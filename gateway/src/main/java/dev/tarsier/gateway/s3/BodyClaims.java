package dev.tarsier.gateway.s3;

import io.vertx.core.MultiMap;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * What an upload's headers claim about its body: how it is framed, how long it is once decoded, and
 * which digests it must match. Built before the first byte, checked against {@link BodyDigests} after
 * the last. Signatures are not among the claims: this store accepts any credentials and does not
 * verify SigV4, so {@code chunk-signature} and {@code x-amz-trailer-signature} are read past, never checked.
 *
 * @param awsChunked     the body uses aws-chunked framing, to be stripped before storing
 * @param decodedLength  the object's length in bytes, or -1 when the client did not say
 * @param contentMd5     the Content-MD5 bytes, or null
 * @param checksum       the additional checksum algorithm announced (header or trailer), or null
 * @param checksumValue  its base64 value when sent as a header; null when it arrives as a trailer
 * @param sha256         the hex SHA-256 of the payload from {@code x-amz-content-sha256}, or null
 */
record BodyClaims(boolean awsChunked, long decodedLength, byte[] contentMd5, Checksum checksum, String checksumValue,
                  byte[] sha256) {

  static BodyClaims from(MultiMap headers) {
    String payloadHash = headers.get("x-amz-content-sha256");
    String contentEncoding = headers.get("Content-Encoding");
    boolean chunked = (payloadHash != null && payloadHash.startsWith("STREAMING-"))
        || (contentEncoding != null && contentEncoding.toLowerCase(Locale.ROOT).contains("aws-chunked"));
    long length = chunked ? length(headers, "x-amz-decoded-content-length") : length(headers, "Content-Length");
    byte[] md5 = contentMd5(headers.get("Content-MD5"));
    Checksum checksum = null;
    String value = null;
    for (Map.Entry<String, String> header : headers) {
      Checksum named = Checksum.ofHeader(header.getKey());
      if (named != null) {
        if (checksum != null && checksum != named) {
          throw S3Error.INVALID_REQUEST.exception("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
        }
        checksum = named;
        value = header.getValue().strip();
      }
    }
    String trailer = headers.get("x-amz-trailer");
    if (checksum == null && trailer != null) {
      checksum = Checksum.ofHeader(trailer.strip());
      if (checksum == null) {
        throw S3Error.INVALID_ARGUMENT.exception("Unsupported trailer: " + trailer).with("ArgumentName", "x-amz-trailer");
      }
    }
    byte[] sha256 = payloadHash != null && payloadHash.length() == 64 ? hex(payloadHash) : null;
    return new BodyClaims(chunked, length, md5, checksum, value, sha256);
  }

  /**
   * Checks the digests against the claims, taking a trailer's checksum value from {@code trailers}.
   * Returns the verified checksum to store with the object, or null when the client sent none.
   */
  StoredChecksum verify(BodyDigests.Result digests, Map<String, String> trailers) {
    if (decodedLength >= 0 && digests.size() != decodedLength) {
      throw S3Error.INCOMPLETE_BODY.exception("The request body ended after " + digests.size() + " of "
          + decodedLength + " bytes.");
    }
    if (contentMd5 != null && !MessageDigest.isEqual(contentMd5, digests.md5())) {
      throw S3Error.BAD_DIGEST.exception("The Content-MD5 you specified did not match what we received.")
          .with("ExpectedDigest", Base64.getEncoder().encodeToString(contentMd5))
          .with("CalculatedDigest", Base64.getEncoder().encodeToString(digests.md5()));
    }
    if (sha256 != null && !MessageDigest.isEqual(sha256, digests.sha256())) {
      throw S3Error.X_AMZ_CONTENT_SHA256_MISMATCH.exception()
          .with("ClientComputedContentSHA256", HexFormat.of().formatHex(sha256))
          .with("S3ComputedContentSHA256", HexFormat.of().formatHex(digests.sha256()));
    }
    if (checksum == null) {
      return null;
    }
    String expected = checksumValue != null ? checksumValue : trailers.get(checksum.header);
    String computed = Base64.getEncoder().encodeToString(digests.checksum());
    if (expected == null) {
      throw S3Error.INVALID_REQUEST.exception("The " + checksum.header + " trailer was announced but not sent.");
    }
    if (!expected.strip().equals(computed)) {
      throw S3Error.BAD_DIGEST.exception("The " + checksum.name() + " you specified did not match the calculated checksum.");
    }
    return new StoredChecksum(checksum, computed);
  }

  private static long length(MultiMap headers, String name) {
    String value = headers.get(name);
    if (value == null) {
      return -1;
    }
    try {
      long length = Long.parseLong(value.strip());
      if (length < 0) {
        throw new NumberFormatException();
      }
      return length;
    } catch (NumberFormatException e) {
      throw S3Error.INVALID_ARGUMENT.exception(name + " must be a non-negative number, was '" + value + "'")
          .with("ArgumentName", name);
    }
  }

  private static byte[] contentMd5(String value) {
    if (value == null) {
      return null;
    }
    try {
      byte[] md5 = Base64.getDecoder().decode(value.strip());
      if (md5.length != 16) {
        throw new IllegalArgumentException();
      }
      return md5;
    } catch (IllegalArgumentException e) {
      throw S3Error.INVALID_DIGEST.exception("The Content-MD5 you specified was invalid.").with("Content-MD5", value);
    }
  }

  private static byte[] hex(String value) {
    try {
      return HexFormat.of().parseHex(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
