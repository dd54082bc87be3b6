package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** provided.al2023 and provided end to end: the zip's own bootstrap speaks the Runtime API. */
class ProvidedRuntimeIT {
  /**
   * A custom runtime in the shape of AWS's own tutorial: a shell loop and curl. The host's curl is
   * what runs, since the sandbox sees the host's /usr.
   */
  private static final String SHELL_BOOTSTRAP = """
      #!/bin/sh
      set -eu
      api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation"
      echo "init: handler ${_HANDLER}, execution env ${AWS_EXECUTION_ENV:-none}"
      while true; do
        headers=$(mktemp)
        event=$(curl -sS -D "$headers" "$api/next")
        request_id=$(grep -i '^lambda-runtime-aws-request-id:' "$headers" | tr -d '\\r' | cut -d' ' -f2)
        rm -f "$headers"
        echo "handling ${request_id}"
        body=$(printf '{"handler":"%s","event":%s}' "$_HANDLER" "$event")
        curl -sS -o /dev/null -X POST -H 'Content-Type: application/json' -d "$body" "$api/${request_id}/response"
      done
      """;

  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;
  private static LambdaClient lambda;
  private static FunctionDriver functions;

  @BeforeAll
  static void start() throws Exception {
    assertThat(Path.of("/usr/bin/curl")).as("the shell bootstrap under test uses the host's curl").satisfies(Files::isExecutable);
    platform = PLATFORM.get();
    lambda = platform.lambda();
    functions = new FunctionDriver(lambda, null, 128);
  }

  @Test
  void shellBootstrapServesEventsColdThenWarmOnProvidedAl2023() {
    functions.create("shell-al2023", Runtime.PROVIDED_AL2023, "function.echo", FunctionZip.of(Map.of("bootstrap", SHELL_BOOTSTRAP)));

    InvokeResponse cold = functions.invoke("shell-al2023", "{\"name\":\"Tapir\"}");
    assertThat(cold.statusCode()).isEqualTo(200);
    assertThat(cold.functionError()).isNull();
    assertThat(new JsonObject(cold.payload().asUtf8String()))
        .isEqualTo(new JsonObject().put("handler", "function.echo").put("event", new JsonObject().put("name", "Tapir")));
    TailLog coldLog = TailLog.of(cold);
    assertThat(coldLog.cold()).isTrue();
    assertThat(coldLog.functionOutput()).isEqualTo("init: handler function.echo, execution env none\nhandling " + coldLog.requestId() + "\n");

    InvokeResponse warm = functions.invoke("shell-al2023", "[1,2,3]");
    TailLog warmLog = TailLog.of(warm);
    assertThat(warmLog.cold()).isFalse();
    assertThat(warm.payload().asUtf8String()).isEqualTo("{\"handler\":\"function.echo\",\"event\":[1,2,3]}");
    assertThat(warmLog.functionOutput()).isEqualTo("handling " + warmLog.requestId() + "\n");
  }

  @Test
  void sameBootstrapRunsOnProvided() {
    functions.create("shell-provided", Runtime.PROVIDED, "anything goes", FunctionZip.of(Map.of("bootstrap", SHELL_BOOTSTRAP)));
    InvokeResponse response = functions.invoke("shell-provided", "7");
    assertThat(response.functionError()).isNull();
    assertThat(response.payload().asUtf8String()).isEqualTo("{\"handler\":\"anything goes\",\"event\":7}");
  }

  @Test
  void codeWithoutBootstrapFailsInitAsInvalidEntrypoint() {
    functions.create("no-bootstrap", Runtime.PROVIDED_AL2023, "main", FunctionZip.of(Map.of("main.sh", "#!/bin/sh\n")));
    InvokeResponse response = functions.invoke("no-bootstrap", "{}");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject error = FunctionDriver.unhandledError(response);
    assertThat(error.getString("errorType")).isEqualTo("Runtime.InvalidEntrypoint");
    assertThat(error.getString("errorMessage")).isEqualTo("Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]");
    assertThat(TailLog.of(response).text()).contains("Status: error\tError Type: Runtime.InvalidEntrypoint");
  }

  @Test
  void bootstrapThatExitsBeforeAskingForAnEventFailsInit() {
    functions.create("exiting-bootstrap", Runtime.PROVIDED_AL2023, "main", FunctionZip.of(Map.of("bootstrap", """
        #!/bin/sh
        echo "cannot start: missing configuration"
        exit 3
        """)));
    InvokeResponse response = functions.invoke("exiting-bootstrap", "{}");
    JsonObject error = FunctionDriver.unhandledError(response);
    assertThat(error.getString("errorType")).isEqualTo("Runtime.ExitError");
    assertThat(error.getString("errorMessage")).contains("exit status 3");
    assertThat(TailLog.of(response).functionOutput()).startsWith("cannot start: missing configuration\n");
  }
}
