package dev.tally.cli.pricing;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.time.Timestamps;
import dev.tally.options.FormatOption;
import dev.tally.options.Output;
import dev.tally.options.OutputFormat;
import dev.tally.store.pricing.InvoiceRunner;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tally invoice run --period 2024-04 [--as-of T]}: one invoice per subscription and billing period starting in
 * the month. Each invoice succeeds or fails alone; the invoices that could be produced are written and printed, the
 * ones that could not are reported once each (on stderr, or in the JSON's {@code failures}), and the exit code is 1.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = {
    "Produce one invoice per subscription and billing period starting in the month.",
    "Invoices stay drafts until their period's end plus the grace period, then become final (numbered, sealed).",
    "Re-running is safe: drafts are recomputed, final invoices never change.",
    "A subscription whose invoice cannot be produced is reported (exit code 1); the others are written."})
final class InvoiceRunCommand extends PricingCommand {
  @Option(names = "--period", required = true, paramLabel = "YYYY-MM", description = "The month to invoice.")
  String period;

  @Option(names = "--customers", split = ",", paramLabel = "ID", description = "Only these customers.")
  List<String> customers = new ArrayList<>();

  @Option(names = "--as-of", paramLabel = "TIME", description = {
      "The moment to take as now for drafts, grace periods and finalisation: an RFC 3339 time",
      "(2024-05-04T00:00:00Z) or a date (2024-05-04, its start in UTC). Default: the clock."})
  String asOf;

  @Mixin FormatOption.Table format;

  private Optional<Instant> at;

  @Override
  void check() {
    at = Optional.ofNullable(asOf).map(InvoiceRunCommand::asOf);
  }

  @Override
  int run(Session s, OutputFormat f) {
    InvoiceRunner.RunResult run = s.pricing().runner().run(s.tenant(), Dates.month("--period", period),
        new LinkedHashSet<>(customers), at);
    if (f == OutputFormat.JSON) {
      s.out().print(Output.json(run.toJson()));
      return run.failures().isEmpty() ? 0 : 1;
    }
    List<String> header = new ArrayList<>(InvoiceCommand.SUMMARY);
    header.add("action");
    List<List<String>> rows = new ArrayList<>();
    for (InvoiceRunner.Outcome o : run.outcomes()) {
      List<String> row = new ArrayList<>(InvoiceCommand.summary(o.invoice()));
      row.add(o.action().label());
      rows.add(row);
    }
    s.out().print(new Output.Rows(header, rows, InvoiceCommand.SUMMARY_TOTAL).render(f));
    if (f == OutputFormat.TABLE) {
      int n = run.outcomes().size();
      s.out().println("(" + n + " invoice" + (n == 1 ? "" : "s") + (at.isPresent() ? ", as of " + run.asOf() : "")
          + ")");
    }
    if (!run.failures().isEmpty()) {
      s.out().flush();
      // Reported once, by the CLI's error printer: a headline with the count, then one line per failed invoice.
      throw InvoiceRunner.failed(run);
    }
    return 0;
  }

  /** An RFC 3339 time, or a date taken as its start in UTC. */
  static Instant asOf(String text) {
    String t = text.trim();
    if (t.length() == 10) {
      return Dates.date("--as-of", t).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
    try {
      return Timestamps.parse(t);
    } catch (IllegalArgumentException e) {
      throw TallyException.invalid(Problem.of("--as-of", "must be an RFC 3339 time such as 2024-05-04T00:00:00Z or"
          + " a date YYYY-MM-DD", text));
    }
  }
}
