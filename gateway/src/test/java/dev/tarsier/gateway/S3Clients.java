package dev.tarsier.gateway;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 clients for a running platform, at the SDK's defaults (checksums on, aws-chunked with trailers over
 * http). Virtual-host addressing needs {@code <bucket>.localhost} to resolve, which glibc here does not
 * do, so the client's own resolver maps every {@code *.localhost} to the loopback address; nothing on
 * the machine is changed.
 */
final class S3Clients {
  private S3Clients() {}

  /** Virtual-host style: {@code http://<bucket>.localhost:<port>/<key>}. */
  static S3Client virtualHost(int port) {
    return builder(URI.create("http://localhost:" + port)).build();
  }

  /** Path style: {@code http://127.0.0.1:<port>/<bucket>/<key>}. */
  static S3Client pathStyle(int port) {
    return builder(URI.create("http://127.0.0.1:" + port)).forcePathStyle(true).build();
  }

  private static software.amazon.awssdk.services.s3.S3ClientBuilder builder(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(Apache5HttpClient.builder()
            .dnsResolver(new LocalhostResolver())
            .socketTimeout(Duration.ofSeconds(60))
            .maxConnections(64)
            .build());
  }

  /** Resolves {@code localhost} and every name under it to 127.0.0.1, as RFC 6761 says they should. */
  static final class LocalhostResolver implements DnsResolver {
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      String name = host.toLowerCase(Locale.ROOT);
      if (name.equals("localhost") || name.endsWith(".localhost")) {
        return new InetAddress[] {InetAddress.getByAddress(name, new byte[] {127, 0, 0, 1})};
      }
      return SystemDefaultDnsResolver.INSTANCE.resolve(host);
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
      return host;
    }
  }
}
