package dev.tally.cli;

import dev.tally.cli.CliRun.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Tests of commands on one tenant's store, {@code t1}, in a fresh directory per test: the pricing tests' base. */
public abstract class TenantCliTest {
  @TempDir protected Path dir;
  protected CliRun.Tenant t1;

  // Runs before the subclass's own @BeforeEach, which can then fill the store.
  @BeforeEach
  final void openTenant() {
    t1 = new CliRun.Tenant(dir, "t1");
  }

  /** Runs {@code tally ARGS --data DIR/data --tenant t1}. */
  protected Run run(String... args) {
    return t1.run(args);
  }
}
