package com.otporchestrator.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium for browser tests: Debian's {@code /usr/bin/chromium} driven through Debian's
 * {@code /usr/bin/chromedriver} by Selenium. Both paths are given explicitly, so Selenium Manager never runs and
 * nothing is downloaded; every browser gets a fresh profile directory, deleted on close. Waits poll the page (like
 * {@link Await}) and fail with what was awaited.
 */
public final class Browser implements AutoCloseable {
  public static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium");
  public static final String CHROMEDRIVER = System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");
  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

  private final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profile;
  private final String baseUrl;

  private Browser(String baseUrl) {
    this.baseUrl = baseUrl;
    if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
      throw new IllegalStateException("browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
          + " (apt-get install chromium chromium-driver; .ci/run installs them)");
    }
    try {
      this.profile = Files.createTempDirectory("otp-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
    this.service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort().build();
    this.driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    driver.manage().window().setSize(new Dimension(1280, 900));
  }

  /** A new browser whose relative addresses resolve against {@code baseUrl} (such as a TestNode's). */
  public static Browser open(String baseUrl) {
    return new Browser(baseUrl);
  }

  public WebDriver driver() {
    return driver;
  }

  /** Loads {@code path} (relative to the base URL, or absolute). */
  public Browser go(String path) {
    driver.get(path.startsWith("http") ? path : baseUrl + path);
    return this;
  }

  public String path() {
    return java.net.URI.create(driver.getCurrentUrl()).getPath();
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  public String text(String css) {
    return find(css).getText();
  }

  /** Types into the field labelled by {@code id}, replacing what it held. */
  public Browser type(String id, String value) {
    WebElement field = driver.findElement(By.id(id));
    field.clear();
    field.sendKeys(value);
    return this;
  }

  public Browser click(String css) {
    find(css).click();
    return this;
  }

  /** Waits until {@code condition} answers non-null and non-false, polling every 50 ms, and answers it. */
  public <T> T until(String what, Function<WebDriver, T> condition) {
    return until(what, DEFAULT_WAIT, condition);
  }

  public <T> T until(String what, Duration timeout, Function<WebDriver, T> condition) {
    WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
    wait.withMessage("waiting until " + what);
    return wait.until(condition::apply);
  }

  /** The page's source as the browser holds it now (after scripts). */
  public String html() {
    return driver.getPageSource();
  }

  /** Runs a script in the page (for what WebDriver cannot ask, such as a server-set clock). */
  public Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  /** Saves a PNG of the viewport to {@code file} (directories are created). */
  public void screenshot(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      deleteQuietly(profile);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp profile is harmless
    }
  }
}
