package dev.tally.cli.pricing;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.cli.StoreOptions;
import dev.tally.core.pricing.Catalog;
import dev.tally.core.pricing.PlanVersion;
import dev.tally.core.pricing.Subscription;
import dev.tally.core.format.TextTable;
import dev.tally.store.TallyStore;
import dev.tally.store.pricing.CatalogStore;
import dev.tally.store.pricing.PricingStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally catalog apply|show}. */
@Command(
    name = "catalog",
    mixinStandardHelpOptions = true,
    description = "Declare the pricing catalogue: customers, plans, subscriptions, discounts, coupons, credits.",
    subcommands = {CatalogCommand.Apply.class, CatalogCommand.Show.class})
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

  /** {@code tally catalog show}. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "List the tenant's plans and subscriptions.")
  static final class Show implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (TallyStore s = store.open()) {
        Catalog c = PricingStore.open(s).catalog().load(store.tenant());
        TextTable plans = new TextTable(List.of("plan", "name", "currency", "interval", "charges"),
            new boolean[] {false, false, false, false, true});
        for (PlanVersion p : c.plans()) {
          plans.add(List.of(p.ref(), p.name(), p.currency(), p.interval().label(),
              Integer.toString(p.charges().size())));
        }
        out.print(plans);
        out.println();
        TextTable subs = new TextTable(List.of("subscription", "customer", "plan", "start", "end", "anchor"),
            new boolean[6]);
        for (Subscription sub : c.subscriptions()) {
          subs.add(List.of(sub.id(), sub.customer(), sub.planRef(), sub.start().toString(),
              sub.end().map(Object::toString).orElse(""), sub.anchor().name().toLowerCase(java.util.Locale.ROOT)));
        }
        out.print(subs);
        out.println(Map.of("customers", c.customers().size(), "discounts", c.discounts().size(), "coupons",
            c.coupons().size(), "wallets", c.wallets().size()).entrySet().stream().sorted(Map.Entry.comparingByKey())
            .map(e -> e.getValue() + " " + e.getKey()).reduce((a, b) -> a + ", " + b).orElse(""));
      }
      return 0;
    }
  }
}
