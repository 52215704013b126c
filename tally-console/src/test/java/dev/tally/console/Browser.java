package dev.tally.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** What the browser tests do in the page, as a person would: open an address, wait until the view is ready, look. */
final class Browser {
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(30);

  final ConsoleFixture f;
  final ChromeDriver d;

  Browser(ConsoleFixture f) {
    this.f = f;
    this.d = f.driver;
  }

  /** Signs in through the form with a key; returns when the first view is ready. */
  void signIn(String key) {
    d.get(f.base() + "/#/sign-in");
    waitFor("sign-in");
    WebElement input = d.findElement(By.id("api-key"));
    input.clear();
    input.sendKeys(key);
    d.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
    new WebDriverWait(d, WAIT).until(x -> !"sign-in".equals(view()) && "ready".equals(state()));
  }

  /** Opens a view by its address (#/name?...) and waits until it is ready; returns its ready time in ms. */
  long open(String hash) {
    js("window.tallyMark = (window.tallyRequests || []).length;"
        + "document.getElementById('view').dataset.state = 'stale'; location.hash = arguments[0];", hash);
    String name = hash.replaceFirst("^#/", "").replaceFirst("\\?.*$", "");
    return waitFor(name);
  }

  /** Opens an address whose view must fail; returns what the page says. */
  String openExpectingError(String hash) {
    js("document.getElementById('view').dataset.state = 'stale'; location.hash = arguments[0];", hash);
    String name = hash.replaceFirst("^#/", "").replaceFirst("\\?.*$", "");
    new WebDriverWait(d, WAIT).until(x -> name.equals(view()) && List.of("ready", "error").contains(state()));
    assertThat(state()).isEqualTo("error");
    return text("#view .error");
  }

  /** Waits for a view to be ready (or in error: then fails with what it says); returns its ready time in ms. */
  long waitFor(String name) {
    new WebDriverWait(d, WAIT).until(x -> name.equals(view()) && List.of("ready", "error").contains(state()));
    assertThat(state()).as("view %s: %s", name, text("#view")).isEqualTo("ready");
    String ms = d.findElement(By.id("view")).getDomAttribute("data-ready-ms");
    long t = ms == null ? -1 : Long.parseLong(ms);
    if (t >= 0) {
      // The view's own API calls, as the page timed them: the reference its ready time is compared with.
      List<?> calls = (List<?>) js("const r = window.tallyRequests || []; return r.slice(window.tallyMark || 0)"
          + ".map(x => x.ms);");
      long slowest = calls.stream().mapToLong(c -> ((Number) c).longValue()).max().orElse(0);
      f.recordReady(name, t, calls.size(), slowest);
    }
    js("window.tallyMark = (window.tallyRequests || []).length;");
    return t;
  }

  /** Waits until the current view is ready again after a click that navigates. */
  long waitForNext(String name) {
    new WebDriverWait(d, WAIT).until(x -> name.equals(view()) && "ready".equals(state()));
    return waitFor(name);
  }

  String view() {
    return d.findElement(By.id("view")).getDomAttribute("data-view");
  }

  String state() {
    return d.findElement(By.id("view")).getDomAttribute("data-state");
  }

  /** Marks the view stale, so that the next wait sees the navigation a click starts. */
  void stale() {
    js("document.getElementById('view').dataset.state = 'stale';");
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) d).executeScript(script, args);
  }

  String text(String css) {
    return d.findElement(By.cssSelector(css)).getText();
  }

  List<WebElement> all(String css) {
    return d.findElements(By.cssSelector(css));
  }

  WebElement one(String css) {
    return d.findElement(By.cssSelector(css));
  }

  String hash() {
    return (String) js("return location.hash;");
  }

  /** Saves what the window shows, the whole page tall, as target/console-screenshots/NAME.png. */
  void screenshot(String name) {
    Number height = (Number) js("return Math.max(document.documentElement.scrollHeight, 900);");
    d.manage().window().setSize(new org.openqa.selenium.Dimension(1440, Math.min(3000, height.intValue() + 20)));
    try {
      Files.createDirectories(SCREENSHOTS);
      Files.write(SCREENSHOTS.resolve(name + ".png"), d.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      d.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 1100));
    }
  }

  /** Nothing the page's Content-Security-Policy refused so far. */
  void assertNoPolicyViolations() {
    assertThat((List<?>) js("return window.tallyCspViolations || [];")).isEmpty();
  }

  /** A figure as shown, "$6,106.18" or "1,234 tokens", as a number. */
  static java.math.BigDecimal number(String shown) {
    String s = shown.replaceAll("[^0-9.\\-−]", "").replace('−', '-');
    return new java.math.BigDecimal(s);
  }
}
