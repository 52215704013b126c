package dev.tally.cli.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.options.FormatOption;
import dev.tally.options.Output;
import dev.tally.options.OutputFormat;
import dev.tally.store.pricing.InvoiceCorrections;
import dev.tally.store.pricing.StoredInvoice;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
  static final class VoidInvoice extends PricingCommand {
    @Parameters(index = "0", paramLabel = "INVOICE", description = "Invoice number (INV-000001) or id.")
    String invoice;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (kept with the void).")
    String reason;

    @Override
    int run(Session s, OutputFormat f) {
      StoredInvoice inv = s.pricing().corrections().voidInvoice(s.tenant(), invoice, reason);
      s.out().println("voided " + inv.reference() + " (" + inv.id() + "), total " + inv.total() + " "
          + inv.currency() + ": " + inv.doc().path("void").path("reason").asText());
      return 0;
    }
  }

  /** {@code tally invoice credit INVOICE (--lines 2,3 | --amount 10.00) --reason TEXT}. */
  @Command(name = "credit", mixinStandardHelpOptions = true, description = {
      "Issue a credit note against a final invoice, for some of its lines or for an amount (tax included).",
      "Lines are credited with their share of the invoice's discounts and tax; see docs/pricing.md."})
  static final class Credit extends PricingCommand {
    @Parameters(index = "0", paramLabel = "INVOICE", description = "Invoice number (INV-000001) or id.")
    String invoice;

    @Option(names = "--lines", split = ",", paramLabel = "N", description = "Line numbers to credit.")
    List<Integer> lines = new ArrayList<>();

    @Option(names = "--amount", paramLabel = "AMOUNT", description = "An amount to credit, tax included.")
    String amount;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (printed on the note).")
    String reason;

    @Mixin FormatOption.JsonOrTable format;

    private Optional<BigDecimal> credited;

    @Override
    void check() {
      credited = Optional.ofNullable(amount).map(Credit::amount);
    }

    @Override
    int run(Session s, OutputFormat f) {
      InvoiceCorrections.CreditNote n = s.pricing().corrections().credit(s.tenant(), invoice, lines, credited,
          reason);
      s.out().print(f == OutputFormat.JSON ? Output.json(n.doc()) : text(n));
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
  static final class ListNotes extends PricingCommand {
    @Option(names = "--invoice", paramLabel = "INVOICE", description = "Only those of this invoice.")
    String invoice;

    @Mixin FormatOption.Table format;

    @Override
    int run(Session s, OutputFormat f) {
      List<InvoiceCorrections.CreditNote> notes = s.pricing().corrections().list(s.tenant(),
          Optional.ofNullable(invoice));
      if (f == OutputFormat.JSON) {
        ArrayNode a = Json.json().createArrayNode();
        notes.forEach(n -> a.add(n.doc()));
        s.out().print(Output.json(a));
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (InvoiceCorrections.CreditNote n : notes) {
        rows.add(List.of(n.number(), n.doc().path("invoiceNumber").asText(n.invoice()), n.customer(),
            n.total().toPlainString(), n.currency(), n.doc().path("reason").asText()));
      }
      s.out().print(new Output.Rows(List.of("credit note", "invoice", "customer", "total", "currency", "reason"),
          rows, 3).render(f));
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
