package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Breaks the sandbox's limits on purpose, so the platform's tests can check how each is enforced and
 * reported. The event's {@code action} picks what to do:
 *
 * <ul>
 *   <li>{@code hello}: answers {@code {"ok":true}}.
 *   <li>{@code sleep}: sleeps {@code millis}, e.g. past the function's timeout.
 *   <li>{@code oom}: takes native memory until the cgroup's OOM killer ends the process. Native, not heap:
 *       the heap is capped below the memory limit, so heap allocation would end in a Java
 *       {@code OutOfMemoryError} instead of the kernel's kill we want to see.
 *   <li>{@code exit} / {@code halt}: ends the JVM with {@code code}.
 *   <li>{@code fill-tmp}: writes to {@code /tmp} until the file system refuses, then reports how far it got.
 *   <li>{@code threads}: starts threads until the pids limit refuses one, then reports how many it started.
 *   <li>{@code block}: fetches {@code notify} (an HTTP URL, so a test knows the event is running), then
 *       sleeps {@code millis}.
 *   <li>{@code jvm}: reports the JVM settings in force (tiered compilation's last level, the collector,
 *       the heap), to check what the runtime's defaults and {@code JAVA_TOOL_OPTIONS} made of them.
 * </ul>
 */
public class Misbehave implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private static final int MB = 1024 * 1024;

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    String action = String.valueOf(event.get("action"));
    context.getLogger().log("misbehaving: " + action);
    Map<String, Object> answer = new LinkedHashMap<>();
    try {
      switch (action) {
        case "hello" -> answer.put("ok", true);
        case "sleep" -> Thread.sleep(number(event, "millis", 60_000));
        case "oom" -> answer.put("allocatedMb", allocateNativeUntilKilled());
        case "exit" -> System.exit((int) number(event, "code", 3));
        case "halt" -> Runtime.getRuntime().halt((int) number(event, "code", 4));
        case "fill-tmp" -> fillTmp(answer);
        case "threads" -> startThreads(answer);
        case "jvm" -> jvmSettings(answer);
        case "block" -> {
          notify(String.valueOf(event.get("notify")));
          Thread.sleep(number(event, "millis", 60_000));
        }
        default -> throw new IllegalArgumentException("unknown action " + action);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer.put("interrupted", true);
    }
    return answer;
  }

  private static void jvmSettings(Map<String, Object> answer) {
    var hotspot = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
    for (String flag : new String[] {"TieredStopAtLevel", "UseSerialGC", "UseParallelGC"}) {
      answer.put(flag, hotspot.getVMOption(flag).getValue());
    }
    answer.put("maxHeapMb", Runtime.getRuntime().maxMemory() / MB);
    // Whether the JVM was started on a start-up archive (an AOT cache from Java 24 on, a CDS archive before).
    answer.put("startupArchive", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .anyMatch(argument -> argument.startsWith("-XX:AOTCache=") || argument.startsWith("-XX:SharedArchiveFile=")));
  }

  private static long number(Map<String, Object> event, String key, long fallback) {
    Object value = event.get(key);
    return value instanceof Number n ? n.longValue() : fallback;
  }

  /** Returns only if the kernel refuses memory without killing us, which the tests treat as a failure. */
  private static long allocateNativeUntilKilled() {
    try {
      Field field = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
      field.setAccessible(true);
      Object unsafe = field.get(null);
      Method allocate = unsafe.getClass().getMethod("allocateMemory", long.class);
      Method set = unsafe.getClass().getMethod("setMemory", long.class, long.class, byte.class);
      long total = 0;
      while (true) {
        long address = (long) allocate.invoke(unsafe, 8L * MB);
        // Touch every page: untouched memory is only reserved, and the cgroup charges what is touched.
        set.invoke(unsafe, address, 8L * MB, (byte) 1);
        total += 8;
      }
    } catch (ReflectiveOperationException | OutOfMemoryError e) {
      throw new IllegalStateException("native allocation failed without an OOM kill", e);
    }
  }

  private static void fillTmp(Map<String, Object> answer) {
    byte[] chunk = new byte[MB];
    long written = 0;
    Path file = Path.of("/tmp", "fill-" + System.nanoTime());
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(chunk);
        written += chunk.length;
      }
    } catch (IOException e) {
      answer.put("writtenMb", written / MB);
      answer.put("error", e.toString());
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // The answer already says what happened; a file left in a private /tmp goes with the sandbox.
      }
    }
  }

  private static void startThreads(Map<String, Object> answer) {
    List<Thread> threads = new ArrayList<>();
    try {
      while (threads.size() < 100_000) {
        Thread thread = new Thread(() -> {
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
      }
    } catch (OutOfMemoryError e) {
      answer.put("error", e.getMessage());
    } finally {
      answer.put("started", threads.size());
      threads.forEach(Thread::interrupt);
    }
  }

  private static void notify(String url) {
    try (InputStream in = new URL(url).openStream()) {
      in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("could not notify " + url, e);
    }
  }
}
