package dev.tally.cli.pricing;

import dev.tally.cli.common.InputFile;
import dev.tally.options.CommandGroup;
import dev.tally.options.OutputFormat;
import dev.tally.store.pricing.CatalogStore;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tally catalog apply|list|show}. */
@Command(
    name = "catalog",
    mixinStandardHelpOptions = true,
    description = "Declare the pricing catalogue: customers, plans, subscriptions, discounts, coupons, credits.",
    subcommands = {CatalogCommand.Apply.class, CatalogReadCommands.ListSection.class,
        CatalogReadCommands.Show.class})
public final class CatalogCommand extends CommandGroup {
  /** {@code tally catalog apply FILE}. */
  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Create or replace the entities a YAML or JSON catalogue file declares (see docs/pricing.md).",
        "Entities not in the file are kept. Plan versions are immutable: change prices in a new version."
      })
  static final class Apply extends PricingCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "catalog.yaml or catalog.json")
    Path file;

    private String text;

    @Override
    void check() {
      text = InputFile.read(file);
    }

    @Override
    int run(Session s, OutputFormat f) {
      CatalogStore.ApplyResult r = s.pricing().catalog().apply(s.tenant(), text, file.toString());
      for (String section : new TreeSet<>(List.of("customers", "plans", "subscriptions", "discounts", "coupons",
          "wallets"))) {
        int c = r.created().getOrDefault(section, 0);
        int u = r.replaced().getOrDefault(section, 0);
        int n = r.unchanged().getOrDefault(section, 0);
        if (c + u + n > 0) {
          s.out().println(section + ": " + c + " created, " + u + " replaced, " + n + " unchanged");
        }
      }
      return 0;
    }
  }
}
