package dev.tarsier.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 by hand over a socket, for the wire details no SDK lets a test choose: the Host header,
 * hand-framed aws-chunked bodies, {@code Expect: 100-continue}, bodiless HEAD errors.
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Sends a request head (lines without the final blank line) and a body, and reads the answer. */
  Response exchange(String head, byte[] body, boolean headRequest) throws IOException {
    send(head, body);
    return read(headRequest);
  }

  void send(String head, byte[] body) throws IOException {
    out.write((head.replace("\n", "\r\n") + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    if (body != null) {
      out.write(body);
    }
    out.flush();
  }

  void sendBody(byte[] body) throws IOException {
    out.write(body);
    out.flush();
  }

  Response read(boolean headRequest) throws IOException {
    String status = line();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(); !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
    }
    int code = Integer.parseInt(status.split(" ")[1]);
    byte[] body = new byte[0];
    String length = headers.get("content-length");
    if (!headRequest && code != 100 && code != 204 && code != 304 && length != null) {
      body = in.readNBytes(Integer.parseInt(length));
    }
    return new Response(code, headers, new String(body, StandardCharsets.UTF_8));
  }

  /** Whether the server closed the connection: the next read finds the end of the stream. */
  boolean closedByServer() throws IOException {
    return in.read() == -1;
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
