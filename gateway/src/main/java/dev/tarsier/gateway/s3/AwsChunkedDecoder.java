package dev.tarsier.gateway.s3;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Strips aws-chunked framing from a body as it streams in, handing the payload bytes on and keeping the
 * trailers. Handles all three STREAMING-* variants: chunk signatures ({@code ;chunk-signature=...}) are
 * skipped unchecked, since this store does not verify SigV4 at all. Grammar (sizes in hex):
 * <pre>
 * chunk    = hex-size [";" ext] CRLF data CRLF      (repeated)
 * last     = "0" [";" ext] CRLF
 * trailers = *(name ":" value CRLF) CRLF
 * </pre>
 * One instance per body, confined to the thread that feeds it.
 */
final class AwsChunkedDecoder {
  /** Longer header or trailer lines are not aws-chunked; refusing them bounds the memory a line can take. */
  private static final int MAX_LINE = 4096;

  private enum State { SIZE, DATA, DATA_END, TRAILERS, DONE }

  private final Consumer<Buffer> payload;
  private final Map<String, String> trailers = new LinkedHashMap<>();
  private final StringBuilder line = new StringBuilder();
  private State state = State.SIZE;
  private long remaining;
  private boolean sawCr;

  AwsChunkedDecoder(Consumer<Buffer> payload) {
    this.payload = payload;
  }

  /** Feeds the next piece of the encoded body; payload bytes are passed on before this returns. */
  void accept(Buffer encoded) {
    int position = 0;
    int length = encoded.length();
    while (position < length) {
      switch (state) {
        case DATA -> {
          int take = (int) Math.min(remaining, length - position);
          payload.accept(encoded.slice(position, position + take));
          position += take;
          remaining -= take;
          if (remaining == 0) {
            state = State.DATA_END;
          }
        }
        case SIZE, DATA_END, TRAILERS -> {
          int end = readLine(encoded, position, length);
          position = end;
        }
        case DONE -> throw malformed("bytes after the end of the aws-chunked body");
      }
    }
  }

  /** Ends the body; fails if the framing was cut short. Returns the trailers, names in lower case. */
  Map<String, String> finish() {
    // A final empty line after the trailers is required by the grammar; some clients omit it.
    if (state == State.DONE || (state == State.TRAILERS && line.isEmpty() && !sawCr)) {
      return trailers;
    }
    throw S3Error.INCOMPLETE_BODY.exception("The aws-chunked body ended in the middle of a chunk.");
  }

  /** Reads up to and including the next LF, handling a completed line; returns the next position. */
  private int readLine(Buffer encoded, int position, int length) {
    while (position < length) {
      byte b = encoded.getByte(position++);
      if (b == '\n') {
        if (!sawCr) {
          throw malformed("a line ended without CR");
        }
        sawCr = false;
        String completed = line.toString();
        line.setLength(0);
        completeLine(completed);
        return position;
      }
      if (sawCr) {
        throw malformed("a CR not followed by LF");
      }
      if (b == '\r') {
        sawCr = true;
      } else {
        if (line.length() >= MAX_LINE) {
          throw malformed("a framing line longer than " + MAX_LINE + " bytes");
        }
        line.append((char) (b & 0xFF));
      }
    }
    return position;
  }

  private void completeLine(String text) {
    switch (state) {
      case DATA_END -> {
        if (!text.isEmpty()) {
          throw malformed("chunk data longer than its declared size");
        }
        state = State.SIZE;
      }
      case SIZE -> {
        int semicolon = text.indexOf(';');
        String hex = (semicolon < 0 ? text : text.substring(0, semicolon)).strip();
        try {
          remaining = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
          throw malformed("a chunk size that is not hex: '" + hex + "'");
        }
        if (remaining < 0) {
          throw malformed("a negative chunk size");
        }
        state = remaining == 0 ? State.TRAILERS : State.DATA;
      }
      case TRAILERS -> {
        if (text.isEmpty()) {
          state = State.DONE;
          return;
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
          throw malformed("a trailer without a name: '" + text + "'");
        }
        String name = text.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        trailers.put(name, new String(text.substring(colon + 1).strip().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
      }
      case DATA, DONE -> throw new IllegalStateException("no line expected in state " + state);
    }
  }

  private static S3Exception malformed(String what) {
    return S3Error.INCOMPLETE_BODY.exception("The aws-chunked body is malformed: " + what + ".");
  }
}
