package dev.tally.cli.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.format.TextTable;
import dev.tally.options.CommandGroup;
import dev.tally.options.FormatOption;
import dev.tally.options.Output;
import dev.tally.options.OutputFormat;
import dev.tally.store.pricing.InvoiceExport;
import dev.tally.store.pricing.StoredInvoice;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tally invoice run|list|show|explain|export|void|credit|credit-notes}. */
@Command(
    name = "invoice",
    mixinStandardHelpOptions = true,
    description = "Run, list, show, explain, export, void and credit invoices.",
    subcommands = {InvoiceRunCommand.class, InvoiceCommand.ListInvoices.class, InvoiceCommand.Show.class,
        InvoiceExplainCommand.class, InvoiceExportCommand.class, InvoiceCorrectionCommands.VoidInvoice.class,
        InvoiceCorrectionCommands.Credit.class, InvoiceCorrectionCommands.ListNotes.class})
public final class InvoiceCommand extends CommandGroup {
  static final List<String> SUMMARY = List.of("invoice", "status", "customer", "subscription", "period",
      "total", "currency");

  /** The column of {@link #SUMMARY} a table right-aligns: the total. */
  static final int SUMMARY_TOTAL = 5;

  static List<String> summary(StoredInvoice i) {
    return List.of(i.reference(), i.status().label(), i.customer(), i.subscription(), i.activeStart() + ".."
        + i.activeEnd(), i.total().toPlainString(), i.currency());
  }

  /** {@code tally invoice list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List invoices.")
  static final class ListInvoices extends PricingCommand {
    @Mixin InvoiceFilter filter;
    @Mixin FormatOption.Table format;

    @Override
    int run(Session s, OutputFormat f) {
      List<StoredInvoice> list = filter.list(s);
      s.out().print(f == OutputFormat.JSON ? InvoiceExport.json(list)
          : new Output.Rows(SUMMARY, list.stream().map(InvoiceCommand::summary).toList(), SUMMARY_TOTAL).render(f));
      return 0;
    }
  }

  /** {@code tally invoice show INVOICE}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show an invoice and its lines.")
  static final class Show extends PricingCommand {
    @Parameters(index = "0", paramLabel = "INVOICE", description = "Invoice number (INV-000001) or id (sub@2024-04-01).")
    String invoice;

    @Mixin FormatOption.Table format;

    @Override
    int run(Session s, OutputFormat f) {
      StoredInvoice inv = s.pricing().invoices().require(s.tenant(), invoice);
      s.out().print(switch (f) {
        case JSON -> Output.json(inv.doc());
        case CSV -> InvoiceExport.csv(List.of(inv));
        default -> table(inv);
      });
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
}
