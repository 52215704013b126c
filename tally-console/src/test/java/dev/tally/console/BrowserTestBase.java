package dev.tally.console;

import org.junit.jupiter.api.BeforeAll;

/**
 * The base of the browser tests: the one fixture of the test JVM (the demo tenant loaded once, one browser) and a
 * {@link Browser} over it.
 */
abstract class BrowserTestBase {
  static ConsoleFixture f;
  static Browser b;

  @BeforeAll
  static void fixture() {
    f = ConsoleFixture.get();
    b = new Browser(f);
  }
}
