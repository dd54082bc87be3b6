package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * The web console in a real browser (headless Chromium) against the real platform with real runc:
 * what a user does, step by step, and what the page then shows. Screenshots of the main pages, wide
 * and narrow, land in {@code target/screenshots/}.
 */
class ConsoleIT {
  private static final String HELLO = "console-hello";

  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;
  private static LambdaClient lambda;
  private static ConsoleBrowser browser;

  @BeforeAll
  static void start() throws Exception {
    RealBrowser.require();
    platform = PLATFORM.get();
    lambda = platform.lambda();
    createHello(HELLO);
    browser = ConsoleBrowser.open(platform.endpoint());
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  @AfterEach
  void pageScriptsRaisedNoErrorsAndShowNoLeakedValues() {
    assertThat(browser.scriptErrors()).as("errors in the console's scripts").isEmpty();
    assertThat(browser.leakedValues()).as("null or undefined shown as text").isEmpty();
  }

  @Test
  void createsFunctionFromZipAndRunsTheTapirTestShowingReport() throws Exception {
    browser.go("/functions/new");
    browser.type("zip-name", "zip-hello");
    browser.choose("zip-runtime", "java25");
    browser.type("zip-memory", "256");
    browser.type("zip-timeout", "10");
    browser.driver.findElement(By.id("zip-file")).sendKeys(helloZip().toString());
    browser.textContains(By.id("zip-chosen"), "hello-java.zip");
    browser.screenshots("create-function");
    // The page moves on once created; remember how far the upload progress went on the way.
    browser.script("window.uploadProgress = 0; new MutationObserver(() => { window.uploadProgress = Math.max(window.uploadProgress,"
        + " Number(document.getElementById('zip-progress').dataset.percent || 0)); })"
        + ".observe(document.getElementById('zip-progress'), {attributes: true});");
    browser.click("zip-create");
    browser.routeContains("#/functions/zip-hello/test");
    assertThat(((Number) browser.script("return window.uploadProgress")).intValue()).as("upload progress shown").isEqualTo(100);

    browser.choose("template", "tapir");
    assertThat(browser.visible("event").getDomProperty("value")).isEqualTo("\"Tapir\"");
    browser.click("run");
    String coldLog = browser.textContains(By.id("log"), "REPORT RequestId:");
    assertThat(coldLog).startsWith("START RequestId: ").contains("END RequestId: ").contains("Billed Duration: ")
        .contains("Memory Size: 256 MB").contains("Max Memory Used: ").contains("Init Duration: ");
    // hello-java takes an object; a bare string is the function's own error, shown as Lambda reports it.
    assertThat(browser.visible("run-status").getText()).contains("Failed").contains("Unhandled");
    assertThat(browser.visible("result-payload").getText()).contains("errorMessage");
    WebElement bar = browser.visible(By.cssSelector("#timings .bar"));
    assertThat(bar.getDomAttribute("aria-label")).startsWith("Cold start: wait ").contains("init ").contains("run ");
    assertThat(bar.findElements(By.cssSelector("span.init"))).hasSize(1);
    browser.screenshots("test-cold-start");

    browser.choose("template", "hello");
    browser.type("save-name", "tapir-object");
    browser.click("save-event");
    browser.textContains(By.id("saved-event"), "tapir-object");
    browser.click("run");
    browser.textContains(By.id("result-payload"), "Hello, Tapir!");
    assertThat(browser.visible("run-status").getText()).isEqualTo("Succeeded");
    String warmLog = browser.textContains(By.id("log"), "REPORT RequestId:");
    assertThat(warmLog).contains("Hello from zip-hello, greeting Tapir").doesNotContain("Init Duration");
    assertThat(browser.visible(By.cssSelector("#timings .bar")).getDomAttribute("aria-label")).startsWith("Warm start");
    browser.screenshots("test-warm");
  }

  @Test
  void creatingAFunctionTwiceShowsLambdasConflictAtTheForm() throws Exception {
    browser.go("/functions/new");
    browser.type("zip-name", HELLO);
    browser.driver.findElement(By.id("zip-file")).sendKeys(helloZip().toString());
    browser.click("zip-create");
    String alert = browser.textContains(By.cssSelector("#zip-form [role=alert]"), "ResourceConflictException");
    assertThat(alert).contains(HELLO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"python3.11", "nodejs20.x"})
  void writesAFunctionInTheEditorAndRunsIt(String runtime) throws Exception {
    boolean python = runtime.startsWith("python");
    String name = python ? "inline-python" : "inline-node";
    String code = python
        ? "def lambda_handler(event, context):\n    print('inline python saw', event['name'])\n    return {'reply': 'Hi ' + event['name'] + ' from Python'}\n"
        : "export const handler = async (event) => {\n  console.log('inline node saw', event.name);\n  return { reply: `Hi ${event.name} from Node.js` };\n};\n";
    browser.go("/functions/new?from=editor");
    browser.visible(By.cssSelector("#inline-form .CodeMirror"));
    browser.choose("inline-runtime", runtime);
    browser.type("inline-name", name);
    // Typing would meet the editor's auto-indent and bracket closing; set the text the way a paste does.
    browser.script("document.querySelector('#inline-form .CodeMirror').CodeMirror.setValue(arguments[0])", code);
    browser.screenshots(python ? "editor-python" : "editor-node");
    browser.click("inline-save");

    if (!offered(runtime)) {
      String alert = browser.textContains(By.cssSelector("#inline-form [role=alert]"), "InvalidParameterValueException");
      assertThat(alert).contains(runtime);
      return;
    }
    browser.routeContains("#/functions/" + name + "/test");
    browser.choose("template", "hello");
    browser.click("run");
    browser.textContains(By.id("result-payload"), python ? "Hi Tapir from Python" : "Hi Tapir from Node.js");
    String log = browser.textContains(By.id("log"), "REPORT RequestId:");
    assertThat(log).contains(python ? "inline python saw Tapir" : "inline node saw Tapir");
    browser.screenshots(python ? "test-python" : "test-node");
  }

  @Test
  void historyOpensARecordAndRunsItsEventAgain() throws Exception {
    InvokeResponse invoked = invoke(HELLO, "{\"name\":\"History\"}");
    String id = invoked.responseMetadata().requestId();
    browser.go("/invocations?function=" + HELLO);
    WebElement link = browser.visible(By.cssSelector("#history tr[data-id='" + id + "'] a"));
    browser.screenshots("invocations");
    link.click();
    browser.textContains(By.id("invocation-request"), "\"name\": \"History\"");
    assertThat(browser.visible("invocation-result").getText()).contains("Hello, History!");
    assertThat(browser.visible("invocation-log").getText()).contains("greeting History").contains("REPORT RequestId: " + id);
    assertThat(browser.visible("invocation-trigger").getText()).isEqualTo("api");
    browser.visible(By.cssSelector(".timings .bar"));
    browser.screenshots("invocation");

    browser.click("run-again");
    browser.routeContains("#/functions/" + HELLO + "/test?replay=" + id);
    browser.textContains(By.id("result-payload"), "Hello, History!");
    String replayId = browser.visible(By.cssSelector("#report-facts a")).getText();
    browser.go("/invocations/" + replayId);
    assertThat(browser.textContains(By.id("invocation-trigger"), "console")).isEqualTo("console");
  }

  @Test
  void monitoringDrawsNonEmptyPlotsAndKeepsAddingPoints() throws Exception {
    invoke(HELLO, "{\"name\":\"Monitor\"}");
    browser.go("/monitoring");
    browser.choose("monitor-every", "2");
    for (String chart : new String[] {"invocations", "duration", "cold", "sandboxes", "queue"}) {
      browser.wait.until(d -> points(chart) > 0);
      assertThat(browser.driver.findElements(By.cssSelector("#chart-" + chart + " canvas"))).as(chart + " is drawn").isNotEmpty();
    }
    int before = points("queue");
    for (int i = 0; i < 5; i++) {
      invoke(HELLO, "{\"name\":\"Monitor\"}");
    }
    browser.wait.until(d -> points("queue") > before);
    assertThat(browser.visible(By.cssSelector("#chart-invocations .latest")).getText()).startsWith("Latest: invocations");
    browser.screenshots("monitoring");
  }

  @Test
  void functionListShowsStatsAndDeletingAsksFirst() throws Exception {
    invoke(HELLO, "{\"name\":\"List\"}");
    createHello("doomed");
    browser.go("/functions");
    WebElement row = browser.visible(By.cssSelector("#functions tr[data-function='" + HELLO + "'][data-loaded='true']"));
    assertThat(row.getText()).contains("java25").contains("256 MB").contains("10 s").contains(" ms");
    browser.screenshots("functions");

    browser.go("/functions/doomed");
    browser.click("delete-function");
    browser.visible(By.cssSelector("dialog[open] button.cancel")).click();
    browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("dialog")));
    assertThat(lambda.getFunction(b -> b.functionName("doomed")).configuration().functionName()).isEqualTo("doomed");
    browser.click("delete-function");
    browser.visible(By.cssSelector("dialog[open] button.danger")).click();
    browser.routeContains("deleted=doomed");
    browser.textContains(By.cssSelector("[role=status]"), "Deleted doomed.");
    assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName("doomed"))).isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void keyboardFocusMovesToTheNewPageAndIsVisible() {
    browser.go("/functions");
    browser.visible("functions");
    // After a page change focus is on its heading, so the next Tab reaches the page's first control.
    browser.wait.until(d -> "Functions".equals(d.switchTo().activeElement().getText()));
    browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
    WebElement focused = browser.driver.switchTo().activeElement();
    assertThat(focused.getText()).isEqualTo("Create function");
    assertThat(focused.getCssValue("outline-style")).isEqualTo("solid");
    assertThat(focused.getCssValue("outline-width")).isEqualTo("3px");
  }

  @Test
  void configurationIsSavedThroughTheLambdaApiAndRefusalsShowAtTheForm() throws Exception {
    createHello("configured");
    browser.go("/functions/configured/configuration");
    browser.type("cfg-memory", "64");
    browser.click("cfg-save");
    String alert = browser.textContains(By.cssSelector("#config-form [role=alert]"), "InvalidParameterValueException");
    assertThat(alert).contains("64");

    browser.type("cfg-memory", "512");
    browser.type("cfg-timeout", "15");
    browser.click("env-add");
    WebElement key = browser.visible(By.cssSelector("#env-rows .env-row:last-child .env-key"));
    key.sendKeys("GREETING");
    browser.driver.findElement(By.cssSelector("#env-rows .env-row:last-child .env-value")).sendKeys("hi");
    browser.type("cfg-concurrency", "3");
    browser.type("cfg-prewarm", "1");
    browser.choose("cfg-retries", "0");
    browser.type("cfg-max-age", "120");
    String target = lambda.getFunction(b -> b.functionName(HELLO)).configuration().functionArn();
    browser.type("cfg-on-failure", target);
    browser.click("cfg-save");
    browser.textContains(By.cssSelector("#config-form [role=status]"), "Saved");
    browser.textContains(By.id("cfg-prewarm-hint"), "Ready: 1 of 1 started");
    browser.screenshots("configuration");

    var saved = lambda.getFunctionConfiguration(b -> b.functionName("configured"));
    assertThat(saved.memorySize()).isEqualTo(512);
    assertThat(saved.timeout()).isEqualTo(15);
    assertThat(saved.environment().variables()).containsEntry("GREETING", "hi");
    assertThat(lambda.getFunctionConcurrency(b -> b.functionName("configured")).reservedConcurrentExecutions()).isEqualTo(3);
    assertThat(lambda.getProvisionedConcurrencyConfig(b -> b.functionName("configured").qualifier("$LATEST"))
        .requestedProvisionedConcurrentExecutions()).isEqualTo(1);
    var async = lambda.getFunctionEventInvokeConfig(b -> b.functionName("configured"));
    assertThat(async.maximumRetryAttempts()).isZero();
    assertThat(async.maximumEventAgeInSeconds()).isEqualTo(120);
    assertThat(async.destinationConfig().onFailure().destination()).isEqualTo(target);
  }

  @Test
  void liveLogShowsEachInvocationWhenItEnds() throws Exception {
    browser.go("/functions/" + HELLO + "/logs");
    browser.wait.until(d -> "following".equals(d.findElement(By.id("tail-state")).getDomAttribute("data-state")));
    invoke(HELLO, "{\"name\":\"Tail\"}");
    String tail = browser.textContains(By.id("tail"), "greeting Tail");
    assertThat(tail).contains("REPORT RequestId:");
    browser.screenshots("live-log");
  }

  private static int points(String chart) {
    String value = browser.driver.findElement(By.id("chart-" + chart)).getDomAttribute("data-points");
    return value == null ? 0 : Integer.parseInt(value);
  }

  private static boolean offered(String runtime) throws Exception {
    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(platform.endpoint().resolve("/_/health")).build(), HttpResponse.BodyHandlers.ofString());
    return new JsonObject(health.body()).getJsonArray("runtimes").contains(runtime);
  }

  private static Path helloZip() {
    // chromedriver takes only canonical paths for file inputs.
    return Path.of(System.getProperty("tarsier.examples", "../functions/examples"), "hello-java", "target", "hello-java.zip")
        .toAbsolutePath().normalize();
  }

  private static void createHello(String name) throws Exception {
    SdkBytes zip = RunningPlatform.example("hello-java");
    lambda.createFunction(b -> b.functionName(name)
        .runtime(Runtime.JAVA25)
        .handler("example.Hello::handleRequest")
        .memorySize(256)
        .timeout(10)
        .role("arn:aws:iam::000000000000:role/lambda")
        .code(c -> c.zipFile(zip)));
  }

  private static InvokeResponse invoke(String name, String payload) {
    return lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String(payload)));
  }
}
