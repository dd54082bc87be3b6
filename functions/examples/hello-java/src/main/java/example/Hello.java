package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Answers {@code {"name":"Tapir"}} with {@code {"message":"Hello, Tapir!"}} and logs one line. */
public class Hello implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Object name = event == null ? null : event.get("name");
    String who = name == null ? "world" : name.toString();
    context.getLogger().log("Hello from " + context.getFunctionName() + ", greeting " + who);
    return Map.of("message", "Hello, " + who + "!", "requestId", context.getAwsRequestId());
  }
}
