package dev.tarsier.gateway;

import static dev.tarsier.gateway.TailLog.ISO_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** python3.11 end to end: our bootstrap in runc, driven through the real LambdaClient. */
class PythonRuntimeIT {
  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;
  private static LambdaClient lambda;
  private static FunctionDriver functions;

  @BeforeAll
  static void start() throws Exception {
    platform = PLATFORM.get();
    lambda = platform.lambda();
    functions = new FunctionDriver(lambda, Runtime.PYTHON3_11, 256);
  }

  @Test
  void helloExampleLogsThroughTheRootLoggerAndAnswersWithJsonColdThenWarm() throws Exception {
    functions.create("hello-python", "hello.handler", RunningPlatform.example("hello-python"));

    InvokeResponse cold = functions.invoke("hello-python", "{\"name\":\"Tapir\"}");
    assertThat(cold.statusCode()).isEqualTo(200);
    assertThat(cold.functionError()).isNull();
    TailLog coldLog = TailLog.of(cold);
    assertThat(coldLog.cold()).as("Init Duration on the first invoke").isTrue();
    assertThat(new JsonObject(cold.payload().asUtf8String()))
        .isEqualTo(new JsonObject().put("message", "Hello, Tapir!").put("requestId", coldLog.requestId()));
    assertThat(coldLog.functionOutput())
        .matches("\\[INFO]\t" + ISO_TIME + "\t" + coldLog.requestId() + "\tHello from hello-python, greeting Tapir\n");

    InvokeResponse warm = functions.invoke("hello-python", "{\"name\":\"Tarsier\"}");
    TailLog warmLog = TailLog.of(warm);
    assertThat(warmLog.cold()).as("no Init Duration when warm").isFalse();
    assertThat(warmLog.functionOutput())
        .matches("\\[INFO]\t" + ISO_TIME + "\t" + warmLog.requestId() + "\tHello from hello-python, greeting Tarsier\n");
  }

  /**
   * The platform reads a run's output once the runtime asks for its next event, so every line must be in
   * the file by then. When output went through runc's own pipes, two to four warm Python invocations in a
   * hundred lost their line to the next one; this many invocations would all but surely catch that.
   */
  @Test
  void everyWarmInvocationGetsExactlyItsOwnLogLine() throws Exception {
    functions.create("hello-many", "hello.handler", RunningPlatform.example("hello-python"));
    for (int i = 0; i < 300; i++) {
      TailLog log = TailLog.of(functions.invoke("hello-many", "{\"name\":\"Tapir " + i + "\"}"));
      assertThat(log.functionOutput()).as("invocation " + i)
          .matches("\\[INFO]\t" + ISO_TIME + "\t" + log.requestId() + "\tHello from hello-many, greeting Tapir " + i + "\n");
    }
  }

  @Test
  void printStaysRawAndTheRootLoggerLogsFromInfoUp() {
    functions.create("py-logging", "my-function.handler", FunctionZip.of(Map.of("my-function.py", """
        import logging

        def handler(event, context):
            print("a plain print")
            logging.getLogger("child").warning("careful %d", 3)
            logging.debug("below the root logger's level")
            logging.info("two\\nlines")
            return "logged"
        """)));
    InvokeResponse response = functions.invoke("py-logging", "{}");
    assertThat(response.payload().asUtf8String()).isEqualTo("\"logged\"");
    TailLog log = TailLog.of(response);
    assertThat(log.functionOutput()).matches("a plain print\n"
        + "\\[WARNING]\t" + ISO_TIME + "\t" + log.requestId() + "\tcareful 3\n"
        + "\\[INFO]\t" + ISO_TIME + "\t" + log.requestId() + "\ttwo\nlines\n");
  }

  @Test
  void contextCarriesLambdasAttributesAndTheRemainingTime() {
    functions.create("py-context", "pkg/ctx.handler", FunctionZip.of(Map.of("pkg/ctx.py", """
        import os
        import sys

        def handler(event, context):
            return {
                "function_name": context.function_name,
                "function_version": context.function_version,
                "invoked_function_arn": context.invoked_function_arn,
                "memory_limit_in_mb": context.memory_limit_in_mb,
                "aws_request_id": context.aws_request_id,
                "log_group_name": context.log_group_name,
                "log_stream_name": context.log_stream_name,
                "remaining": context.get_remaining_time_in_millis(),
                "execution_env": os.environ["AWS_EXECUTION_ENV"],
                "first_on_path": sys.path[0],
            }
        """)));
    InvokeResponse response = functions.invoke("py-context", "{}");
    assertThat(response.functionError()).isNull();
    JsonObject context = new JsonObject(response.payload().asUtf8String());
    assertThat(context.getString("function_name")).isEqualTo("py-context");
    assertThat(context.getString("function_version")).isEqualTo("$LATEST");
    assertThat(context.getString("invoked_function_arn")).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:py-context");
    assertThat(context.getString("memory_limit_in_mb")).isEqualTo("256");
    assertThat(context.getString("aws_request_id")).isEqualTo(TailLog.of(response).requestId());
    assertThat(context.getString("log_group_name")).isEqualTo("/aws/lambda/py-context");
    assertThat(context.getString("log_stream_name")).matches("\\d{4}/\\d\\d/\\d\\d/\\[\\$LATEST][0-9a-f]{32}");
    assertThat(context.getLong("remaining")).as("timeout is 10 s").isBetween(8_000L, 10_000L);
    assertThat(context.getString("execution_env")).isEqualTo("AWS_Lambda_python3.11");
    assertThat(context.getString("first_on_path")).isEqualTo("/var/task");
  }

  @Test
  void functionWritesItsOwnTmp() {
    functions.create("py-tmp", "app.handler", FunctionZip.of(Map.of("app.py", """
        import os

        def handler(event, context):
            with open("/tmp/scratch.txt", "w") as scratch:
                scratch.write("kept")
            with open("/tmp/scratch.txt") as scratch:
                return {"content": scratch.read(), "mode": oct(os.stat("/tmp").st_mode & 0o7777)}
        """)));
    InvokeResponse response = functions.invoke("py-tmp", "{}");
    assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
    assertThat(new JsonObject(response.payload().asUtf8String())).isEqualTo(new JsonObject().put("content", "kept").put("mode", "0o1777"));
  }

  @Test
  void raisedExceptionIsAnUnhandledFunctionErrorShapedAsLambdas() {
    functions.create("py-raises", "fail.handler", FunctionZip.of(Map.of("fail.py", """
        def handler(event, context):
            raise ValueError("boom")
        """)));
    InvokeResponse response = functions.invoke("py-raises", "{}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.functionError()).isEqualTo("Unhandled");
    TailLog log = TailLog.of(response);
    JsonObject error = new JsonObject(response.payload().asUtf8String());
    assertThat(error.getString("errorType")).isEqualTo("ValueError");
    assertThat(error.getString("errorMessage")).isEqualTo("boom");
    assertThat(error.getString("requestId")).isEqualTo(log.requestId());
    assertThat(error.getJsonArray("stackTrace")).hasSize(1);
    assertThat(error.getJsonArray("stackTrace").getString(0))
        .isEqualTo("  File \"/var/task/fail.py\", line 2, in handler\n    raise ValueError(\"boom\")\n");
    assertThat(log.functionOutput()).isEqualTo("[ERROR] ValueError: boom\rTraceback (most recent call last):\r"
        + "  File \"/var/task/fail.py\", line 2, in handler\r    raise ValueError(\"boom\")\n");

    assertThat(TailLog.of(functions.invoke("py-raises", "{}")).cold()).as("a function error keeps the sandbox").isFalse();
  }

  @Test
  void missingModuleFailsInitAsImportModuleError() {
    functions.create("py-no-module", "nope.handler", FunctionZip.of(Map.of("app.py", "def handler(event, context):\n    return 1\n")));
    InvokeResponse response = functions.invoke("py-no-module", "{}");
    JsonObject error = FunctionDriver.unhandledError(response);
    assertThat(error.getString("errorType")).isEqualTo("Runtime.ImportModuleError");
    assertThat(error.getString("errorMessage")).isEqualTo("Unable to import module 'nope': No module named 'nope'");
    assertThat(TailLog.of(response).text())
        .contains("[ERROR] Runtime.ImportModuleError: Unable to import module 'nope': No module named 'nope'\n")
        .contains("Status: error\tError Type: Runtime.ImportModuleError");
  }

  @Test
  void missingFunctionFailsInitAsHandlerNotFound() {
    functions.create("py-no-handler", "app.handler", FunctionZip.of(Map.of("app.py", "def other(event, context):\n    return 1\n")));
    InvokeResponse response = functions.invoke("py-no-handler", "{}");
    JsonObject error = FunctionDriver.unhandledError(response);
    assertThat(error.getString("errorType")).isEqualTo("Runtime.HandlerNotFound");
    assertThat(error.getString("errorMessage")).isEqualTo("Handler 'handler' missing on module 'app'");
  }

  @Test
  void resultThatIsNotJsonIsAMarshalError() {
    functions.create("py-marshal", "app.handler", FunctionZip.of(Map.of("app.py", "def handler(event, context):\n    return {1, 2}\n")));
    InvokeResponse response = functions.invoke("py-marshal", "{}");
    JsonObject error = FunctionDriver.unhandledError(response);
    assertThat(error.getString("errorType")).isEqualTo("Runtime.MarshalError");
    assertThat(error.getString("errorMessage")).isEqualTo("Unable to marshal response: Object of type set is not JSON serializable");
  }
}
