package dev.tarsier.gateway.s3;

import dev.tarsier.invoker.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The embedded S3-compatible object store, served on the edge router. {@link #mount} creates its
 * tables and directories (on a worker) and adds one route that claims S3 requests by {@link Addressing}
 * and passes every other request on, so it can sit ahead of the other APIs without shadowing them.
 *
 * <p>Authentication: any credentials are accepted and SigV4 signatures are not verified (neither
 * headers nor aws-chunked chunk and trailer signatures). This store serves a single local user.
 *
 * <p>Metadata lives in the shared state store (tables {@code s3_*}); bytes in files under
 * {@code <dataDir>/objects}. No body handler runs on S3 requests: bodies stream through in bounded memory.
 */
public final class S3Api {
  private S3Api() {}

  /**
   * The store's settings.
   *
   * @param dataDir     the data directory; objects go under {@code objects/} in it
   * @param baseDomains host names under which {@code <bucket>.<domain>} addresses a bucket (virtual host)
   * @param region      the region buckets report when created without a location constraint
   */
  public record Settings(Path dataDir, List<String> baseDomains, String region) {
    public Settings {
      if (baseDomains.isEmpty()) {
        throw new IllegalArgumentException("baseDomains must name at least one domain, such as localhost");
      }
      baseDomains = List.copyOf(baseDomains);
    }

    public static Settings defaults(Path dataDir) {
      return new Settings(dataDir, List.of("localhost"), "us-east-1");
    }
  }

  /** Mounts the store with {@link Settings#defaults} and no notifications. */
  public static Future<Void> mount(Router router, Vertx vertx, StateStore state, Path dataDir, ObjectEvents events) {
    return mount(router, vertx, state, Settings.defaults(dataDir), events, NotificationConfigs.NONE, Clock.systemUTC());
  }

  /**
   * Adds the S3 route, ordered ahead of every other route on the router, then prepares the tables and
   * directories on a worker. Call while wiring, before the server listens, and start listening only
   * once the returned future has succeeded.
   */
  public static Future<Void> mount(Router router, Vertx vertx, StateStore state, Settings settings, ObjectEvents events,
                                   NotificationConfigs notifications, Clock clock) {
    Blobs blobs = new Blobs(settings.dataDir());
    ObjectStore store = new ObjectStore(vertx, state, blobs, events, clock, settings.region());
    // Ahead of every other route: a virtual-host request belongs to S3 whatever its path.
    router.route().order(-1).handler(new Operations(new Addressing(settings.baseDomains()), store, notifications));
    return vertx.executeBlocking(() -> {
      state.inTransaction(connection -> {
        Catalog.createTables(connection);
        return null;
      });
      blobs.prepare();
      return null;
    });
  }
}
