package dev.tarsier.gateway.s3;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides whether an edge request is for the object store and which bucket and key it names. The S3 API
 * shares the edge port with other APIs, so the split is explicit:
 * <ul>
 *   <li><b>Virtual host</b>: {@code Host: <bucket>.<base domain>[:port]} (base domains default to
 *       {@code localhost}) makes the whole path the key. Hosts with a {@code lambda-url} label
 *       ({@code <url-id>.lambda-url[.<region>].localhost}) belong to function URLs, not to a bucket.</li>
 *   <li><b>Path style</b> otherwise: {@code /<bucket>/<key>}, and {@code /} is ListBuckets. A first path
 *       segment that starts with {@code _} ({@code /_/health}, {@code /_/console} ...) or looks like an
 *       API version date ({@code /2015-03-31/...}, the Lambda API, and its siblings) is never a bucket:
 *       those requests go on to the other routes. S3 bucket names cannot start with {@code _}, and
 *       {@link BucketNames} refuses date-shaped names for this reason.</li>
 * </ul>
 */
final class Addressing {
  static final Pattern API_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  /** Marks a function URL host, which no bucket can be named like (bucket names have no {@code _}). */
  private static final String FUNCTION_URL = "_function-url";
  private final List<String> baseDomains;

  Addressing(List<String> baseDomains) {
    // Longest first, so bucket.s3.localhost resolves against s3.localhost before localhost.
    this.baseDomains = baseDomains.stream()
        .map(domain -> domain.toLowerCase(Locale.ROOT))
        .sorted(Comparator.comparingInt(String::length).reversed())
        .toList();
  }

  /** The resource a request names, or null when the request belongs to another API. */
  S3Address resolve(HttpServerRequest request) {
    String path = request.path();
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      return null;
    }
    String bucket = virtualHostBucket(request.authority());
    if (FUNCTION_URL.equals(bucket)) {
      return null;
    }
    if (bucket != null) {
      return new S3Address(bucket, path.length() > 1 ? decode(path.substring(1)) : null);
    }
    if (path.equals("/")) {
      return new S3Address(null, null);
    }
    int slash = path.indexOf('/', 1);
    String first = decode(slash < 0 ? path.substring(1) : path.substring(1, slash));
    if (first.startsWith("_") || API_VERSION.matcher(first).matches()) {
      return null;
    }
    String rest = slash < 0 || slash == path.length() - 1 ? null : decode(path.substring(slash + 1));
    return new S3Address(first, rest);
  }

  /** The bucket a virtual-host name carries, {@link #FUNCTION_URL} for function URL hosts, or null. */
  private String virtualHostBucket(HostAndPort authority) {
    if (authority == null) {
      return null;
    }
    String host = authority.host().toLowerCase(Locale.ROOT);
    for (String domain : baseDomains) {
      if (host.length() > domain.length() + 1 && host.endsWith("." + domain)) {
        String bucket = host.substring(0, host.length() - domain.length() - 1);
        return ("." + bucket + ".").contains(".lambda-url.") ? FUNCTION_URL : bucket;
      }
    }
    return null;
  }

  /** Percent-decodes a path piece; unlike form decoding, {@code +} stays a plus. */
  static String decode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
