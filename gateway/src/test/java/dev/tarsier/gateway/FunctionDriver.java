package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** What the runtime tests do to a function through the real LambdaClient: create it, invoke it with the log tail. */
record FunctionDriver(LambdaClient lambda, Runtime runtime, int memoryMb) {

  void create(String name, String handler, SdkBytes zip) {
    create(name, runtime, handler, zip);
  }

  void create(String name, Runtime runtime, String handler, SdkBytes zip) {
    lambda.createFunction(b -> b.functionName(name)
        .runtime(runtime)
        .handler(handler)
        .memorySize(memoryMb)
        .timeout(10)
        .role("arn:aws:iam::000000000000:role/lambda")
        .code(c -> c.zipFile(zip)));
  }

  InvokeResponse invoke(String name, String payload) {
    return lambda.invoke(b -> b.functionName(name).logType(LogType.TAIL).payload(SdkBytes.fromUtf8String(payload)));
  }

  /** The error JSON of an invocation that must have failed as Lambda reports it: 200 with {@code Unhandled}. */
  static JsonObject unhandledError(InvokeResponse response) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.functionError()).isEqualTo("Unhandled");
    return new JsonObject(response.payload().asUtf8String());
  }
}
