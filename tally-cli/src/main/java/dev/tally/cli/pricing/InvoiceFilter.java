package dev.tally.cli.pricing;

import dev.tally.store.pricing.PricingStore;
import dev.tally.store.pricing.StoredInvoice;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which invoices {@code invoice list} and {@code invoice export} take: a month, a customer. */
final class InvoiceFilter {
  @Option(names = "--period", paramLabel = "YYYY-MM", description = "Only periods starting in this month.")
  String period;

  @Option(names = "--customer", paramLabel = "ID", description = "Only this customer's.")
  String customer;

  List<StoredInvoice> list(PricingCommand.Session s) {
    return s.pricing().invoices().list(s.tenant(), Optional.ofNullable(period).map(p -> Dates.month("--period", p)),
        Optional.ofNullable(customer));
  }
}
