package dev.tally.cli.pricing;

import dev.tally.cli.common.StoreOptions;
import dev.tally.options.FormatOption;
import dev.tally.options.OutputFormat;
import dev.tally.store.TallyStore;
import dev.tally.store.pricing.PricingStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The steps every pricing command shares, written once: read {@code --format}, open the store, run on the tenant's
 * pricing data, print. A subcommand declares its own flags (its {@code --format} by mixing in a {@link FormatOption})
 * and {@link #run} only.
 */
abstract class PricingCommand implements Callable<Integer> {
  @Mixin StoreOptions store;
  @Spec CommandSpec spec;

  /** What a command runs on: the tenant's pricing data, and where to print. */
  record Session(PricingStore pricing, String tenant, PrintWriter out) {}

  /** Checks flags that only go together (default: none); called before the store opens. */
  void check() {}

  /**
   * The command's work.
   *
   * @param f the format given, or null for a command without {@code --format}
   * @return the exit code
   */
  abstract int run(Session s, OutputFormat f);

  @Override
  public final Integer call() {
    // The flags are read before the store opens: a mistake in them opens (and creates) nothing.
    OutputFormat f = FormatOption.given(spec).orElse(null);
    check();
    String tenant = store.tenant();
    try (TallyStore s = store.open()) {
      return run(new Session(PricingStore.open(s), tenant, spec.commandLine().getOut()), f);
    }
  }
}
