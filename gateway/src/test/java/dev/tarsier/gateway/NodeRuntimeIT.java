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

/** nodejs20.x end to end: our bootstrap in runc, driven through the real LambdaClient. */
class NodeRuntimeIT {
  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;
  private static LambdaClient lambda;
  private static FunctionDriver functions;

  @BeforeAll
  static void start() throws Exception {
    platform = PLATFORM.get();
    lambda = platform.lambda();
    functions = new FunctionDriver(lambda, Runtime.NODEJS20_X, 256);
  }

  @Test
  void runsTheSeedFunctionUnchangedColdThenWarm() throws Exception {
    functions.create("hello-event", "hello-event.handler", RunningPlatform.example("hello-event"));

    InvokeResponse cold = functions.invoke("hello-event", "\"Tapir\"");
    assertThat(cold.statusCode()).isEqualTo(200);
    assertThat(cold.functionError()).isNull();
    assertThat(cold.payload().asUtf8String()).isEqualTo("\"Success\"");
    TailLog coldLog = TailLog.of(cold);
    assertThat(coldLog.cold()).as("Init Duration on the first invoke").isTrue();
    assertThat(coldLog.functionOutput()).matches(ISO_TIME + "\t" + coldLog.requestId() + "\tINFO\tHello Tapir\n");

    InvokeResponse warm = functions.invoke("hello-event", "\"Tapir\"");
    TailLog warmLog = TailLog.of(warm);
    assertThat(warmLog.cold()).as("no Init Duration when warm").isFalse();
    assertThat(warmLog.requestId()).isNotEqualTo(coldLog.requestId());
    assertThat(warmLog.functionOutput()).matches(ISO_TIME + "\t" + warmLog.requestId() + "\tINFO\tHello Tapir\n");
    assertThat(warm.payload().asUtf8String()).isEqualTo("\"Success\"");
  }

  @Test
  void callbackAnswersOnceTheEventLoopIsEmpty() {
    functions.create("node-callback", "index.handler", FunctionZip.of(Map.of("index.js", """
        exports.handler = (event, context, callback) => {
          setTimeout(() => console.log('timer set before the callback ran'), 20);
          callback(null, { doubled: event.n * 2 });
        };
        """)));
    InvokeResponse response = functions.invoke("node-callback", "{\"n\":21}");
    assertThat(response.functionError()).isNull();
    assertThat(new JsonObject(response.payload().asUtf8String())).isEqualTo(new JsonObject().put("doubled", 42));
    assertThat(TailLog.of(response).functionOutput()).contains("\tINFO\ttimer set before the callback ran\n");
  }

  @Test
  void callbackAnswersAtOnceWhenTheFunctionStopsWaitingForTheEventLoop() {
    functions.create("node-no-wait", "index.handler", FunctionZip.of(Map.of("index.js", """
        exports.handler = (event, context, callback) => {
          context.callbackWaitsForEmptyEventLoop = false;
          setTimeout(() => console.log('too late for this invocation'), 1000);
          callback(null, 'early');
        };
        """)));
    InvokeResponse response = functions.invoke("node-no-wait", "{}");
    assertThat(response.payload().asUtf8String()).isEqualTo("\"early\"");
    TailLog log = TailLog.of(response);
    assertThat(log.functionOutput()).doesNotContain("too late");
    assertThat(log.durationMs()).isLessThan(1000);
  }

  @Test
  void asyncHandlerInAnEsModuleInASubdirectory() {
    functions.create("node-esm", "lib/sum.handler", FunctionZip.of(Map.of("lib/sum.mjs", """
        export const handler = async (event) => ({ sum: event.a + event.b });
        """)));
    InvokeResponse response = functions.invoke("node-esm", "{\"a\":2,\"b\":3}");
    assertThat(response.functionError()).isNull();
    assertThat(response.payload().asUtf8String()).isEqualTo("{\"sum\":5}");
  }

  @Test
  void contextCarriesLambdasFieldsAndTheRemainingTime() {
    functions.create("node-context", "index.handler", FunctionZip.of(Map.of("index.js", """
        exports.handler = async (event, context) => ({
          functionName: context.functionName,
          functionVersion: context.functionVersion,
          invokedFunctionArn: context.invokedFunctionArn,
          memoryLimitInMB: context.memoryLimitInMB,
          awsRequestId: context.awsRequestId,
          logGroupName: context.logGroupName,
          logStreamName: context.logStreamName,
          callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
          remaining: context.getRemainingTimeInMillis(),
          executionEnv: process.env.AWS_EXECUTION_ENV,
        });
        """)));
    InvokeResponse response = functions.invoke("node-context", "{}");
    JsonObject context = new JsonObject(response.payload().asUtf8String());
    assertThat(context.getString("functionName")).isEqualTo("node-context");
    assertThat(context.getString("functionVersion")).isEqualTo("$LATEST");
    assertThat(context.getString("invokedFunctionArn")).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:node-context");
    assertThat(context.getString("memoryLimitInMB")).isEqualTo("256");
    assertThat(context.getString("awsRequestId")).isEqualTo(TailLog.of(response).requestId());
    assertThat(context.getString("logGroupName")).isEqualTo("/aws/lambda/node-context");
    assertThat(context.getString("logStreamName")).matches("\\d{4}/\\d\\d/\\d\\d/\\[\\$LATEST][0-9a-f]{32}");
    assertThat(context.getBoolean("callbackWaitsForEmptyEventLoop")).isTrue();
    assertThat(context.getLong("remaining")).as("timeout is 10 s").isBetween(8_000L, 10_000L);
    assertThat(context.getString("executionEnv")).isEqualTo("AWS_Lambda_nodejs20.x");
  }

  @Test
  void consoleMethodsLogAtLambdasLevelsAndKeepMultiLineMessagesOneRecord() {
    functions.create("node-console", "index.handler", FunctionZip.of(Map.of("index.js", """
        exports.handler = async () => {
          console.info('info %s', 'formatted');
          console.warn('careful');
          console.error('broken', { code: 42 });
          console.debug('details');
          console.log('line one\\nline two');
          return 'logged';
        };
        """)));
    TailLog log = TailLog.of(functions.invoke("node-console", "{}"));
    String prefix = ISO_TIME + "\t" + log.requestId() + "\t";
    assertThat(log.functionOutput()).matches(
        prefix + "INFO\tinfo formatted\n"
            + prefix + "WARN\tcareful\n"
            + prefix + "ERROR\tbroken \\{ code: 42 }\n"
            + prefix + "DEBUG\tdetails\n"
            + prefix + "INFO\tline one\rline two\n");
  }

  @Test
  void thrownErrorIsAnUnhandledFunctionErrorShapedAsLambdas() {
    functions.create("node-throws", "index.handler", FunctionZip.of(Map.of("index.js", """
        exports.handler = async () => {
          throw new TypeError('bad input');
        };
        """)));
    InvokeResponse response = functions.invoke("node-throws", "{}");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject error = FunctionDriver.unhandledError(response);
    assertThat(error.getString("errorType")).isEqualTo("TypeError");
    assertThat(error.getString("errorMessage")).isEqualTo("bad input");
    assertThat(error.getJsonArray("trace").getString(0)).isEqualTo("TypeError: bad input");
    assertThat(error.getJsonArray("trace").getString(1)).contains("/var/task/index.js:2");
    TailLog log = TailLog.of(response);
    assertThat(log.functionOutput()).contains("\tERROR\tInvoke Error \t{\"errorType\":\"TypeError\",\"errorMessage\":\"bad input\"");

    InvokeResponse again = functions.invoke("node-throws", "{}");
    assertThat(TailLog.of(again).cold()).as("a function error keeps the sandbox").isFalse();
  }

  @Test
  void callbackErrorAndContextFailAreUnhandledFunctionErrors() {
    functions.create("node-fails", "index.handler", FunctionZip.of(Map.of("index.js", """
        exports.handler = (event, context, callback) => {
          if (event.how === 'fail') {
            context.fail(new RangeError('failed through context.fail'));
          } else {
            callback(new Error('failed through the callback'));
          }
        };
        """)));
    InvokeResponse viaContext = functions.invoke("node-fails", "{\"how\":\"fail\"}");
    assertThat(viaContext.functionError()).isEqualTo("Unhandled");
    assertThat(new JsonObject(viaContext.payload().asUtf8String()).getString("errorType")).isEqualTo("RangeError");
    InvokeResponse viaCallback = functions.invoke("node-fails", "{\"how\":\"callback\"}");
    assertThat(viaCallback.functionError()).isEqualTo("Unhandled");
    assertThat(new JsonObject(viaCallback.payload().asUtf8String()).getString("errorMessage")).isEqualTo("failed through the callback");
  }

  @Test
  void missingModuleFailsInitAsImportModuleError() {
    functions.create("node-no-module", "nope.handler", FunctionZip.of(Map.of("index.js", "exports.handler = async () => 1;\n")));
    InvokeResponse response = functions.invoke("node-no-module", "{}");
    JsonObject error = FunctionDriver.unhandledError(response);
    assertThat(error.getString("errorType")).isEqualTo("Runtime.ImportModuleError");
    assertThat(error.getString("errorMessage")).startsWith("Error: Cannot find module 'nope'");
    assertThat(TailLog.of(response).text())
        .containsPattern(ISO_TIME + "\tundefined\tERROR\tUncaught Exception \t\\{\"errorType\":\"Runtime.ImportModuleError\"")
        .contains("Status: error\tError Type: Runtime.ImportModuleError");
  }

  @Test
  void missingExportFailsInitAsHandlerNotFound() {
    functions.create("node-no-export", "index.handler", FunctionZip.of(Map.of("index.js", "exports.other = async () => 1;\n")));
    InvokeResponse response = functions.invoke("node-no-export", "{}");
    JsonObject error = FunctionDriver.unhandledError(response);
    assertThat(error.getString("errorType")).isEqualTo("Runtime.HandlerNotFound");
    assertThat(error.getString("errorMessage")).isEqualTo("index.handler is undefined or not exported");
  }

  @Test
  void syntaxErrorFailsInitAsLambdasUserCodeSyntaxError() {
    functions.create("node-syntax", "index.handler", FunctionZip.of(Map.of("index.js", "exports.handler = async () => {;\n")));
    InvokeResponse response = functions.invoke("node-syntax", "{}");
    JsonObject error = FunctionDriver.unhandledError(response);
    assertThat(error.getString("errorType")).isEqualTo("Runtime.UserCodeSyntaxError");
    assertThat(error.getString("errorMessage")).startsWith("SyntaxError: ");
  }
}
