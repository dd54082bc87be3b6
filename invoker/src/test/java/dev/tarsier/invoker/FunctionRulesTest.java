package dev.tarsier.invoker;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FunctionRulesTest {
  private static final List<String> OFFERED = List.of("java17", "java25", "nodejs20.x", "python3.11", "provided.al2023", "provided");

  @ParameterizedTest
  @CsvSource({"java21", "nodejs18.x", "python3.12", "go1.x"})
  void refusesRuntimeThatIsNotOfferedNamingTheOnesThatAre(String runtime) {
    assertThatThrownBy(() -> FunctionRules.check(function(runtime, "index.handler"), OFFERED))
        .isInstanceOf(LambdaFailure.InvalidParameterValue.class)
        .hasMessageContaining("Value " + runtime + " at 'runtime'")
        .hasMessageContaining("java17, java25, nodejs20.x, provided, provided.al2023, python3.11");
  }

  @ParameterizedTest
  @CsvSource({"index.handler", "hello-event.handler", "src/app.handler", "lib/v2/app.handlers.main", "@scope/pkg.run"})
  void acceptsNodeHandlersNamingAFileAndAnExport(String handler) {
    assertThatCode(() -> FunctionRules.check(function("nodejs20.x", handler), OFFERED)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @CsvSource({"index", "../index.handler", "src/../index.handler", "/var/task/index.handler", "index.", "index.handler()"})
  void refusesNodeHandlersThatNameNoExportOrLeaveTheTask(String handler) {
    assertThatThrownBy(() -> FunctionRules.check(function("nodejs20.x", handler), OFFERED))
        .isInstanceOf(LambdaFailure.InvalidParameterValue.class)
        .hasMessageContaining("is not a Node.js handler");
  }

  @ParameterizedTest
  @CsvSource({"hello.handler", "app.lambda_handler", "pkg/module.handler", "pkg.module.handler", "_private.run", "my-function.handler",
      "1app.handler"})
  void acceptsPythonHandlersNamingAModuleAndAFunction(String handler) {
    assertThatCode(() -> FunctionRules.check(function("python3.11", handler), OFFERED)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @CsvSource({"hello", "../app.handler", "/var/task/app.handler", "pkg//app.handler", "app.handler-2", "app.", "my app.handler"})
  void refusesPythonHandlersThatCannotBeImported(String handler) {
    assertThatThrownBy(() -> FunctionRules.check(function("python3.11", handler), OFFERED))
        .isInstanceOf(LambdaFailure.InvalidParameterValue.class)
        .hasMessageContaining("is not a Python handler");
  }

  @ParameterizedTest
  @CsvSource({"provided.al2023", "provided"})
  void providedRuntimesTakeAnyHandler(String runtime) {
    assertThatCode(() -> FunctionRules.check(function(runtime, "not a handler at all"), OFFERED)).doesNotThrowAnyException();
  }

  @Test
  void everyRuntimeNeedsAHandler() {
    assertThatThrownBy(() -> FunctionRules.check(function("provided", " "), OFFERED))
        .isInstanceOf(LambdaFailure.InvalidParameterValue.class)
        .hasMessageContaining("Handler is required");
  }

  private static FunctionConfig function(String runtime, String handler) {
    return new FunctionConfig("fn", runtime, handler, 128, 3, 512, "", "arn:aws:iam::000000000000:role/lambda", Map.of(), "", 0, "", "");
  }
}
