package dev.tally.store.pricing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test on a {@link PricingBed} of its own: a fresh store for each test, opened at the test's time with its
 * catalogue applied, and closed after it. A test's own {@code @BeforeEach} runs after this one's, so it finds the bed
 * open (JUnit runs a superclass's first).
 */
abstract class OnPricingBed {
  private final String now;
  private final String catalog;

  @TempDir Path dir;
  PricingBed bed;

  /**
   * @param now the store clock's time to start with
   * @param catalog the catalogue to apply (null: none)
   */
  OnPricingBed(String now, String catalog) {
    this.now = now;
    this.catalog = catalog;
  }

  @BeforeEach
  void openBed() {
    bed = new PricingBed(dir, now);
    if (catalog != null) {
      bed.apply(catalog);
    }
  }

  @AfterEach
  void closeBed() {
    bed.close();
  }
}
