package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Sandboxes share the host's network, so a function can reach another sandbox's Runtime API port. It
 * must not be able to use it: asked for another function's next event, the Runtime API refuses at
 * once, and the function that owns it still gets its own events.
 */
class RuntimeApiIsolationIT {
  /** Answers the address of its own Runtime API. */
  private static final String VICTIM = """
      import os
      def handler(event, context):
          return {"runtimeApi": os.environ["AWS_LAMBDA_RUNTIME_API"], "secret": event.get("secret")}
      """;
  /** Asks another sandbox's Runtime API for its next event, and reports what came back. */
  private static final String INTRUDER = """
      import socket
      def handler(event, context):
          host, port = event["target"].split(":")
          with socket.create_connection((host, int(port)), timeout=5) as s:
              s.sendall(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
              try:
                  return {"answer": s.recv(4096).decode("latin-1")}
              except socket.timeout:
                  return {"answer": "no answer within 5 s: the request was parked as the runtime's own"}
      """;

  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;
  private static FunctionDriver functions;

  @BeforeAll
  static void start() throws Exception {
    platform = PLATFORM.get();
    functions = new FunctionDriver(platform.lambda(1), Runtime.PYTHON3_11, 128);
  }

  @Test
  void anotherSandboxCannotTakeEventsFromARuntimeApi() {
    functions.create("victim", "victim.handler", FunctionZip.of(Map.of("victim.py", VICTIM)));
    functions.create("intruder", "intruder.handler", FunctionZip.of(Map.of("intruder.py", INTRUDER)));
    String runtimeApi = new JsonObject(functions.invoke("victim", "{}").payload().asUtf8String()).getString("runtimeApi");

    String answer = new JsonObject(functions.invoke("intruder", new JsonObject().put("target", runtimeApi).encode())
        .payload().asUtf8String()).getString("answer");

    assertThat(answer).startsWith("HTTP/1.1 403").contains("belongs to another sandbox");
    JsonObject own = new JsonObject(functions.invoke("victim", "{\"secret\":\"s3\"}").payload().asUtf8String());
    assertThat(own.getString("secret")).as("the victim's next event reached the victim").isEqualTo("s3");
    assertThat(own.getString("runtimeApi")).as("warm: the same sandbox").isEqualTo(runtimeApi);
  }
}
