package dev.tarsier.sandbox.training;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The function a Java runtime's start-up archive is trained with: a POJO handler taking and returning
 * JSON objects, and logging, so the runtime interface client loads what a typical function makes it load
 * (its serializers above all). Compiled for Java 17 so every Java runtime can run it.
 */
public class TrainingHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    context.getLogger().log("training " + context.getAwsRequestId() + " with " + event.size() + " fields");
    Map<String, Object> answer = new LinkedHashMap<>(event);
    answer.put("function", context.getFunctionName());
    answer.put("remainingMillis", context.getRemainingTimeInMillis());
    answer.put("items", List.of(1, 2.5, "three", true));
    return answer;
  }
}
