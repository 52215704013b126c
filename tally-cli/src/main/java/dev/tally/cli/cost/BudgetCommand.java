package dev.tally.cli.cost;

import dev.tally.cli.common.StoreOptions;
import dev.tally.core.cost.ChargeScope;
import dev.tally.core.format.UsageFormats;
import dev.tally.options.CommandGroup;
import dev.tally.options.FormatOption;
import dev.tally.store.TallyStore;
import dev.tally.store.cost.Budget;
import dev.tally.store.cost.CostFilter;
import dev.tally.store.cost.CostStore;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally budget ...}: budgets with thresholds on actual spend or on the forecast. */
@Command(
    name = "budget",
    mixinStandardHelpOptions = true,
    description = "Budgets: an amount per month, quarter or year for a scope, with alert thresholds.",
    subcommands = {BudgetCommand.Create.class, BudgetCommand.ListBudgets.class, BudgetCommand.Delete.class})
public final class BudgetCommand extends CommandGroup {
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a budget.",
      footer = {"", "Example:", "  tally budget create platform --amount 5000 --period monthly "
          + "--filter SubAccountId=123 --threshold 50 --threshold 80 --threshold 100 --threshold 100:forecast"})
  static final class Create implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "NAME", description = "The budget's name.")
    String name;

    @Option(names = "--amount", required = true, paramLabel = "MONEY",
        description = "Amount per period, in the charges' billing currency.")
    BigDecimal amount;

    @Option(names = "--period", paramLabel = "P", defaultValue = "monthly",
        description = "monthly, quarterly or yearly (default: ${DEFAULT-VALUE}).")
    String period;

    @Option(names = "--filter", paramLabel = "COL=VALUE", description = "Scope (repeatable).")
    List<String> filters = new ArrayList<>();

    @Option(names = "--threshold", paramLabel = "PCT[:forecast]",
        description = "Alert at this percent of the amount, on actual spend or with :forecast on the forecast"
            + " (repeatable; default: 50, 80, 100 and 100:forecast).")
    List<String> thresholds = new ArrayList<>();

    @Option(names = "--charges", paramLabel = "WHICH", defaultValue = "all",
        description = "usage, non-usage or all (default: ${DEFAULT-VALUE}).")
    String charges;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      List<CostFilter> parsed = filters.stream().map(f -> CostFilter.parse("--filter", f)).toList();
      List<Budget.Threshold> ts = thresholds.isEmpty() ? Budget.defaultThresholds()
          : thresholds.stream().map(Budget.Threshold::parse).toList();
      ChargeScope scope = ReportCommand.parse("--charges", charges, ChargeScope::parse);
      Budget b = new Budget(name, Budget.period(period), amount, scope, parsed, ts);
      String tenant = store.tenant();
      try (TallyStore s = store.open()) {
        CostStore.on(s).budgets().create(tenant, b);
      }
      spec.commandLine().getOut().println("created budget " + name + ": " + amount.toPlainString() + " "
          + Budget.periodLabel(b.period()) + ", thresholds " + ts);
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Each budget's spend and forecast in its current period, and the thresholds crossed.")
  static final class ListBudgets implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Mixin AsOfOptions day;

    @Mixin FormatOption.Table format;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      UsageFormats.Format f = format.format().usage();
      ZoneId z = day.zone();
      String tenant = store.tenant();
      try (TallyStore s = store.open()) {
        spec.commandLine().getOut().print(CostStore.on(s).budgets().status(tenant, day.day(s, z), z).render(f));
      }
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a budget (its alerts stay).")
  static final class Delete implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "NAME", description = "The budget's name.")
    String name;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      String tenant = store.tenant();
      try (TallyStore s = store.open()) {
        CostStore.on(s).budgets().delete(tenant, name);
      }
      spec.commandLine().getOut().println("deleted budget " + name);
      return 0;
    }
  }
}
