package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * The console's bucket pages in a real browser, against the platform's S3-compatible store through the
 * S3 REST API: create, browse by prefix, upload with progress, download, delete, and a trigger whose
 * invocation shows up in the history with its S3 record. Skipped where the platform has no store
 * (GET / does not answer with a bucket list).
 */
class ConsoleBucketsIT {
  private static final String FUNCTION = "bucket-hello";
  /** HTTP/1.1, as a browser speaks to a plain-http origin. */
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;
  private static ConsoleBrowser browser;

  @BeforeAll
  static void start() throws Exception {
    RealBrowser.require();
    platform = PLATFORM.get();
    HttpResponse<String> root = HTTP.send(HttpRequest.newBuilder(platform.endpoint().resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
    assumeTrue(root.statusCode() == 200 && root.body().contains("ListAllMyBucketsResult"),
        "skipping bucket pages: this platform has no object store (GET / answered " + root.statusCode() + ")");
    LambdaClient lambda = platform.lambda();
    SdkBytes zip = RunningPlatform.example("hello-java");
    lambda.createFunction(b -> b.functionName(FUNCTION).runtime(Runtime.JAVA25).handler("example.Hello::handleRequest")
        .memorySize(256).timeout(10).role("arn:aws:iam::000000000000:role/lambda").code(c -> c.zipFile(zip)));
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
    if (browser != null) {
      assertThat(browser.scriptErrors()).as("errors in the console's scripts").isEmpty();
      assertThat(browser.leakedValues()).as("null or undefined shown as text").isEmpty();
    }
  }

  @Test
  void uploadToABucketWithATriggerShowsTheS3InvocationInTheHistory() throws Exception {
    createBucket("console-photos");
    browser.choose("trigger-function", functionArn());
    browser.type("trigger-suffix", ".txt");
    browser.click("trigger-add");
    browser.textContains(By.id("trigger-list"), FUNCTION);
    assertThat(browser.visible("trigger-list").getText()).contains("s3:ObjectCreated:*").contains(".txt");

    upload(file("greeting.txt", "hello from the console"));
    browser.visible(By.cssSelector("#objects tr[data-key='greeting.txt']"));
    browser.screenshots("bucket");

    browser.go("/invocations?function=" + FUNCTION + "&trigger=s3");
    browser.visible(By.cssSelector("#history tr[data-trigger='s3'] a")).click();
    String event = browser.textContains(By.id("invocation-request"), "\"eventSource\": \"aws:s3\"");
    assertThat(event).contains("\"name\": \"console-photos\"").contains("\"key\": \"greeting.txt\"").contains("ObjectCreated:Put");
    assertThat(browser.visible("invocation-trigger").getText()).startsWith("s3");

    browser.click("run-again");
    browser.textContains(By.id("result-payload"), "Hello, world!");
  }

  @Test
  void bucketBrowserGoesByPrefixDownloadsAndDeletes() throws Exception {
    createBucket("console-files");
    browser.type("prefix", "docs/" + Keys.ENTER);
    browser.routeContains("prefix=docs%2F");
    upload(file("notes.md", "# notes"));
    WebElement row = browser.visible(By.cssSelector("#objects tr[data-key='docs/notes.md']"));
    String href = row.findElement(By.linkText("Download")).getDomAttribute("href");
    assertThat(href).isEqualTo("/console-files/docs/notes.md");
    HttpResponse<String> download = HTTP.send(HttpRequest.newBuilder(platform.endpoint().resolve(href)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(download.body()).isEqualTo("# notes");

    browser.go("/buckets/console-files");
    browser.visible(By.cssSelector("#objects tr[data-prefix='docs/'] a")).click();
    row = browser.visible(By.cssSelector("#objects tr[data-key='docs/notes.md']"));
    row.findElement(By.cssSelector("button.danger")).click();
    browser.visible(By.cssSelector("dialog[open] button.danger")).click();
    browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#objects tr[data-key='docs/notes.md']")));
    assertThat(HTTP.send(HttpRequest.newBuilder(platform.endpoint().resolve(href)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(404);

    browser.go("/buckets");
    browser.visible(By.cssSelector("#buckets tr[data-bucket='console-files']"));
    browser.screenshots("buckets");
  }

  @Test
  void aBucketNameS3RefusesShowsS3sErrorAtTheForm() {
    browser.go("/buckets");
    browser.type("bucket-name", "Not_A_Bucket");
    browser.click("bucket-create");
    browser.textContains(By.cssSelector("#bucket-form + .notice [role=alert]"), "InvalidBucketName");
  }

  private static void createBucket(String name) {
    browser.go("/buckets");
    browser.type("bucket-name", name);
    browser.click("bucket-create");
    browser.routeContains("#/buckets/" + name);
    browser.visible("objects");
  }

  private static void upload(Path file) {
    browser.driver.findElement(By.id("object-file")).sendKeys(file.toString());
    browser.visible(By.cssSelector("#uploads [data-done='true'][data-percent='100']"));
  }

  private static String functionArn() {
    return "arn:aws:lambda:us-east-1:000000000000:function:" + FUNCTION;
  }

  private static Path file(String name, String content) throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "uploads-");
    return Files.writeString(dir.resolve(name), content).toAbsolutePath().normalize();
  }
}
