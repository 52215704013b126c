package dev.tally.store.cost;

import dev.tally.core.format.Csv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Writes small FOCUS CSV files for tests, one charge per row. */
final class FocusFiles {
  static final List<String> HEADER = List.of("BilledCost", "EffectiveCost", "ListCost", "BillingCurrency",
      "ChargeCategory", "ChargePeriodStart", "ChargePeriodEnd", "ProviderName", "ServiceName", "SubAccountId",
      "RegionId", "ResourceId", "ConsumedQuantity", "ConsumedUnit", "Tags");

  private final List<List<String>> rows = new ArrayList<>();

  /** A charge: a day-long usage charge unless the category says otherwise. */
  FocusFiles add(String day, String category, String service, String account, String region, String cost,
      String tags) {
    Instant start = LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toInstant();
    return addAt(start, category, service, account, region, cost, tags);
  }

  /** A charge starting at an instant, lasting an hour. */
  FocusFiles addAt(Instant start, String category, String service, String account, String region, String cost,
      String tags) {
    rows.add(List.of(cost, cost, cost, "USD", category, start.toString(), start.plusSeconds(3600).toString(), "AWS",
        service, account, region, "arn:" + service + ":" + account, "1", "Hours", tags));
    return this;
  }

  Path write(Path file) {
    StringBuilder sb = new StringBuilder(Csv.line(HEADER));
    rows.forEach(r -> sb.append(Csv.line(r)));
    try {
      Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /**
   * June and July 2024, computed by hand. Usage: June EC2 200, S3 50, RDS 50 (300); July EC2 300, S3 40, Lambda 10
   * (350). Non-usage in July: a Purchase of 1000 (consulting) and Tax of 20.
   */
  static FocusFiles juneJuly() {
    return new FocusFiles()
        .add("2024-06-03", "Usage", "EC2", "acct1", "us-east-1", "100", "{\"env\": \"prod\"}")
        .add("2024-06-03", "Usage", "S3", "acct1", "us-east-1", "50", "{\"env\": \"dev\"}")
        .add("2024-06-03", "Usage", "RDS", "acct2", "eu-west-1", "50", "")
        .add("2024-06-10", "Usage", "EC2", "acct1", "us-east-1", "100", "")
        .add("2024-07-01", "Usage", "EC2", "acct1", "us-east-1", "300", "")
        .add("2024-07-01", "Usage", "S3", "acct1", "us-east-1", "40", "")
        .add("2024-07-01", "Usage", "Lambda", "acct2", "eu-west-1", "10", "")
        .add("2024-07-02", "Purchase", "Consulting", "acct1", "", "1000", "")
        .add("2024-07-02", "Tax", "Tax", "acct1", "", "20", "");
  }
}
