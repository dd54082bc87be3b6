package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** A handler that can never be loaded: its static initializer throws, as a missing configuration often does. */
public class BrokenInit implements RequestHandler<Map<String, Object>, String> {
  static {
    if (!Boolean.getBoolean("example.never.set")) {
      throw new IllegalStateException("BrokenInit refuses to load: configuration is missing");
    }
  }

  @Override
  public String handleRequest(Map<String, Object> event, Context context) {
    return "unreachable";
  }
}
