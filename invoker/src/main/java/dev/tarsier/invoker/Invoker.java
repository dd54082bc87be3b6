package dev.tarsier.invoker;

import io.vertx.core.Future;
import java.util.List;

/**
 * The invoker's face to the gateway: functions and their invocation, in Lambda's terms. Every method
 * may be called from any thread and fails with a {@link LambdaFailure}. A remote implementation can
 * replace the embedded one when gateways and invokers run as separate processes.
 */
public interface Invoker {

  Future<FunctionConfig> createFunction(String name, FunctionSettings settings, byte[] zip);

  Future<FunctionConfig> getFunction(String name);

  /** One page of functions, in name order, starting after {@code marker} (null for the first page). */
  Future<List<FunctionConfig>> listFunctions(String marker, int maxItems);

  Future<FunctionConfig> updateFunctionCode(String name, byte[] zip);

  Future<FunctionConfig> updateFunctionConfiguration(String name, FunctionSettings settings);

  Future<Void> deleteFunction(String name);

  Future<InvokeResponse> invoke(InvokeRequest request);

  /** The runtime identifiers this platform offers. */
  List<String> runtimes();
}
