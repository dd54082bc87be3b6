package example.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A small JSON API behind a function URL: notes kept in the sandbox's memory (so they last as long as
 * it stays warm), plus a few routes that show what a function URL carries both ways.
 *
 * <pre>
 *   GET  /notes         → the notes as a JSON array
 *   POST /notes         → adds the body as a note, 201
 *   GET  /whoami        → method, path, query, cookies and user agent as the function saw them
 *   GET  /pixel.gif     → a binary response (base64 in the result)
 *   GET  /login         → sets two cookies
 *   anything else       → 404
 * </pre>
 */
public class NotesApi implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
  private static final List<String> NOTES = new ArrayList<>();

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    String method = event.getRequestContext().getHttp().getMethod();
    String path = event.getRawPath();
    context.getLogger().log(method + " " + path);
    return switch (method + " " + path) {
      case "GET /notes" -> json(200, notes());
      case "POST /notes" -> {
        String body = event.getBody() == null ? "" : event.getIsBase64Encoded()
            ? new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8) : event.getBody();
        synchronized (NOTES) {
          NOTES.add(body);
        }
        yield json(201, notes());
      }
      case "GET /whoami" -> json(200, "{\"method\":" + quote(method) + ",\"path\":" + quote(path)
          + ",\"query\":" + quote(event.getRawQueryString()) + ",\"cookies\":" + array(event.getCookies())
          + ",\"userAgent\":" + quote(event.getRequestContext().getHttp().getUserAgent()) + "}");
      case "GET /pixel.gif" -> APIGatewayV2HTTPResponse.builder().withStatusCode(200)
          .withHeaders(Map.of("Content-Type", "image/gif")).withBody(Base64.getEncoder().encodeToString(PIXEL))
          .withIsBase64Encoded(true).build();
      case "GET /login" -> APIGatewayV2HTTPResponse.builder().withStatusCode(204)
          .withCookies(List.of("session=tapir; Path=/; HttpOnly", "theme=dark; Path=/")).build();
      default -> json(404, "{\"message\":\"no route for " + method + " " + path.replace("\"", "") + "\"}");
    };
  }

  private static String notes() {
    synchronized (NOTES) {
      return array(NOTES);
    }
  }

  private static APIGatewayV2HTTPResponse json(int status, String body) {
    return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
        .withHeaders(Map.of("Content-Type", "application/json")).withBody(body).build();
  }

  private static String array(List<String> values) {
    if (values == null) {
      return "[]";
    }
    return "[" + String.join(",", values.stream().map(NotesApi::quote).toList()) + "]";
  }

  private static String quote(String value) {
    if (value == null) {
      return "null";
    }
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
