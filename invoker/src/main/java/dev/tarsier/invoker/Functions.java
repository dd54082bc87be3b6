package dev.tarsier.invoker;

import dev.tarsier.invoker.code.CodePackages;
import dev.tarsier.invoker.store.FunctionStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The function registry: Lambda's create, read, update and delete with its defaults and rules, code
 * stored before the configuration that names it. Blocking: call from a worker.
 */
final class Functions {
  private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

  private final FunctionStore store;
  private final CodePackages code;
  private final InvokerConfig config;
  private final Clock clock;

  Functions(FunctionStore store, CodePackages code, InvokerConfig config, Clock clock) {
    this.store = store;
    this.code = code;
    this.config = config;
    this.clock = clock;
  }

  FunctionConfig create(String name, FunctionSettings settings, byte[] zip, Collection<String> runtimes) throws SQLException {
    FunctionRules.checkName(name);
    FunctionConfig draft = apply(defaults(name), settings);
    FunctionRules.check(draft, runtimes);
    if (store.get(name).isPresent()) {
      throw new LambdaFailure.ResourceConflict("Function already exist: " + name);
    }
    FunctionConfig created = withCode(draft, code.store(zip));
    if (!store.insert(created)) {
      throw new LambdaFailure.ResourceConflict("Function already exist: " + name);
    }
    return created;
  }

  FunctionConfig find(String name) throws SQLException {
    return store.get(name).orElseThrow(() -> notFound(name));
  }

  Optional<FunctionConfig> get(String name) throws SQLException {
    return store.get(name);
  }

  List<FunctionConfig> list(String marker, int maxItems) throws SQLException {
    return store.list(marker, maxItems);
  }

  FunctionConfig updateCode(String name, byte[] zip) throws SQLException {
    FunctionConfig updated = withCode(find(name), code.store(zip));
    if (!store.update(updated)) {
      throw notFound(name);
    }
    return updated;
  }

  FunctionConfig updateConfiguration(String name, FunctionSettings settings, Collection<String> runtimes) throws SQLException {
    FunctionConfig updated = touched(apply(find(name), settings));
    FunctionRules.check(updated, runtimes);
    if (!store.update(updated)) {
      throw notFound(name);
    }
    return updated;
  }

  void delete(String name) throws SQLException {
    if (!store.delete(name)) {
      throw notFound(name);
    }
  }

  private LambdaFailure.ResourceNotFound notFound(String name) {
    return new LambdaFailure.ResourceNotFound("Function not found: " + config.functionArn(name));
  }

  private FunctionConfig defaults(String name) {
    return new FunctionConfig(name, null, null, FunctionRules.DEFAULT_MEMORY_MB, FunctionRules.DEFAULT_TIMEOUT_S,
        FunctionRules.DEFAULT_EPHEMERAL_MB, "", "arn:aws:iam::" + config.account() + ":role/lambda-role", Map.of(), "", 0,
        now(), UUID.randomUUID().toString());
  }

  private static FunctionConfig apply(FunctionConfig f, FunctionSettings s) {
    return new FunctionConfig(f.name(),
        s.runtime() != null ? s.runtime() : f.runtime(),
        s.handler() != null ? s.handler() : f.handler(),
        s.memorySize() != null ? s.memorySize() : f.memorySize(),
        s.timeout() != null ? s.timeout() : f.timeout(),
        s.ephemeralStorage() != null ? s.ephemeralStorage() : f.ephemeralStorage(),
        s.description() != null ? s.description() : f.description(),
        s.role() != null ? s.role() : f.role(),
        s.environment() != null ? s.environment() : f.environment(),
        f.codeSha256(), f.codeSize(), f.lastModified(), f.revisionId());
  }

  private FunctionConfig withCode(FunctionConfig f, CodePackages.Stored stored) {
    return touched(new FunctionConfig(f.name(), f.runtime(), f.handler(), f.memorySize(), f.timeout(), f.ephemeralStorage(),
        f.description(), f.role(), f.environment(), stored.sha256(), stored.size(), f.lastModified(), f.revisionId()));
  }

  /** A new LastModified and RevisionId, as every successful update gets. */
  private FunctionConfig touched(FunctionConfig f) {
    return new FunctionConfig(f.name(), f.runtime(), f.handler(), f.memorySize(), f.timeout(), f.ephemeralStorage(),
        f.description(), f.role(), f.environment(), f.codeSha256(), f.codeSize(), now(), UUID.randomUUID().toString());
  }

  private String now() {
    return LAST_MODIFIED.format(clock.instant());
  }
}
