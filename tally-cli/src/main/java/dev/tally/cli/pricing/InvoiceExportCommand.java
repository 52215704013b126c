package dev.tally.cli.pricing;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.pricing.Customer;
import dev.tally.options.FormatOption;
import dev.tally.options.OutputFormat;
import dev.tally.store.pricing.InvoiceExport;
import dev.tally.store.pricing.StoredInvoice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tally invoice export}: the invoices as a file for other tools. Its {@code --format} is an output format like
 * any other command's, with one more value: focus, FOCUS 1.0 cost rows.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = {
    "Export invoices as JSON documents, CSV lines, or FOCUS 1.0 cost rows (CSV) for FinOps tools."})
final class InvoiceExportCommand extends PricingCommand {
  @Mixin InvoiceFilter filter;
  @Mixin FormatOption.JsonCsvFocus format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of the output.")
  Path output;

  @Override
  int run(Session s, OutputFormat f) {
    List<StoredInvoice> list = filter.list(s);
    String text = switch (f) {
      case CSV -> InvoiceExport.csv(list);
      case FOCUS -> InvoiceExport.focus(list, s.pricing().corrections().list(s.tenant(), Optional.empty()),
          s.pricing().catalog().load(s.tenant()).customers().stream()
              .collect(Collectors.toMap(Customer::id, Customer::name)));
      default -> InvoiceExport.json(list);
    };
    if (output == null) {
      s.out().print(text);
      return 0;
    }
    try {
      Files.writeString(output, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw TallyException.invalid(Problem.of("--output", "cannot be written: " + e.getMessage(), output.toString()));
    }
    spec.commandLine().getErr().println("wrote " + output);
    return 0;
  }
}
