package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The console's own pieces that need a browser but run no function: how it is served, the zip its
 * editor writes, and how it reads /_/metrics. Needs Chromium, not runc, so it runs on any machine.
 */
class ConsoleModulesIT {
  private static RunningPlatform platform;
  private static ConsoleBrowser browser;

  @BeforeAll
  static void start() throws Exception {
    RealBrowser.require();
    platform = RunningPlatform.start(Duration.ofMinutes(1));
    browser = ConsoleBrowser.open(platform.endpoint());
    // The modules are loaded the way the pages load them: by a page of the console, from its origin.
    browser.go("/functions");
    browser.textContains(By.cssSelector("main h1"), "Functions");
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  @AfterEach
  void pageScriptsRaisedNoErrors() {
    assertThat(browser.scriptErrors()).as("errors in the console's scripts").isEmpty();
  }

  @Test
  void zipWrittenByTheConsoleIsReadByJava() throws Exception {
    Object base64 = browser.driver.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        import('/_/console/js/zip.js').then(({ zip }) => {
          const bytes = zip([{ name: 'lambda_function.py', text: 'print("h\\u00e9")\\n' }, { name: 'lib/data.txt', text: 'x'.repeat(5000) }]);
          done(btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join('')));
        });""");
    Map<String, String> entries = new LinkedHashMap<>();
    // ZipInputStream checks each stored entry's size and CRC-32 as it reads.
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(Base64.getDecoder().decode((String) base64)))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    assertThat(entries).containsExactly(Map.entry("lambda_function.py", "print(\"hé\")\n"), Map.entry("lib/data.txt", "x".repeat(5000)));
  }

  @Test
  void monitoringReadsPrometheusTextAsPrometheusWould() {
    @SuppressWarnings("unchecked")
    Map<String, Object> point = (Map<String, Object>) browser.driver.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        import('/_/console/js/metrics.js').then(({ parsePrometheus, snapshot, point }) => {
          const scrape = (ok, err, fast, slow) => snapshot(parsePrometheus([
            '# TYPE tarsier_invocations_total counter',
            `tarsier_invocations_total{function="a",status="ok",trigger="api"} ${ok}`,
            `tarsier_invocations_total{function="a",status="error",trigger="api"} ${err}`,
            `tarsier_errors_total{function="a",status="error"} ${err}`,
            `tarsier_duration_milliseconds_bucket{function="a",le="10.0"} ${fast}`,
            `tarsier_duration_milliseconds_bucket{function="a",le="100.0"} ${fast + slow}`,
            `tarsier_duration_milliseconds_bucket{function="a",le="+Inf"} ${fast + slow}`,
            'tarsier_sandboxes{state="idle"} 2.0',
            'tarsier_queue_depth 4.0',
          ].join('\\n')), '');
          const p = point(scrape(10, 0, 10, 0), scrape(30, 10, 30, 10), 30, 0);
          done({ invocations: p.invocations, errors: p.errors, p50: p.p50, p99: p.p99, idle: p.sandboxes.idle, queue: p.queue });
        });""");
    // 30 more invocations (20 ok, 10 errors) in 30 s; 20 of them under 10 ms and 10 between 10 and 100 ms.
    assertThat(((Number) point.get("invocations")).doubleValue()).isEqualTo(60.0);
    assertThat(((Number) point.get("errors")).doubleValue()).isEqualTo(20.0);
    assertThat(((Number) point.get("p50")).doubleValue()).isCloseTo(7.5, offset(0.01));
    assertThat(((Number) point.get("p99")).doubleValue()).isCloseTo(97.3, offset(0.01));
    assertThat(((Number) point.get("idle")).doubleValue()).isEqualTo(2.0);
    assertThat(((Number) point.get("queue")).doubleValue()).isEqualTo(4.0);
  }

  @Test
  void consoleServesItsPagesAndLibrariesFromTheEdgePort() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI base = platform.endpoint();
    HttpResponse<String> redirect = http.send(HttpRequest.newBuilder(base.resolve("/_/console")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.headers().firstValue("location")).hasValue("/_/console/");
    HttpResponse<String> index = http.send(HttpRequest.newBuilder(base.resolve("/_/console/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(index.body()).contains("<title>Tarsier console</title>");
    assertThat(index.headers().firstValue("content-security-policy")).hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));
    for (String library : new String[] {"/_/console/vendor/uplot/dist/uPlot.esm.js", "/_/console/vendor/codemirror/lib/codemirror.js"}) {
      HttpResponse<String> js = http.send(HttpRequest.newBuilder(base.resolve(library)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(js.statusCode()).as(library).isEqualTo(200);
      assertThat(js.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));
    }
  }
}
