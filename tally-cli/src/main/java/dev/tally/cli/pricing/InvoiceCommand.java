package dev.tally.cli.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.cli.common.StoreOptions;
import dev.tally.core.format.Csv;
import dev.tally.core.format.TextTable;
import dev.tally.core.json.Json;
import dev.tally.core.pricing.Customer;
import dev.tally.store.TallyStore;
import dev.tally.store.pricing.InvoiceExplainer;
import dev.tally.store.pricing.InvoiceExport;
import dev.tally.store.pricing.PricingStore;
import dev.tally.store.pricing.StoredInvoice;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally invoice run|list|show|explain|export|void|credit|credit-notes}. */
@Command(
    name = "invoice",
    mixinStandardHelpOptions = true,
    description = "Run, list, show, explain, export, void and credit invoices.",
    subcommands = {InvoiceRunCommand.class, InvoiceCommand.ListInvoices.class, InvoiceCommand.Show.class,
        InvoiceCommand.Explain.class, InvoiceCommand.Export.class, InvoiceCorrectionCommands.VoidInvoice.class,
        InvoiceCorrectionCommands.Credit.class, InvoiceCorrectionCommands.ListNotes.class})
public final class InvoiceCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final List<String> SUMMARY = List.of("invoice", "status", "customer", "subscription", "period",
      "total", "currency");

  static List<String> summary(StoredInvoice i) {
    return List.of(i.reference(), i.status().label(), i.customer(), i.subscription(), i.activeStart() + ".."
        + i.activeEnd(), i.total().toPlainString(), i.currency());
  }

  /** {@code tally invoice list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List invoices.")
  static final class ListInvoices implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = "--period", paramLabel = "YYYY-MM", description = "Only periods starting in this month.")
    String period;

    @Option(names = "--customer", paramLabel = "ID", description = "Only this customer's.")
    String customer;

    @Option(names = "--format", defaultValue = "table", description = "json, csv or table (default: table).")
    String format;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Output.Format f = Output.Format.parse(format);
      PrintWriter out = spec.commandLine().getOut();
      try (TallyStore s = store.open()) {
        List<StoredInvoice> list = PricingStore.open(s).invoices().list(store.tenant(),
            Optional.ofNullable(period).map(p -> Output.month("--period", p)), Optional.ofNullable(customer));
        if (f == Output.Format.JSON) {
          out.print(InvoiceExport.json(list));
        } else {
          print(out, f, SUMMARY, list.stream().map(InvoiceCommand::summary).toList(), 5);
        }
      }
      return 0;
    }
  }

  /** {@code tally invoice show INVOICE}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show an invoice and its lines.")
  static final class Show implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "INVOICE", description = "Invoice number (INV-000001) or id (sub@2024-04-01).")
    String invoice;

    @Option(names = "--format", defaultValue = "table", description = "json, csv or table (default: table).")
    String format;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Output.Format f = Output.Format.parse(format);
      PrintWriter out = spec.commandLine().getOut();
      try (TallyStore s = store.open()) {
        StoredInvoice inv = PricingStore.open(s).invoices().require(store.tenant(), invoice);
        switch (f) {
          case JSON -> out.print(Output.json(inv.doc()));
          case CSV -> out.print(InvoiceExport.csv(List.of(inv)));
          case TABLE -> out.print(table(inv));
        }
      }
      return 0;
    }
  }

  /** An invoice for people: header, lines, totals. */
  static String table(StoredInvoice inv) {
    JsonNode d = inv.doc();
    StringBuilder sb = new StringBuilder();
    sb.append("Invoice ").append(inv.reference()).append(" (").append(inv.status().label()).append(")\n");
    sb.append("Customer ").append(inv.customer()).append(", subscription ").append(inv.subscription())
        .append(", plan ").append(inv.plan()).append('\n');
    sb.append("Period ").append(inv.activeStart()).append(" .. ").append(inv.activeEnd()).append(" (")
        .append(d.path("period").path("timeZone").asText()).append(")\n");
    inv.contentHash().ifPresent(h -> sb.append("Content hash ").append(h).append('\n'));
    sb.append('\n');
    TextTable t = new TextTable(List.of("#", "kind", "description", "quantity", "unit", "amount"),
        new boolean[] {true, false, false, true, false, true});
    for (JsonNode l : d.path("lines")) {
      t.add(List.of(l.path("number").asText(), l.path("kind").asText(), l.path("description").asText(),
          l.path("unit").asText().isEmpty() ? "" : l.path("quantity").asText(), l.path("unit").asText(),
          l.path("amount").asText()));
    }
    sb.append(t).append('\n');
    JsonNode totals = d.path("totals");
    for (String k : List.of("subtotal", "discounts", "tax", "totalBeforeCredits", "credits", "total")) {
      sb.append(String.format("%-20s %14s %s%n", k, totals.path(k).asText(), inv.currency()));
    }
    return sb.toString();
  }

  /** {@code tally invoice explain INVOICE [LINE]}. */
  @Command(name = "explain", mixinStandardHelpOptions = true, description = {
      "Explain an invoice's lines: the rule, the meter query, filters, quantity, tiers and arithmetic.",
      "With a LINE and --events, list the events behind its quantity."})
  static final class Explain implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "INVOICE", description = "Invoice number or id.")
    String invoice;

    @Parameters(index = "1", arity = "0..1", paramLabel = "LINE", description = "A line number (default: all).")
    Integer line;

    @Option(names = "--events", description = "List the events behind the line's quantity (needs LINE).")
    boolean events;

    @Option(names = "--limit", defaultValue = "1000", description = "Most events listed (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--format", defaultValue = "table", description = "json, csv or table (default: table).")
    String format;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Output.Format f = Output.Format.parse(format);
      PrintWriter out = spec.commandLine().getOut();
      if (events && line == null) {
        throw TallyException.invalid(Problem.of("LINE", "--events needs a line number"));
      }
      try (TallyStore s = store.open()) {
        InvoiceExplainer ex = PricingStore.open(s).explainer();
        if (events) {
          printEvents(out, f, ex.events(store.tenant(), invoice, line, limit));
          return 0;
        }
        ObjectNode e = ex.explain(store.tenant(), invoice, line == null ? OptionalInt.empty() : OptionalInt.of(line));
        if (f == Output.Format.JSON) {
          out.print(Output.json(e));
        } else if (f == Output.Format.CSV) {
          List<List<String>> rows = new ArrayList<>();
          for (JsonNode l : e.path("lines")) {
            JsonNode x = l.path("explanation");
            rows.add(List.of(l.path("number").asText(), l.path("kind").asText(), l.path("description").asText(),
                x.path("rule").asText(), x.path("source").path("meter").asText(""), l.path("quantity").asText(),
                x.path("arithmetic").asText(), l.path("amount").asText()));
          }
          print(out, f, List.of("line", "kind", "description", "rule", "meter", "quantity", "arithmetic", "amount"),
              rows, -1);
        } else {
          out.print(explainText(e));
        }
      }
      return 0;
    }
  }

  static String explainText(JsonNode e) {
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

  private static void printEvents(PrintWriter out, Output.Format f, List<InvoiceExplainer.EventRow> rows) {
    if (f == Output.Format.JSON) {
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
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          n.put("data", r.data());
        }
      }
      out.print(Output.json(a));
      return;
    }
    List<List<String>> table = rows.stream().map(r -> List.of(r.time().toString(), r.subject(), r.source(), r.id(),
        r.value().map(v -> v.stripTrailingZeros().toPlainString()).orElse(""), r.data())).toList();
    print(out, f, List.of("time", "subject", "source", "id", "value", "data"), table, 4);
    if (f == Output.Format.TABLE) {
      out.println("(" + rows.size() + " event" + (rows.size() == 1 ? "" : "s") + ")");
    }
  }

  /** {@code tally invoice export}. */
  @Command(name = "export", mixinStandardHelpOptions = true, description = {
      "Export invoices as JSON documents, CSV lines, or FOCUS 1.0 cost rows (CSV) for FinOps tools."})
  static final class Export implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = "--period", paramLabel = "YYYY-MM", description = "Only periods starting in this month.")
    String period;

    @Option(names = "--customer", paramLabel = "ID", description = "Only this customer's.")
    String customer;

    @Option(names = "--format", defaultValue = "json", description = "json, csv or focus (default: json).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of the output.")
    Path output;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      String text;
      try (TallyStore s = store.open()) {
        PricingStore p = PricingStore.open(s);
        List<StoredInvoice> list = p.invoices().list(store.tenant(),
            Optional.ofNullable(period).map(m -> Output.month("--period", m)), Optional.ofNullable(customer));
        text = switch (format.trim().toLowerCase(java.util.Locale.ROOT)) {
          case "json" -> InvoiceExport.json(list);
          case "csv" -> InvoiceExport.csv(list);
          case "focus" -> InvoiceExport.focus(list, p.corrections().list(store.tenant(), Optional.empty()),
              p.catalog().load(store.tenant()).customers().stream()
                  .collect(Collectors.toMap(Customer::id, Customer::name)));
          default -> throw TallyException.invalid(Problem.of("--format", "must be json, csv or focus", format));
        };
      }
      if (output == null) {
        spec.commandLine().getOut().print(text);
      } else {
        try {
          Files.writeString(output, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw TallyException.invalid(Problem.of("--output", "cannot be written: " + e.getMessage(),
              output.toString()));
        }
        spec.commandLine().getErr().println("wrote " + output);
      }
      return 0;
    }
  }

  /** Prints rows as CSV or a table; {@code numericFrom} marks the first numeric column (-1: none). */
  static void print(PrintWriter out, Output.Format f, List<String> header, List<List<String>> rows, int numericFrom) {
    if (f == Output.Format.CSV) {
      out.print(Csv.line(header));
      rows.forEach(r -> out.print(Csv.line(r)));
      return;
    }
    boolean[] numeric = new boolean[header.size()];
    if (numericFrom >= 0) {
      numeric[numericFrom] = true;
    }
    TextTable t = new TextTable(header, numeric);
    rows.forEach(t::add);
    out.print(t);
  }
}
