package dev.tally.cli.pricing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.common.StoreOptions;
import dev.tally.core.json.Json;
import dev.tally.store.TallyStore;
import dev.tally.store.pricing.PricingStore;
import dev.tally.store.pricing.Simulator;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tally simulate --plan OTHER --from --to}. */
@Command(name = "simulate", mixinStandardHelpOptions = true, description = {
    "Re-rate past usage under another plan version and compare, per customer, what was invoiced with what would",
    "have been (both before credits). Invoices are never touched."})
public final class SimulateCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Option(names = "--plan", required = true, paramLabel = "PLAN[@VERSION]",
      description = "The plan to simulate (its latest version unless @VERSION is given).")
  String plan;

  @Option(names = "--customers", split = ",", paramLabel = "ID", description = "Only these customers.")
  List<String> customers = new ArrayList<>();

  @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD",
      description = "First day: periods starting on or after it.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD",
      description = "Day after the last: periods starting before it.")
  String to;

  @Option(names = "--format", defaultValue = "table", description = "json, csv or table (default: table).")
  String format;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Output.Format f = Output.Format.parse(format);
    PrintWriter out = spec.commandLine().getOut();
    Simulator.Result r;
    try (TallyStore s = store.open()) {
      r = PricingStore.open(s).simulator().simulate(store.tenant(), plan, Output.date("--from", from),
          Output.date("--to", to), new LinkedHashSet<>(customers));
    }
    if (f == Output.Format.JSON) {
      ObjectNode n = Json.json().createObjectNode();
      n.put("plan", r.plan());
      n.put("from", r.from().toString());
      n.put("to", r.to().toString());
      ArrayNode cs = n.putArray("customers");
      for (Simulator.CustomerResult c : r.customers()) {
        ObjectNode o = cs.addObject();
        o.put("customer", c.customer());
        o.put("currency", c.currency());
        o.put("periods", c.periods().size());
        o.put("invoiced", c.actual());
        o.put("simulated", c.simulated());
        o.put("difference", c.difference());
      }
      ObjectNode diff = n.putObject("difference");
      r.differenceByCurrency().forEach(diff::put);
      out.print(Output.json(n));
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Simulator.CustomerResult c : r.customers()) {
      rows.add(List.of(c.customer(), Integer.toString(c.periods().size()), c.actual().toPlainString(),
          c.simulated().toPlainString(), signed(c.difference()), c.currency()));
    }
    InvoiceCommand.print(out, f, List.of("customer", "periods", "invoiced", "simulated", "difference", "currency"),
        rows, 2);
    if (f == Output.Format.TABLE) {
      r.differenceByCurrency().forEach((cur, d) -> out.println("Total difference under " + r.plan() + ": "
          + signed(d) + " " + cur));
    }
    return 0;
  }

  private static String signed(BigDecimal d) {
    return (d.signum() > 0 ? "+" : "") + d.toPlainString();
  }
}
