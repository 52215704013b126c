package dev.tally.cli.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.options.FormatOption;
import dev.tally.options.Output;
import dev.tally.options.OutputFormat;
import dev.tally.store.pricing.InvoiceExplainer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tally invoice explain INVOICE [LINE]}. */
@Command(name = "explain", mixinStandardHelpOptions = true, description = {
    "Explain an invoice's lines: the rule, the meter query, filters, quantity, tiers and arithmetic.",
    "With a LINE and --events, list the events behind its quantity."})
final class InvoiceExplainCommand extends PricingCommand {
  @Parameters(index = "0", paramLabel = "INVOICE", description = "Invoice number or id.")
  String invoice;

  @Parameters(index = "1", arity = "0..1", paramLabel = "LINE", description = "A line number (default: all).")
  Integer line;

  @Option(names = "--events", description = "List the events behind the line's quantity (needs LINE).")
  boolean events;

  @Option(names = "--limit", defaultValue = "1000", description = "Most events listed (default: ${DEFAULT-VALUE}).")
  int limit;

  @Mixin FormatOption.Table format;

  @Override
  void check() {
    if (events && line == null) {
      throw TallyException.invalid(Problem.of("LINE", "--events needs a line number"));
    }
  }

  @Override
  int run(Session s, OutputFormat f) {
    InvoiceExplainer ex = s.pricing().explainer();
    if (events) {
      printEvents(s.out(), f, ex.events(s.tenant(), invoice, line, limit));
      return 0;
    }
    ObjectNode e = ex.explain(s.tenant(), invoice, line == null ? OptionalInt.empty() : OptionalInt.of(line));
    s.out().print(switch (f) {
      case JSON -> Output.json(e);
      case CSV -> lines(e).render(f);
      default -> text(e);
    });
    return 0;
  }

  /** One row per line: what the CSV gives. */
  private static Output.Rows lines(JsonNode e) {
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode l : e.path("lines")) {
      JsonNode x = l.path("explanation");
      rows.add(List.of(l.path("number").asText(), l.path("kind").asText(), l.path("description").asText(),
          x.path("rule").asText(), x.path("source").path("meter").asText(""), l.path("quantity").asText(),
          x.path("arithmetic").asText(), l.path("amount").asText()));
    }
    return new Output.Rows(List.of("line", "kind", "description", "rule", "meter", "quantity", "arithmetic",
        "amount"), rows);
  }

  static String text(JsonNode e) {
    StringBuilder sb = new StringBuilder();
    sb.append("Invoice ").append(e.path("invoice").asText()).append(" (").append(e.path("status").asText())
        .append("), customer ").append(e.path("customer").asText()).append(", plan ").append(e.path("plan").asText())
        .append(", ").append(e.path("currency").asText()).append('\n');
    for (JsonNode l : e.path("lines")) {
      JsonNode x = l.path("explanation");
      sb.append('\n').append("Line ").append(l.path("number").asText()).append(": ").append(l.path("description")
          .asText()).append(" = ").append(l.path("amount").asText()).append('\n');
      sb.append("  rule:       ").append(x.path("rule").asText()).append('\n');
      JsonNode q = x.path("query");
      if (q.isObject()) {
        sb.append("  meter:      ").append(q.path("meterSlug").asText()).append('\n');
        sb.append("  period:     [").append(q.path("from").asText()).append(", ").append(q.path("to").asText())
            .append(")\n");
        List<String> subjects = new ArrayList<>();
        q.path("subject").forEach(n -> subjects.add(n.asText()));
        sb.append("  subjects:   ").append(String.join(", ", subjects)).append('\n');
        List<String> filters = new ArrayList<>();
        q.path("filterGroupBy").properties().forEach(f -> filters.add(f.getKey() + "=" + f.getValue().asText()));
        sb.append("  filters:    ").append(filters.isEmpty() ? "none" : String.join(", ", filters)).append('\n');
        sb.append("  quantity:   ").append(l.path("quantity").asText()).append(' ').append(l.path("unit").asText())
            .append('\n');
      }
      for (JsonNode st : x.path("steps")) {
        sb.append("  step:       ").append(st.path("label").asText()).append(": ").append(st.path("arithmetic")
            .asText()).append('\n');
      }
      sb.append("  arithmetic: ").append(x.path("arithmetic").asText()).append('\n');
    }
    if (e.path("void").isObject()) {
      sb.append('\n').append("Void since ").append(e.path("void").path("voidedAt").asText()).append(": ")
          .append(e.path("void").path("reason").asText()).append('\n');
    }
    for (JsonNode n : e.path("creditNotes")) {
      sb.append('\n').append("Credit note ").append(n.path("number").asText()).append(" = ")
          .append(n.path("total").asText()).append(" (").append(n.path("reason").asText()).append(")\n");
      for (JsonNode l : n.path("lines")) {
        sb.append("  ").append(l.path("kind").asText()).append(": ").append(l.path("description").asText())
            .append(" = ").append(l.path("amount").asText()).append('\n');
      }
    }
    if (!e.path("creditNotes").isEmpty()) {
      sb.append("Credited ").append(e.path("credited").asText()).append(", left after credit notes ")
          .append(e.path("netAfterCreditNotes").asText()).append(' ').append(e.path("currency").asText())
          .append('\n');
    }
    return sb.toString();
  }

  private static void printEvents(PrintWriter out, OutputFormat f, List<InvoiceExplainer.EventRow> rows) {
    if (f == OutputFormat.JSON) {
      ArrayNode a = Json.json().createArrayNode();
      for (InvoiceExplainer.EventRow r : rows) {
        ObjectNode n = a.addObject();
        n.put("source", r.source());
        n.put("id", r.id());
        n.put("subject", r.subject());
        n.put("time", r.time().toString());
        r.value().ifPresentOrElse(v -> n.put("value", v.stripTrailingZeros()), () -> n.putNull("value"));
        try {
          n.set("data", Json.json().readTree(r.data()));
        } catch (JsonProcessingException e) {
          n.put("data", r.data());
        }
      }
      out.print(Output.json(a));
      return;
    }
    List<List<String>> table = rows.stream().map(r -> List.of(r.time().toString(), r.subject(), r.source(), r.id(),
        r.value().map(v -> v.stripTrailingZeros().toPlainString()).orElse(""), r.data())).toList();
    out.print(new Output.Rows(List.of("time", "subject", "source", "id", "value", "data"), table, 4).render(f));
    if (f == OutputFormat.TABLE) {
      out.println("(" + rows.size() + " event" + (rows.size() == 1 ? "" : "s") + ")");
    }
  }
}
