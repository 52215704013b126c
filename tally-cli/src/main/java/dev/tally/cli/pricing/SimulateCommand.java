package dev.tally.cli.pricing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.json.Json;
import dev.tally.options.FormatOption;
import dev.tally.options.Output;
import dev.tally.options.OutputFormat;
import dev.tally.store.pricing.Simulator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tally simulate --plan OTHER --from --to}. */
@Command(name = "simulate", mixinStandardHelpOptions = true, description = {
    "Re-rate past usage under another plan version and compare, per customer, what was invoiced with what would",
    "have been (both before credits). Invoices are never touched."})
public final class SimulateCommand extends PricingCommand {
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

  @Mixin FormatOption.Table format;

  @Override
  int run(Session s, OutputFormat f) {
    Simulator.Result r = s.pricing().simulator().simulate(s.tenant(), plan, Dates.date("--from", from),
        Dates.date("--to", to), new LinkedHashSet<>(customers));
    if (f == OutputFormat.JSON) {
      s.out().print(Output.json(json(r)));
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Simulator.CustomerResult c : r.customers()) {
      rows.add(List.of(c.customer(), Integer.toString(c.periods().size()), c.actual().toPlainString(),
          c.simulated().toPlainString(), signed(c.difference()), c.currency()));
    }
    s.out().print(new Output.Rows(List.of("customer", "periods", "invoiced", "simulated", "difference", "currency"),
        rows, 2).render(f));
    if (f == OutputFormat.TABLE) {
      r.differenceByCurrency().forEach((cur, d) -> s.out().println("Total difference under " + r.plan() + ": "
          + signed(d) + " " + cur));
    }
    return 0;
  }

  private static ObjectNode json(Simulator.Result r) {
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
    return n;
  }

  private static String signed(BigDecimal d) {
    return (d.signum() > 0 ? "+" : "") + d.toPlainString();
  }
}
