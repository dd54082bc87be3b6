package dev.tarsier.gateway.s3;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * ListObjectsV2 ({@code GET /bucket?list-type=2}) and ListObjects v1 ({@code GET /bucket}). With
 * {@code encoding-type=url}, every key and prefix in the answer is URL-encoded and EncodingType echoed:
 * clients decode exactly when they see it (botocore with unquote_plus, so {@code +} goes out as %2B).
 */
final class ListObjectsHandler {
  private static final int MAX_KEYS = 1000;
  private final ObjectStore store;

  ListObjectsHandler(ObjectStore store) {
    this.store = store;
  }

  void v2(S3Call call) {
    Request request = request(call);
    String token = call.param("continuation-token");
    String startAfter = orEmpty(call.param("start-after"));
    String after = token != null ? decodeToken(token) : startAfter;
    boolean owner = "true".equals(call.param("fetch-owner"));
    store.read(c -> {
      Catalog.requireBucket(c, call.bucket);
      return Listing.list(c, call.bucket, request.prefix, request.delimiter, after, request.maxKeys);
    }).onComplete(call.then(page -> {
      Xml xml = Xml.document("ListBucketResult")
          .element("Name", call.bucket)
          .element("Prefix", request.encode(request.prefix))
          .element("Delimiter", request.delimiter.isEmpty() ? null : request.encode(request.delimiter))
          .element("MaxKeys", request.maxKeys)
          .element("EncodingType", request.url ? "url" : null)
          .element("KeyCount", page.contents().size() + page.commonPrefixes().size())
          .element("IsTruncated", page.truncated())
          .element("ContinuationToken", token)
          .element("NextContinuationToken", page.truncated() ? encodeToken(page.next()) : null)
          .element("StartAfter", startAfter.isEmpty() ? null : request.encode(startAfter));
      contents(xml, request, page, owner);
      call.ok(xml.end("ListBucketResult"));
    }));
  }

  void v1(S3Call call) {
    Request request = request(call);
    String marker = orEmpty(call.param("marker"));
    store.read(c -> {
      Catalog.requireBucket(c, call.bucket);
      return Listing.list(c, call.bucket, request.prefix, request.delimiter, marker, request.maxKeys);
    }).onComplete(call.then(page -> {
      Xml xml = Xml.document("ListBucketResult")
          .element("Name", call.bucket)
          .element("Prefix", request.encode(request.prefix))
          .element("Marker", request.encode(marker))
          .element("NextMarker", page.truncated() ? request.encode(page.next()) : null)
          .element("MaxKeys", request.maxKeys)
          .element("Delimiter", request.delimiter.isEmpty() ? null : request.encode(request.delimiter))
          .element("IsTruncated", page.truncated())
          .element("EncodingType", request.url ? "url" : null);
      contents(xml, request, page, true);
      call.ok(xml.end("ListBucketResult"));
    }));
  }

  private static void contents(Xml xml, Request request, Listing.Page page, boolean owner) {
    for (ObjectRows.ListedObject object : page.contents()) {
      xml.open("Contents")
          .element("Key", request.encode(object.key()))
          .time("LastModified", object.lastModified())
          .element("ETag", '"' + object.eTag() + '"')
          .element("Size", object.size())
          .element("StorageClass", "STANDARD");
      if (owner) {
        xml.open("Owner").element("ID", "000000000000").element("DisplayName", "tarsier").close("Owner");
      }
      xml.close("Contents");
    }
    for (String prefix : page.commonPrefixes()) {
      xml.open("CommonPrefixes").element("Prefix", request.encode(prefix)).close("CommonPrefixes");
    }
  }

  private record Request(String prefix, String delimiter, int maxKeys, boolean url) {
    String encode(String value) {
      if (!url || value == null) {
        return value;
      }
      return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%2F", "/");
    }
  }

  private static Request request(S3Call call) {
    String encoding = call.param("encoding-type");
    if (encoding != null && !encoding.equals("url")) {
      throw S3Error.INVALID_ARGUMENT.exception("Invalid Encoding Method specified in Request")
          .with("ArgumentName", "encoding-type").with("ArgumentValue", encoding);
    }
    return new Request(orEmpty(call.param("prefix")), orEmpty(call.param("delimiter")), maxKeys(call.param("max-keys")),
        encoding != null);
  }

  private static int maxKeys(String value) {
    if (value == null) {
      return MAX_KEYS;
    }
    try {
      int maxKeys = Integer.parseInt(value.strip());
      if (maxKeys < 0) {
        throw new NumberFormatException();
      }
      return Math.min(maxKeys, MAX_KEYS);
    } catch (NumberFormatException e) {
      throw S3Error.INVALID_ARGUMENT.exception("Provided max-keys not an integer or within integer range")
          .with("ArgumentName", "max-keys").with("ArgumentValue", value);
    }
  }

  /** Tokens are opaque to clients; ours is the last key or prefix returned, base64url-encoded. */
  private static String encodeToken(String next) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(next.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw S3Error.INVALID_ARGUMENT.exception("The continuation token provided is incorrect")
          .with("ArgumentName", "continuation-token");
    }
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
