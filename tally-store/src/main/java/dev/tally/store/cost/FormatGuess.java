package dev.tally.store.cost;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a bill looks like by its columns, for the message when it was imported as something else: an AWS CUR imported
 * as FOCUS lacks every FOCUS column, and saying "this looks like an AWS Cost and Usage Report" saves a user the
 * guessing. Each format is known by columns that only it has (matched as {@link SourceMapping.SourceColumns#key}s).
 */
final class FormatGuess {
  /** A format and the columns, any one of which marks a file as that format. */
  private record Signature(CostFormat format, String name, List<List<String>> markers) {}

  private static final List<Signature> SIGNATURES = List.of(
      new Signature(CostFormat.FOCUS, "a FOCUS file", List.of(List.of("billedcost", "chargeperiodstart"))),
      new Signature(CostFormat.AWS, "an AWS Cost and Usage Report", List.of(List.of("lineitemunblendedcost"),
          List.of("lineitemusagestartdate"), List.of("identitylineitemid"))),
      new Signature(CostFormat.AZURE, "an Azure cost export", List.of(List.of("costinbillingcurrency"),
          List.of("pretaxcost"), List.of("metercategory", "subscriptionid"), List.of("subscriptionguid"))),
      new Signature(CostFormat.GOOGLE, "a Google Cloud billing export", List.of(List.of("servicedescription",
          "skuid"), List.of("billingaccountid", "usagestarttime"), List.of("object"))),
      new Signature(CostFormat.ORACLE, "an Oracle Cloud cost report", List.of(List.of("costmycost"),
          List.of("lineitemreferenceno", "lineitemintervalusagestart"))));

  private FormatGuess() {}

  /** azure, azure-actual and azure-amortized are one family: the same columns, told apart by their rows. */
  private static String family(CostFormat f) {
    return f.label().replaceFirst("-.*", "");
  }

  /** The format the columns look like, with its name for people, if any signature matches. */
  static Optional<Signature> of(SourceMapping.SourceColumns columns) {
    Set<String> keys = columns.names().stream().map(SourceMapping.SourceColumns::key).collect(Collectors.toSet());
    return SIGNATURES.stream().filter(s -> s.markers().stream().anyMatch(keys::containsAll)).findFirst();
  }

  /**
   * A sentence for a file that failed to map as {@code tried}: what it looks like and the format to use, or empty
   * when it looks like nothing known (or like the format tried, whose own message then says what is wrong).
   */
  static String hint(SourceMapping.SourceColumns columns, CostFormat tried) {
    return of(columns).filter(s -> !family(s.format()).equals(family(tried)))
        .map(s -> "; this looks like " + s.name() + ": import it with format " + s.format().label()
            + " (--format " + s.format().label() + ")")
        .orElse("");
  }
}
