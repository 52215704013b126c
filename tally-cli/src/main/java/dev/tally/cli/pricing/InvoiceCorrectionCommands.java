package dev.tally.cli.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.cli.common.StoreOptions;
import dev.tally.core.json.Json;
import dev.tally.store.TallyStore;
import dev.tally.store.pricing.InvoiceCorrections;
import dev.tally.store.pricing.PricingStore;
import dev.tally.store.pricing.StoredInvoice;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Corrections of final invoices: {@code tally invoice void}, {@code tally invoice credit} and
 * {@code tally invoice credit-notes}. Final invoices are never edited; these add a mark or a document beside them.
 */
final class InvoiceCorrectionCommands {
  private InvoiceCorrectionCommands() {}

  /** {@code tally invoice void INVOICE --reason TEXT}. */
  @Command(name = "void", mixinStandardHelpOptions = true, description = {
      "Void a final invoice: it stays, sealed and numbered, marked void; it owes nothing, the credit it used goes",
      "back to its wallets, and late usage for its period is not billed again."})
  static final class VoidInvoice implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "INVOICE", description = "Invoice number (INV-000001) or id.")
    String invoice;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (kept with the void).")
    String reason;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (TallyStore s = store.open()) {
        StoredInvoice inv = PricingStore.open(s).corrections().voidInvoice(store.tenant(), invoice, reason);
        spec.commandLine().getOut().println("voided " + inv.reference() + " (" + inv.id() + "), total "
            + inv.total() + " " + inv.currency() + ": " + inv.doc().path("void").path("reason").asText());
      }
      return 0;
    }
  }

  /** {@code tally invoice credit INVOICE (--lines 2,3 | --amount 10.00) --reason TEXT}. */
  @Command(name = "credit", mixinStandardHelpOptions = true, description = {
      "Issue a credit note against a final invoice, for some of its lines or for an amount (tax included).",
      "Lines are credited with their share of the invoice's discounts and tax; see docs/pricing.md."})
  static final class Credit implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "INVOICE", description = "Invoice number (INV-000001) or id.")
    String invoice;

    @Option(names = "--lines", split = ",", paramLabel = "N", description = "Line numbers to credit.")
    List<Integer> lines = new ArrayList<>();

    @Option(names = "--amount", paramLabel = "AMOUNT", description = "An amount to credit, tax included.")
    String amount;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (printed on the note).")
    String reason;

    @Option(names = "--format", defaultValue = "table", description = "json or table (default: table).")
    String format;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Output.Format f = Output.Format.parse(format);
      Optional<BigDecimal> a = Optional.ofNullable(amount).map(Credit::amount);
      try (TallyStore s = store.open()) {
        InvoiceCorrections.CreditNote n = PricingStore.open(s).corrections().credit(store.tenant(), invoice, lines,
            a, reason);
        PrintWriter out = spec.commandLine().getOut();
        out.print(f == Output.Format.JSON ? Output.json(n.doc()) : text(n));
      }
      return 0;
    }

    private static BigDecimal amount(String s) {
      try {
        return new BigDecimal(s.trim());
      } catch (NumberFormatException e) {
        throw TallyException.invalid(Problem.of("--amount", "must be a decimal number such as 10.00", s));
      }
    }
  }

  /** {@code tally invoice credit-notes [--invoice INVOICE]}. */
  @Command(name = "credit-notes", mixinStandardHelpOptions = true, description = "List credit notes.")
  static final class ListNotes implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = "--invoice", paramLabel = "INVOICE", description = "Only those of this invoice.")
    String invoice;

    @Option(names = "--format", defaultValue = "table", description = "json, csv or table (default: table).")
    String format;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Output.Format f = Output.Format.parse(format);
      PrintWriter out = spec.commandLine().getOut();
      try (TallyStore s = store.open()) {
        List<InvoiceCorrections.CreditNote> notes = PricingStore.open(s).corrections().list(store.tenant(),
            Optional.ofNullable(invoice));
        if (f == Output.Format.JSON) {
          ArrayNode a = Json.json().createArrayNode();
          notes.forEach(n -> a.add(n.doc()));
          out.print(Output.json(a));
          return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (InvoiceCorrections.CreditNote n : notes) {
          rows.add(List.of(n.number(), n.doc().path("invoiceNumber").asText(n.invoice()), n.customer(),
              n.total().toPlainString(), n.currency(), n.doc().path("reason").asText()));
        }
        InvoiceCommand.print(out, f, List.of("credit note", "invoice", "customer", "total", "currency", "reason"),
            rows, 3);
      }
      return 0;
    }
  }

  /** A credit note for people. */
  static String text(InvoiceCorrections.CreditNote n) {
    JsonNode d = n.doc();
    StringBuilder sb = new StringBuilder();
    sb.append("Credit note ").append(n.number()).append(" for invoice ").append(d.path("invoiceNumber")
        .asText(n.invoice())).append(", customer ").append(n.customer()).append('\n');
    sb.append("Reason: ").append(d.path("reason").asText()).append('\n');
    for (JsonNode l : d.path("lines")) {
      sb.append(String.format("  %-9s %12s  %s%n", l.path("kind").asText(), l.path("amount").asText(),
          l.path("description").asText()));
    }
    sb.append(String.format("  %-9s %12s %s%n", "total", n.total().toPlainString(), n.currency()));
    return sb.toString();
  }
}
