package dev.tally.core.demo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tally.core.format.Csv;
import dev.tally.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The demo organisation's own cloud bill for {@value DemoData#YEAR}: what the AI and translation provider of
 * {@link DemoData} pays its cloud, the fictional {@value #PROVIDER}, for the models, translation engines, storage, GPUs
 * and clusters it runs, as FOCUS rows (one per service, resource and day), with consulting, support and a credit beside
 * the usage. Generated deterministically (a fixed seed, exact decimal amounts rounded to cents), so that every figure
 * the cost reports show for it is a known answer, stated here as a constant and asserted by the tests.
 *
 * <p>The story, the same as the guide's:
 * <ul>
 *   <li><b>storage grew 155% in ten months</b>: {@value #OBJECT_STORAGE} grows smoothly (no noise, no weekly
 *       pattern) by the same factor every day, {@code 2.55^(1/274)}, so that October (days 274 to 304 of the year)
 *       costs exactly 2.55 times January (days 0 to 30) before cent rounding: {@link #STORAGE_GROWTH_PERCENT};
 *   <li><b>AI and translation are three quarters of the bill</b>: {@value #AI_MODELS} and {@value #TRANSLATION}
 *       together, the services whose {@code ServiceCategory} is {@value #AI_CATEGORY}: {@link #AI_SHARE_PERCENT};
 *   <li><b>a peak the week before the launch event</b>: translation x{@value #LAUNCH_WEEK_FACTOR} from
 *       {@link DemoData#TRANSLATION_SPIKE_START} to {@link DemoData#TRANSLATION_SPIKE_END} (the same week as the usage
 *       spike of the demo's own customers), which makes {@value #PEAK_WEEK} the costliest week of the year by far;
 *   <li><b>an anomaly with a known root cause</b>: on {@link #ANOMALY_DAY} a runaway training job burns
 *       {@link #ANOMALY_GPU_HOURS} extra GPU-hours on one resource, {@value #ANOMALY_RESOURCE}
 *       ({@value #ANOMALY_SERVICE}, sub-account {@value #ANOMALY_SUB_ACCOUNT}, region {@value #ANOMALY_REGION});
 *   <li><b>consulting beside the usage</b>: quarterly {@value #CONSULTING_SERVICE} fees and a monthly
 *       {@value #SUPPORT_SERVICE} fee ({@code ChargeCategory} Purchase), and one launch credit (Credit), which the
 *       reports keep out of every usage figure.
 * </ul>
 * Every other service grows or stays flat, costs less at weekends, and carries a little seeded noise, none of which
 * can move the figures above beyond their stated tolerance (the tests check each against the rows themselves).
 *
 * <p>To change the bill, change the tables below and the constants that state its answers together, then re-run
 * {@code DemoCostTest} and {@code DemoCostYearTest}, and the commands of the "demo tenant's cost year" section of
 * docs/cost-analytics.md, whose output is copied there.
 */
public final class DemoCost {
  /** The fictional cloud provider that bills the demo organisation (FOCUS ProviderName, PublisherName, issuer). */
  public static final String PROVIDER = "Nimbus Cloud";
  /** The billing currency of every row. */
  public static final String CURRENCY = "USD";
  /** The billing account every row belongs to. */
  public static final String BILLING_ACCOUNT_ID = "nimbus-1042";

  /** A usage service (FOCUS ServiceName): model endpoints, billed per million tokens. */
  public static final String AI_MODELS = "AI Models";
  /** A usage service: translation engines, billed per million characters. */
  public static final String TRANSLATION = "Translation";
  /** A usage service: buckets, billed per GB-day. */
  public static final String OBJECT_STORAGE = "Object Storage";
  /** A usage service: the research GPU pools, billed per GPU-hour. */
  public static final String GPU_COMPUTE = "GPU Compute";
  /** A usage service: the production and staging clusters, billed per vCPU-hour. */
  public static final String KUBERNETES = "Kubernetes Engine";
  /** A usage service: internet egress, billed per GB. */
  public static final String DATA_TRANSFER = "Data Transfer";
  /** A usage service: database instances, billed per instance-hour. */
  public static final String DATABASE = "Managed Database";
  /** The service of the consulting fees (ChargeCategory Purchase, ServiceCategory Other). */
  public static final String CONSULTING_SERVICE = "Professional Services";
  /** The service of the monthly support fee (ChargeCategory Purchase, ServiceCategory Other). */
  public static final String SUPPORT_SERVICE = "Premium Support";

  /** The FOCUS ServiceCategory of {@value #AI_MODELS} and {@value #TRANSLATION}, and of nothing else. */
  public static final String AI_CATEGORY = "AI and Machine Learning";

  /** The base month of the storage growth answer. */
  public static final YearMonth GROWTH_BASE = YearMonth.of(DemoData.YEAR, 1);
  /** The compare month of the storage growth answer. */
  public static final YearMonth GROWTH_COMPARE = YearMonth.of(DemoData.YEAR, 10);
  /**
   * {@code tally report growth --by ServiceName --base 2024-01 --compare 2024-10} shows {@value #OBJECT_STORAGE} up
   * by this percentage: exactly 155 before each day's cost is rounded to cents, and within
   * {@link #STORAGE_GROWTH_TOLERANCE} of it after.
   */
  public static final BigDecimal STORAGE_GROWTH_PERCENT = new BigDecimal("155");
  /** How far the reported storage growth may be from {@link #STORAGE_GROWTH_PERCENT}, in percentage points. */
  public static final BigDecimal STORAGE_GROWTH_TOLERANCE = new BigDecimal("0.1");

  /**
   * {@code tally report totals --by ServiceCategory} shows {@value #AI_CATEGORY} ({@value #AI_MODELS} plus
   * {@value #TRANSLATION}) with this share of the year's usage, within {@link #AI_SHARE_TOLERANCE}; purchases and the
   * credit are not usage and do not count.
   */
  public static final BigDecimal AI_SHARE_PERCENT = new BigDecimal("75");
  /** How far the reported AI share may be from {@link #AI_SHARE_PERCENT}, in percentage points. */
  public static final BigDecimal AI_SHARE_TOLERANCE = new BigDecimal("0.5");

  /** How much more translation is used in the week before the launch event. */
  public static final int LAUNCH_WEEK_FACTOR = 4;
  /**
   * {@code tally report peaks --window week} ranks this ISO week (Monday {@link DemoData#TRANSLATION_SPIKE_START})
   * first, ahead of the second-costliest week by at least {@link #PEAK_WEEK_MARGIN_PERCENT} percent.
   */
  public static final String PEAK_WEEK = "2024-W37";
  /** The least by which the peak week's usage exceeds any other week's, in percent of that week. */
  public static final BigDecimal PEAK_WEEK_MARGIN_PERCENT = new BigDecimal("20");

  /**
   * {@code tally report anomalies} flags this day in the total, with {@value #ANOMALY_SERVICE},
   * {@value #ANOMALY_SUB_ACCOUNT}, {@value #ANOMALY_REGION} and {@value #ANOMALY_RESOURCE} as the first root cause of
   * their columns.
   */
  public static final LocalDate ANOMALY_DAY = LocalDate.of(DemoData.YEAR, 11, 14);
  /** The anomaly's service (FOCUS ServiceName). */
  public static final String ANOMALY_SERVICE = GPU_COMPUTE;
  /** The anomaly's sub-account (FOCUS SubAccountId). */
  public static final String ANOMALY_SUB_ACCOUNT = "research";
  /** The anomaly's region (FOCUS RegionId). */
  public static final String ANOMALY_REGION = "eu-west-1";
  /** The anomaly's resource (FOCUS ResourceId): the EU training pool. */
  public static final String ANOMALY_RESOURCE = "gpu/a100-train-eu";
  /** The GPU-hours the runaway job adds on {@link #ANOMALY_DAY}. */
  public static final BigDecimal ANOMALY_GPU_HOURS = new BigDecimal("1500");
  /** What those GPU-hours add to the day's BilledCost, exactly (GPU-hours are priced in whole cents). */
  public static final BigDecimal ANOMALY_COST = new BigDecimal("3000.00");

  /** The consulting engagements: {@value #CONSULTING_SERVICE}, ChargeCategory Purchase, one-time, by day. */
  public static final SortedMap<LocalDate, BigDecimal> CONSULTING_FEES = Collections.unmodifiableSortedMap(
      new TreeMap<>(Map.of(
          LocalDate.of(DemoData.YEAR, 2, 15), new BigDecimal("12000.00"),
          LocalDate.of(DemoData.YEAR, 5, 16), new BigDecimal("12000.00"),
          LocalDate.of(DemoData.YEAR, 8, 15), new BigDecimal("18500.00"),
          LocalDate.of(DemoData.YEAR, 11, 15), new BigDecimal("12000.00"))));
  /** The {@value #SUPPORT_SERVICE} fee charged on the first of every month for the month (Purchase, recurring). */
  public static final BigDecimal SUPPORT_MONTHLY_FEE = new BigDecimal("2500.00");
  /** The day of the launch credit. */
  public static final LocalDate CREDIT_DAY = LocalDate.of(DemoData.YEAR, 9, 16);
  /** The launch credit on {@value #AI_MODELS} (ChargeCategory Credit, negative). */
  public static final BigDecimal CREDIT_AMOUNT = new BigDecimal("-5000.00");
  /**
   * {@code tally report totals --by ChargeCategory --charges all} shows this Purchase total: the consulting fees and
   * twelve support fees.
   */
  public static final BigDecimal PURCHASE_TOTAL = CONSULTING_FEES.values().stream()
      .reduce(SUPPORT_MONTHLY_FEE.multiply(BigDecimal.valueOf(12)), BigDecimal::add);

  /** The FOCUS columns {@link #writeFocusCsv} writes, in order; every mandatory one is among them. */
  public static final List<String> FOCUS_COLUMNS = List.of("BillingAccountId", "BillingAccountName",
      "BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory",
      "ChargeFrequency", "ChargeDescription", "BilledCost", "EffectiveCost", "ListCost", "ContractedCost",
      "BillingCurrency", "ListUnitPrice", "ContractedUnitPrice", "ConsumedQuantity", "ConsumedUnit", "PricingQuantity",
      "PricingUnit", "ProviderName", "PublisherName", "InvoiceIssuerName", "ServiceName", "ServiceCategory",
      "SubAccountId", "SubAccountName", "RegionId", "RegionName", "ResourceId", "ResourceName", "ResourceType",
      "Tags");

  /** The seed of the noise; the answers above are stated for it. */
  static final long SEED = 42;

  // Powers of growth factors to 34 digits: far finer than a cent of any day's cost.
  private static final MathContext MC = MathContext.DECIMAL128;
  private static final String BILLING_ACCOUNT_NAME = "Demo AI Platform";

  /** A sub-account (FOCUS SubAccountId and SubAccountName) and the environment its resources are tagged with. */
  private record Account(String id, String name, String env) {}

  /** A region (FOCUS RegionId and RegionName). */
  private record Region(String id, String name) {}

  private static final Account PRODUCTION = new Account("production", "Production", "prod");
  private static final Account RESEARCH = new Account(ANOMALY_SUB_ACCOUNT, "Research", "research");
  private static final Account STAGING = new Account("staging", "Staging", "staging");
  private static final Region US_EAST = new Region("us-east-1", "US East (Virginia)");
  private static final Region EU_WEST = new Region(ANOMALY_REGION, "EU West (Ireland)");

  /**
   * How a service is priced and how its resources' daily quantities move.
   *
   * @param pricingUnitPower the pricing unit is 10^power consumed units (6: tokens priced per million)
   * @param dailyGrowth each day's quantity over the day before's, before the weekly pattern and noise
   * @param weekendFactor Saturday's and Sunday's quantity over a weekday's
   * @param launchWeekFactor the quantity in the week before the launch event over an ordinary week's
   * @param noise the largest relative deviation of a day from its shape (uniform, in whole thousandths of it)
   * @param quantityScale decimal places a consumed quantity is rounded to
   */
  private record Service(String name, String category, String description, String resourceType, String consumedUnit,
      String pricingUnit, int pricingUnitPower, BigDecimal listUnitPrice, BigDecimal contractedUnitPrice,
      BigDecimal dailyGrowth, BigDecimal weekendFactor, BigDecimal launchWeekFactor, BigDecimal noise,
      int quantityScale) {}

  /** A resource billed every day: its service, where it runs, who owns it, and its weekday quantity on 1 January. */
  private record Resource(Service service, String id, String name, Account account, Region region, String team,
      BigDecimal januaryQuantity) {}

  private static final Service MODELS = new Service(AI_MODELS, AI_CATEGORY, "Model inference tokens",
      "Model endpoint", "Tokens", "1M Tokens", 6, new BigDecimal("5.00"), new BigDecimal("4.25"),
      new BigDecimal("1.0025"), new BigDecimal("0.5"), BigDecimal.ONE, new BigDecimal("0.03"), 0);
  private static final Service TRANSLATE = new Service(TRANSLATION, AI_CATEGORY, "Machine translation characters",
      "Translation engine", "Characters", "1M Characters", 6, new BigDecimal("20.00"), new BigDecimal("16.00"),
      new BigDecimal("1.001"), new BigDecimal("0.3"), BigDecimal.valueOf(LAUNCH_WEEK_FACTOR), new BigDecimal("0.03"),
      0);
  private static final Service STORAGE = new Service(OBJECT_STORAGE, "Storage", "Object storage", "Bucket", "GB-Days",
      "GB-Days", 0, new BigDecimal("0.0008"), new BigDecimal("0.00075"),
      root(new BigDecimal("2.55"), (int) ChronoUnit.DAYS.between(GROWTH_BASE.atDay(1), GROWTH_COMPARE.atDay(1))),
      BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ZERO, 3);
  private static final Service GPU = new Service(GPU_COMPUTE, "Compute", "A100 GPU time", "GPU pool", "GPU-Hours",
      "GPU-Hours", 0, new BigDecimal("2.50"), new BigDecimal("2.00"), BigDecimal.ONE, new BigDecimal("0.4"),
      BigDecimal.ONE, new BigDecimal("0.05"), 2);
  private static final Service CLUSTERS = new Service(KUBERNETES, "Compute", "Cluster vCPU time", "Cluster",
      "vCPU-Hours", "vCPU-Hours", 0, new BigDecimal("0.040"), new BigDecimal("0.035"), new BigDecimal("1.0005"),
      new BigDecimal("0.75"), BigDecimal.ONE, new BigDecimal("0.02"), 2);
  private static final Service EGRESS = new Service(DATA_TRANSFER, "Networking", "Internet egress", "Gateway", "GB",
      "GB", 0, new BigDecimal("0.09"), new BigDecimal("0.08"), new BigDecimal("1.0015"), new BigDecimal("0.6"),
      BigDecimal.ONE, new BigDecimal("0.04"), 3);
  private static final Service DATABASES = new Service(DATABASE, "Databases", "Database instance time",
      "Database instance", "Instance-Hours", "Instance-Hours", 0, new BigDecimal("1.40"), new BigDecimal("1.20"),
      BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ZERO, 0);

  /** Every resource, in the order of each day's rows; one noise draw each per day, in this order. */
  private static final List<Resource> RESOURCES = List.of(
      new Resource(MODELS, "model/gpt-4o", "gpt-4o endpoint", PRODUCTION, US_EAST, "ml-platform",
          new BigDecimal("66000000")),
      new Resource(MODELS, "model/claude-sonnet", "claude-sonnet endpoint", PRODUCTION, US_EAST, "ml-platform",
          new BigDecimal("50000000")),
      new Resource(MODELS, "model/llama-70b", "llama-70b endpoint", PRODUCTION, EU_WEST, "ml-platform",
          new BigDecimal("33000000")),
      new Resource(MODELS, "model/mistral-large", "mistral-large endpoint", PRODUCTION, EU_WEST, "ml-platform",
          new BigDecimal("27000000")),
      new Resource(TRANSLATE, "translate/realtime-us", "real-time translation (US)", PRODUCTION, US_EAST,
          "localization", new BigDecimal("15500000")),
      new Resource(TRANSLATE, "translate/realtime-eu", "real-time translation (EU)", PRODUCTION, EU_WEST,
          "localization", new BigDecimal("12000000")),
      new Resource(TRANSLATE, "translate/batch-eu", "batch translation (EU)", PRODUCTION, EU_WEST, "localization",
          new BigDecimal("9000000")),
      new Resource(STORAGE, "bucket/customer-data", "customer-data", PRODUCTION, US_EAST, "platform",
          new BigDecimal("40000")),
      new Resource(STORAGE, "bucket/model-artifacts", "model-artifacts", RESEARCH, EU_WEST, "research",
          new BigDecimal("24000")),
      new Resource(STORAGE, "bucket/backups", "backups", PRODUCTION, EU_WEST, "platform", new BigDecimal("14000")),
      new Resource(GPU, ANOMALY_RESOURCE, "A100 training pool (EU)", RESEARCH, EU_WEST, "research",
          new BigDecimal("60")),
      new Resource(GPU, "gpu/a100-train-us", "A100 training pool (US)", RESEARCH, US_EAST, "research",
          new BigDecimal("40")),
      new Resource(CLUSTERS, "k8s/prod-us", "production cluster", PRODUCTION, US_EAST, "platform",
          new BigDecimal("2400")),
      new Resource(CLUSTERS, "k8s/staging-eu", "staging cluster", STAGING, EU_WEST, "platform", new BigDecimal("700")),
      new Resource(EGRESS, "egress/us-east-1", "internet gateway (US)", PRODUCTION, US_EAST, "platform",
          new BigDecimal("600")),
      new Resource(EGRESS, "egress/eu-west-1", "internet gateway (EU)", PRODUCTION, EU_WEST, "platform",
          new BigDecimal("300")),
      new Resource(DATABASES, "db/orders-prod", "orders database", PRODUCTION, US_EAST, "platform",
          new BigDecimal("24")),
      new Resource(DATABASES, "db/staging", "staging database", STAGING, EU_WEST, "platform", new BigDecimal("24")));

  private DemoCost() {}

  /**
   * One FOCUS row of the bill. A usage row covers one day of one resource; a purchase or credit has no resource,
   * quantities or unit prices (those fields are null, written as empty CSV fields).
   *
   * @param chargePeriodStart the first day the charge covers (00:00 UTC)
   * @param chargePeriodEnd the day after the last (exclusive)
   * @param tags FOCUS Tags, in order; empty for none
   */
  public record Charge(LocalDate chargePeriodStart, LocalDate chargePeriodEnd, String chargeCategory,
      String chargeFrequency, String chargeDescription, BigDecimal billedCost, BigDecimal listCost,
      BigDecimal listUnitPrice, BigDecimal contractedUnitPrice, BigDecimal consumedQuantity, String consumedUnit,
      BigDecimal pricingQuantity, String pricingUnit, String serviceName, String serviceCategory, String subAccountId,
      String subAccountName, String regionId, String regionName, String resourceId, String resourceName,
      String resourceType, Map<String, String> tags) {
    public Charge {
      requireNonNull(chargePeriodStart, "chargePeriodStart is null");
      requireNonNull(chargePeriodEnd, "chargePeriodEnd is null");
      requireNonNull(chargeCategory, "chargeCategory is null");
      requireNonNull(billedCost, "billedCost is null");
      requireNonNull(listCost, "listCost is null");
      requireNonNull(serviceName, "serviceName is null");
      tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** Whether the charge is consumption ({@code ChargeCategory} Usage), the only kind usage reports count. */
    public boolean usage() {
      return chargeCategory.equals("Usage");
    }

    /**
     * FOCUS EffectiveCost and ContractedCost: the billed cost, since nothing is amortised or committed (the contracted
     * discount is in the unit price already).
     */
    public BigDecimal effectiveCost() {
      return billedCost;
    }

    /** The row's values in the order of {@link #FOCUS_COLUMNS}, nulls as empty text. */
    public List<String> focusValues() {
      YearMonth billingMonth = YearMonth.from(chargePeriodStart);
      return Arrays.asList(BILLING_ACCOUNT_ID, BILLING_ACCOUNT_NAME, instant(billingMonth.atDay(1)),
          instant(billingMonth.plusMonths(1).atDay(1)), instant(chargePeriodStart), instant(chargePeriodEnd),
          chargeCategory, chargeFrequency, text(chargeDescription), money(billedCost), money(effectiveCost()),
          money(listCost), money(effectiveCost()), CURRENCY, number(listUnitPrice), number(contractedUnitPrice),
          number(consumedQuantity), text(consumedUnit), number(pricingQuantity), text(pricingUnit), PROVIDER,
          PROVIDER, PROVIDER, serviceName, text(serviceCategory), text(subAccountId), text(subAccountName),
          text(regionId), text(regionName), text(resourceId), text(resourceName), text(resourceType), tagsJson());
    }

    private String tagsJson() {
      if (tags.isEmpty()) {
        return "";
      }
      try {
        return Json.json().writeValueAsString(tags);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("string tags always serialise", e);
      }
    }
  }

  /**
   * Every row of the year, day by day (each day's usage rows in a fixed resource order, then that day's purchases and
   * credit): the same rows, to the cent, on every call. For tests that compute the answers independently of the
   * reports.
   */
  public static List<Charge> charges() {
    SplittableRandom random = new SplittableRandom(SEED);
    List<Charge> out = new ArrayList<>();
    LocalDate first = LocalDate.of(DemoData.YEAR, 1, 1);
    for (LocalDate day = first; day.getYear() == DemoData.YEAR; day = day.plusDays(1)) {
      int t = (int) ChronoUnit.DAYS.between(first, day);
      for (Resource r : RESOURCES) {
        // One draw per resource and day, noisy service or not, so that one service's noise never shifts another's.
        long permille = random.nextLong(-1000, 1001);
        out.add(usage(r, day, t, permille));
      }
      nonUsage(day).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Writes the year as a FOCUS 1.0 CSV file (RFC 4180: Tags, which hold commas and quotes, are quoted with their
   * quotes doubled; CRLF line ends), header first. Same bytes on every call, so a second import of them is recognised
   * as the same file.
   */
  public static void writeFocusCsv(Writer out) throws IOException {
    out.write(Csv.line(FOCUS_COLUMNS));
    for (Charge c : charges()) {
      out.write(Csv.line(c.focusValues()));
    }
  }

  /** The year as FOCUS CSV text; see {@link #writeFocusCsv}. */
  public static String focusCsv() {
    java.io.StringWriter w = new java.io.StringWriter();
    try {
      writeFocusCsv(w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static Charge usage(Resource r, LocalDate day, int t, long permille) {
    Service s = r.service();
    BigDecimal q = r.januaryQuantity().multiply(s.dailyGrowth().pow(t, MC), MC);
    if (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
      q = q.multiply(s.weekendFactor(), MC);
    }
    if (!day.isBefore(DemoData.TRANSLATION_SPIKE_START) && day.isBefore(DemoData.TRANSLATION_SPIKE_END)) {
      q = q.multiply(s.launchWeekFactor(), MC);
    }
    // Noise in whole thousandths of the noise fraction, so that it is exact in decimal.
    q = q.add(q.multiply(s.noise(), MC).multiply(BigDecimal.valueOf(permille, 3), MC), MC);
    q = q.setScale(s.quantityScale(), RoundingMode.HALF_UP);
    if (day.equals(ANOMALY_DAY) && r.id().equals(ANOMALY_RESOURCE)) {
      q = q.add(ANOMALY_GPU_HOURS);
    }
    BigDecimal pricing = q.movePointLeft(s.pricingUnitPower());
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("team", r.team());
    tags.put("env", r.account().env());
    return new Charge(day, day.plusDays(1), "Usage", "Usage-Based", s.description() + ", " + r.name(),
        cents(pricing.multiply(s.contractedUnitPrice())), cents(pricing.multiply(s.listUnitPrice())),
        s.listUnitPrice(), s.contractedUnitPrice(), q, s.consumedUnit(), pricing, s.pricingUnit(), s.name(),
        s.category(), r.account().id(), r.account().name(), r.region().id(), r.region().name(), r.id(), r.name(),
        s.resourceType(), tags);
  }

  /** The day's purchase or credit, if it has one (no day has two). */
  private static Optional<Charge> nonUsage(LocalDate day) {
    BigDecimal consulting = CONSULTING_FEES.get(day);
    if (consulting != null) {
      return Optional.of(purchase(day, day.plusDays(1), "One-Time", CONSULTING_SERVICE,
          "Architecture and FinOps consulting engagement", consulting));
    }
    if (day.getDayOfMonth() == 1) {
      return Optional.of(purchase(day, day.plusMonths(1), "Recurring", SUPPORT_SERVICE,
          "Premium support, " + YearMonth.from(day), SUPPORT_MONTHLY_FEE));
    }
    if (day.equals(CREDIT_DAY)) {
      return Optional.of(new Charge(day, day.plusDays(1), "Credit", "One-Time", "Launch promotion credit",
          CREDIT_AMOUNT, CREDIT_AMOUNT, null, null, null, null, null, null, AI_MODELS, AI_CATEGORY,
          PRODUCTION.id(), PRODUCTION.name(), null, null, null, null, null, Map.of()));
    }
    return Optional.empty();
  }

  private static Charge purchase(LocalDate start, LocalDate end, String frequency, String service, String description,
      BigDecimal amount) {
    return new Charge(start, end, "Purchase", frequency, description, amount, amount, null, null, null, null, null,
        null, service, "Other", null, null, null, null, null, null, null, Map.of());
  }

  /**
   * The {@code n}th root of {@code x} (greater than one) to 34 digits, by Newton's method from above, where it
   * converges monotonically.
   */
  static BigDecimal root(BigDecimal x, int n) {
    BigDecimal nth = BigDecimal.valueOf(n);
    BigDecimal g = BigDecimal.ONE.add(x.subtract(BigDecimal.ONE).divide(nth, MC));
    for (int i = 0; i < 100; i++) {
      BigDecimal next = g.subtract(g.pow(n, MC).subtract(x).divide(nth.multiply(g.pow(n - 1, MC)), MC), MC);
      if (next.compareTo(g) >= 0) {
        return g;
      }
      g = next;
    }
    throw new IllegalStateException("no convergence for the root " + n + " of " + x);
  }

  private static BigDecimal cents(BigDecimal v) {
    return v.setScale(2, RoundingMode.HALF_UP);
  }

  private static String instant(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant().toString();
  }

  private static String money(BigDecimal v) {
    return v.toPlainString();
  }

  private static String number(BigDecimal v) {
    return v == null ? "" : v.toPlainString();
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }
}
