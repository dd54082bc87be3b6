package dev.tarsier.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A hand-written isolation for tests: instead of a process, each launch gets a {@link Runtime} that
 * speaks the Runtime API over real HTTP exactly as the test tells it to, including the ways real
 * runtimes break (dropping a request, asking twice, exiting).
 */
final class ScriptedIsolation implements Isolation {
  private final Vertx vertx;
  final BlockingQueue<Runtime> launched = new LinkedBlockingQueue<>();
  /** Launches wait here until the test opens it, as a slow {@code runc run} would keep them. */
  volatile java.util.concurrent.CountDownLatch launchGate = new java.util.concurrent.CountDownLatch(0);

  ScriptedIsolation(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public String describe() {
    return "scripted runtimes";
  }

  @Override
  public boolean freezes() {
    return false;
  }

  @Override
  public Container launch(String id, Path dir, SandboxSpec spec, Runtimes.Launch launch, Path output) throws java.io.IOException {
    try {
      launchGate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.IOException("interrupted while launching", e);
    }
    String[] address = launch.env().get("AWS_LAMBDA_RUNTIME_API").split(":");
    Runtime runtime = new Runtime(vertx, address[0], Integer.parseInt(address[1]));
    runtime.next();
    launched.add(runtime);
    return runtime;
  }

  @Override
  public void removeLeftovers() {}

  /** One scripted runtime; each request goes on its own connection, so dropping one drops only it. */
  static final class Runtime implements Container {
    private final HttpClient client;
    private final String host;
    private final int port;
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private volatile HttpClientRequest waiting;
    private volatile CompletableFuture<Event> nextEvent = new CompletableFuture<>();

    /** An event as the runtime received it. */
    record Event(String requestId, Buffer payload) {}

    Runtime(Vertx vertx, String host, int port) {
      this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
      this.host = host;
      this.port = port;
    }

    /**
     * Asks for the next event; {@link #event()} completes when it arrives. The returned future completes
     * when the request is written, so a test may then drop it knowing the listener sees it first.
     */
    Future<Void> next() {
      CompletableFuture<Event> event = new CompletableFuture<>();
      nextEvent = event;
      return client.request(HttpMethod.GET, port, host, "/2018-06-01/runtime/invocation/next")
          .compose(request -> {
            waiting = request;
            request.response()
                .compose(response -> response.body().map(body -> new Event(response.getHeader("Lambda-Runtime-Aws-Request-Id"), body)))
                .onSuccess(event::complete)
                .onFailure(event::completeExceptionally);
            return request.end();
          })
          .onFailure(event::completeExceptionally);
    }

    CompletableFuture<Event> event() {
      return nextEvent;
    }

    boolean hasExited() {
      return exited.isDone();
    }

    /** Drops the connection of the request for an event that is waiting. */
    void dropWaiting() {
      waiting.connection().close();
    }

    Future<Integer> respond(String requestId, String body) {
      return client.request(HttpMethod.POST, port, host, "/2018-06-01/runtime/invocation/" + requestId + "/response")
          .compose(request -> request.send(body))
          .map(HttpClientResponse::statusCode);
    }

    /** The runtime's process ends with {@code code}; its connections go with it. */
    void exit(int code) {
      if (waiting != null) {
        waiting.connection().close();
      }
      exited.complete(code);
    }

    @Override
    public CompletionStage<Integer> exited() {
      return exited;
    }

    @Override
    public Usage usage() {
      return Usage.NONE;
    }

    /** The scripted runtime is this test's own HTTP client: it holds the connection in this JVM, as a runtime would in its sandbox. */
    @Override
    public boolean holdsConnection(int clientPort, int serverPort) throws java.io.IOException {
      return LoopbackPeers.heldBy(java.util.List.of(ProcessHandle.current().pid()), clientPort, serverPort);
    }

    @Override
    public void freeze() {}

    @Override
    public void thaw() {}

    @Override
    public void terminate() {
      exit(143);
    }

    @Override
    public void kill() {
      exit(137);
    }

    @Override
    public void remove() {
      client.close();
    }
  }
}
