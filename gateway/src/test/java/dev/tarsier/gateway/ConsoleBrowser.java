package dev.tarsier.gateway;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through its own chromedriver, pointed at a platform's console.
 * Both binaries are given by path, so Selenium never looks for (or downloads) a driver or a browser.
 * Each instance has a fresh profile, removed on close.
 */
final class ConsoleBrowser implements AutoCloseable {
  /** Where the console's screenshots go as build artifacts. */
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final int WIDE = 1280;
  static final int NARROW = 390;

  final ChromeDriver driver;
  final WebDriverWait wait;
  private final URI platform;
  private final Path profile;
  private final ChromeDriverService service;

  private ConsoleBrowser(ChromeDriver driver, ChromeDriverService service, URI platform, Path profile) {
    this.driver = driver;
    this.service = service;
    this.platform = platform;
    this.profile = profile;
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(60));
  }

  static ConsoleBrowser open(URI platform) throws IOException {
    Path profile = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chromium-");
    ChromeOptions options = new ChromeOptions()
        .setBinary(RealBrowser.CHROMIUM.toFile())
        .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
            "--window-size=" + WIDE + ",900", "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(RealBrowser.CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    return new ConsoleBrowser(new ChromeDriver(service, options), service, platform, profile);
  }

  /**
   * Opens a console route, e.g. {@code /functions/hello/test}. Going to the route already shown
   * reloads it, since the same address would otherwise change nothing.
   */
  void go(String route) {
    String url = platform + "/_/console/#" + route;
    if (url.equals(driver.getCurrentUrl())) {
      driver.navigate().refresh();
    } else {
      driver.get(url);
    }
  }

  WebElement visible(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  WebElement visible(String id) {
    return visible(By.id(id));
  }

  /** Waits until the element's text contains the given text, and returns its whole text. */
  String textContains(By by, String text) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    return driver.findElement(by).getText();
  }

  void type(String id, String text) {
    WebElement input = visible(id);
    input.clear();
    input.sendKeys(text);
  }

  void choose(String id, String value) {
    new Select(visible(id)).selectByValue(value);
  }

  void click(String id) {
    wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
  }

  void routeContains(String fragment) {
    wait.until(d -> d.getCurrentUrl().contains(fragment));
  }

  Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Waits for two animation frames: layout and drawing after a resize have happened. */
  void settle() {
    ((JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));");
  }

  /**
   * Saves the whole page as {@code <name>-1280.png} and {@code <name>-390.png}, failing if the page
   * is wider than either window (it would scroll sideways on a phone). The viewport is set
   * through the DevTools protocol, exactly and as tall as the page, since a headless window is held
   * to its screen's size; focus is taken off the last control so no focus ring shows.
   */
  void screenshots(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    script("document.activeElement?.blur(); window.scrollTo(0, 0);");
    try {
      for (int width : new int[] {WIDE, NARROW}) {
        viewport(width, 900);
        long height = ((Number) script("return Math.ceil(document.body.getBoundingClientRect().height)")).longValue();
        viewport(width, (int) Math.min(Math.max(height, 480), 4000));
        long scrollWidth = ((Number) script("return document.documentElement.scrollWidth")).longValue();
        if (scrollWidth > width) {
          throw new AssertionError(name + " is " + scrollWidth + " px wide in a " + width + " px window: it scrolls sideways");
        }
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + "-" + width + ".png"), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
      settle();
    }
  }

  private void viewport(int width, int height) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    settle();
  }

  /** A value that leaked into the page as text, a line reading {@code null} or the word {@code undefined}. */
  List<String> leakedValues() {
    String text = driver.findElement(By.tagName("body")).getText();
    return text.lines().filter(line -> line.strip().equals("null") || line.contains("undefined")).toList();
  }

  /**
   * Errors the page's scripts logged since the last call. Failed requests are left out: the console
   * makes some on purpose (a function without async settings answers 404) and shows API errors itself.
   */
  List<String> scriptErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(m -> !m.contains("Failed to load resource"))
        .toList();
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      service.stop();
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
