package dev.tarsier.invoker;

import dev.tarsier.invoker.queue.EventStore;
import dev.tarsier.invoker.records.InvocationRecord;
import dev.tarsier.invoker.records.InvocationRecords;
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

  /** Sets reserved concurrency; returns it. */
  Future<Integer> putFunctionConcurrency(String name, int reserved);

  /** The reserved concurrency, or null when none is set. */
  Future<Integer> getFunctionConcurrency(String name);

  Future<Void> deleteFunctionConcurrency(String name);

  /**
   * Keeps {@code sandboxes} sandboxes of the function started (provisioned concurrency). Completes with its
   * status once they are ready or their init failed, or after a few seconds with the status so far.
   */
  Future<ProvisionedConcurrency> putProvisionedConcurrency(String name, int sandboxes);

  /** The function's provisioned concurrency, or null when none is configured. */
  Future<ProvisionedConcurrency> getProvisionedConcurrency(String name);

  Future<Void> deleteProvisionedConcurrency(String name);

  /** Replaces (PutFunctionEventInvokeConfig) or merges into (Update…) the async settings; null fields are not given. */
  Future<AsyncConfig> putEventInvokeConfig(String name, Integer maxRetryAttempts, Integer maxEventAgeSeconds, String onSuccess,
      String onFailure, boolean merge);

  Future<AsyncConfig> getEventInvokeConfig(String name);

  Future<Void> deleteEventInvokeConfig(String name);

  /** AddPermission: adds a statement to the function's resource policy; returns it as JSON text. */
  Future<String> addPermission(String name, Permission permission);

  /** GetPolicy: the function's resource policy; ResourceNotFound when it has no statement. */
  Future<FunctionPolicy> getPolicy(String name);

  /** RemovePermission: drops one statement by its id. */
  Future<Void> removePermission(String name, String statementId);

  Future<List<InvocationRecord>> invocations(InvocationRecords.Query query);

  Future<InvocationRecord> invocation(String id);

  /** The async queue's depth and oldest event. */
  Future<EventStore.Depth> queueDepth();

  /** The account limit and what reservations leave unreserved. */
  Future<AccountConcurrency> accountConcurrency();

  record AccountConcurrency(int limit, int unreserved) {}

  /** The runtime identifiers this platform offers. */
  List<String> runtimes();
}
