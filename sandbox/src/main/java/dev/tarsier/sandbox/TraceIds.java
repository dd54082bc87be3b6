package dev.tarsier.sandbox;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** X-Ray style trace headers, so runtimes that copy {@code Lambda-Runtime-Trace-Id} find the shape they expect. */
final class TraceIds {
  private TraceIds() {}

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String epoch = Long.toHexString(System.currentTimeMillis() / 1000);
    byte[] root = new byte[12];
    byte[] parent = new byte[8];
    random.nextBytes(root);
    random.nextBytes(parent);
    return "Root=1-" + epoch + "-" + HexFormat.of().formatHex(root) + ";Parent=" + HexFormat.of().formatHex(parent) + ";Sampled=0";
  }
}
