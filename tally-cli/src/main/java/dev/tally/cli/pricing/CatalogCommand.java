package dev.tally.cli.pricing;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.cli.common.StoreOptions;
import dev.tally.store.TallyStore;
import dev.tally.store.pricing.CatalogStore;
import dev.tally.store.pricing.PricingStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally catalog apply|list|show}. */
@Command(
    name = "catalog",
    mixinStandardHelpOptions = true,
    description = "Declare the pricing catalogue: customers, plans, subscriptions, discounts, coupons, credits.",
    subcommands = {CatalogCommand.Apply.class, CatalogReadCommands.ListSection.class,
        CatalogReadCommands.Show.class})
public final class CatalogCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code tally catalog apply FILE}. */
  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Create or replace the entities a YAML or JSON catalogue file declares (see docs/pricing.md).",
        "Entities not in the file are kept. Plan versions are immutable: change prices in a new version."
      })
  static final class Apply implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "FILE", description = "catalog.yaml or catalog.json")
    Path file;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw TallyException.invalid(Problem.of("FILE", "cannot be read: " + e.getMessage(), file.toString()));
      }
      PrintWriter out = spec.commandLine().getOut();
      try (TallyStore s = store.open()) {
        CatalogStore.ApplyResult r = PricingStore.open(s).catalog().apply(store.tenant(), text, file.toString());
        for (String section : new TreeSet<>(List.of("customers", "plans", "subscriptions", "discounts", "coupons",
            "wallets"))) {
          int c = r.created().getOrDefault(section, 0);
          int u = r.replaced().getOrDefault(section, 0);
          int n = r.unchanged().getOrDefault(section, 0);
          if (c + u + n > 0) {
            out.println(section + ": " + c + " created, " + u + " replaced, " + n + " unchanged");
          }
        }
      }
      return 0;
    }
  }
}
