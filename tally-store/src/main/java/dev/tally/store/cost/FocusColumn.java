package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One column of the FOCUS specification as Tally stores it: its FOCUS name (also the store's column name), its type,
 * the FOCUS version that introduced it, and, for columns with a closed set of values, the values in their canonical
 * spelling (so that {@code usage-based} or {@code USAGE} can be normalised to {@code Usage-Based} and {@code Usage}).
 *
 * @param name the FOCUS column name, e.g. {@code BilledCost}
 * @param type how the column is stored
 * @param since the first FOCUS version with this column: {@code 1.0}, {@code 1.1} or {@code 1.2}
 * @param values the allowed values, canonical spelling; empty for open columns
 * @param required whether every file must have the column and every row a value in it
 */
record FocusColumn(String name, Type type, String since, List<String> values, boolean required) {
  /** How a column is stored in DuckDB. */
  public enum Type {
    /** Text ({@code VARCHAR}). */
    STRING("VARCHAR"),
    /**
     * Money: {@code DECIMAL(38,12)}, twelve places (real bills carry eleven: AWS writes {@code 0.00000080000}),
     * rounded half away from zero on import if a file has more.
     */
    COST("DECIMAL(38,12)"),
    /** Quantities and unit prices: {@code DECIMAL(38,15)}, rounded the same way. */
    QUANTITY("DECIMAL(38,15)"),
    /** An instant ({@code TIMESTAMPTZ}); a value without an offset is UTC, as FOCUS requires. */
    DATETIME("TIMESTAMPTZ"),
    /** A JSON object ({@code JSON}). */
    JSON("JSON");

    private final String sql;

    Type(String sql) {
      this.sql = sql;
    }

    /** The DuckDB type. */
    public String sql() {
      return sql;
    }
  }

  public FocusColumn {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(since, "since is null");
    values = List.copyOf(values);
  }

  /** The allowed value, canonically spelled, matching {@code given} ignoring case, if there is one. */
  public Optional<String> canonical(String given) {
    String g = given.strip();
    return values.stream().filter(v -> v.equalsIgnoreCase(g)).findFirst();
  }

  /** The column quoted as a SQL identifier. */
  public String sql() {
    return '"' + name + '"';
  }

  private static final List<String> SERVICE_CATEGORIES = List.of("AI and Machine Learning", "Analytics",
      "Business Applications", "Compute", "Databases", "Developer Tools", "Multicloud", "Identity", "Integration",
      "Internet of Things", "Management and Governance", "Media", "Migration", "Mobile", "Networking", "Security",
      "Storage", "Web", "Other");

  /** The charge categories; everything but {@code Usage} is reported apart from usage. */
  public static final List<String> CHARGE_CATEGORIES = List.of("Usage", "Purchase", "Tax", "Credit", "Adjustment");

  /** Every FOCUS 1.0, 1.1 and 1.2 column, in the order of the store's table. */
  public static final List<FocusColumn> ALL = List.of(
      open("AvailabilityZone", Type.STRING, "1.0"),
      required("BilledCost", Type.COST),
      open("BillingAccountId", Type.STRING, "1.0"),
      open("BillingAccountName", Type.STRING, "1.0"),
      open("BillingAccountType", Type.STRING, "1.2"),
      required("BillingCurrency", Type.STRING),
      open("BillingPeriodEnd", Type.DATETIME, "1.0"),
      open("BillingPeriodStart", Type.DATETIME, "1.0"),
      open("CapacityReservationId", Type.STRING, "1.1"),
      closed("CapacityReservationStatus", "1.1", List.of("Used", "Unused")),
      new FocusColumn("ChargeCategory", Type.STRING, "1.0", CHARGE_CATEGORIES, true),
      closed("ChargeClass", "1.0", List.of("Correction")),
      open("ChargeDescription", Type.STRING, "1.0"),
      closed("ChargeFrequency", "1.0", List.of("One-Time", "Recurring", "Usage-Based")),
      required("ChargePeriodEnd", Type.DATETIME),
      required("ChargePeriodStart", Type.DATETIME),
      closed("CommitmentDiscountCategory", "1.0", List.of("Spend", "Usage")),
      open("CommitmentDiscountId", Type.STRING, "1.0"),
      open("CommitmentDiscountName", Type.STRING, "1.0"),
      open("CommitmentDiscountQuantity", Type.QUANTITY, "1.1"),
      closed("CommitmentDiscountStatus", "1.0", List.of("Used", "Unused")),
      open("CommitmentDiscountType", Type.STRING, "1.0"),
      open("CommitmentDiscountUnit", Type.STRING, "1.1"),
      open("ConsumedQuantity", Type.QUANTITY, "1.0"),
      open("ConsumedUnit", Type.STRING, "1.0"),
      open("ContractedCost", Type.COST, "1.0"),
      open("ContractedUnitPrice", Type.QUANTITY, "1.0"),
      required("EffectiveCost", Type.COST),
      open("InvoiceId", Type.STRING, "1.2"),
      open("InvoiceIssuerName", Type.STRING, "1.0"),
      required("ListCost", Type.COST),
      open("ListUnitPrice", Type.QUANTITY, "1.0"),
      closed("PricingCategory", "1.0", List.of("Standard", "Dynamic", "Committed", "Other")),
      open("PricingCurrency", Type.STRING, "1.2"),
      open("PricingCurrencyContractedUnitPrice", Type.QUANTITY, "1.2"),
      open("PricingCurrencyEffectiveCost", Type.COST, "1.2"),
      open("PricingCurrencyListUnitPrice", Type.QUANTITY, "1.2"),
      open("PricingQuantity", Type.QUANTITY, "1.0"),
      open("PricingUnit", Type.STRING, "1.0"),
      open("ProviderName", Type.STRING, "1.0"),
      open("PublisherName", Type.STRING, "1.0"),
      open("RegionId", Type.STRING, "1.0"),
      open("RegionName", Type.STRING, "1.0"),
      open("ResourceId", Type.STRING, "1.0"),
      open("ResourceName", Type.STRING, "1.0"),
      open("ResourceType", Type.STRING, "1.0"),
      new FocusColumn("ServiceCategory", Type.STRING, "1.0", SERVICE_CATEGORIES, false),
      open("ServiceName", Type.STRING, "1.0"),
      open("ServiceSubcategory", Type.STRING, "1.1"),
      open("SkuId", Type.STRING, "1.0"),
      open("SkuMeter", Type.STRING, "1.1"),
      open("SkuPriceDetails", Type.JSON, "1.1"),
      open("SkuPriceId", Type.STRING, "1.0"),
      open("SubAccountId", Type.STRING, "1.0"),
      open("SubAccountName", Type.STRING, "1.0"),
      open("SubAccountType", Type.STRING, "1.2"),
      open("Tags", Type.JSON, "1.0"));

  private static final Map<String, FocusColumn> BY_LOWER_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(c -> c.name().toLowerCase(Locale.ROOT), Function.identity()));

  /** The column with this name, ignoring case. */
  public static Optional<FocusColumn> named(String name) {
    return Optional.ofNullable(BY_LOWER_NAME.get(name.strip().toLowerCase(Locale.ROOT)));
  }

  private static FocusColumn open(String name, Type type, String since) {
    return new FocusColumn(name, type, since, List.of(), false);
  }

  private static FocusColumn required(String name, Type type) {
    return new FocusColumn(name, type, "1.0", List.of(), true);
  }

  private static FocusColumn closed(String name, String since, List<String> values) {
    return new FocusColumn(name, Type.STRING, since, values, false);
  }
}
