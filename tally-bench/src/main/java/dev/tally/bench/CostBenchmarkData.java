package dev.tally.bench;

import dev.tally.store.Sql;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The data of {@link CostBenchmark}: a FOCUS 1.0 CSV written by DuckDB, and daily series for the anomaly detector
 * alone. Everything is derived from row and series numbers through hash functions, never from a random generator, so
 * the same arguments give the same bytes on every run and the benchmark can reuse a file it wrote before.
 *
 * <p>The bill is shaped like a real one where it matters to the reports: rows come in day order (as a provider's
 * export does, which lets DuckDB skip row groups outside a period), each SKU belongs to one service and each resource
 * to one SKU, account and region, so that every SKU has one row or so per day per 1,000 rows a day and forms a regular
 * daily series (weekly pattern, a yearly trend per service, ±20% noise per row); a few SKUs get a one-day spike (x4)
 * and a few a lasting shift (x1.6), which the anomaly report must find. 98.5% of the rows are usage, the rest
 * purchases, taxes and credits.
 */
final class CostBenchmarkData {
  /** Services of three providers: name, FOCUS ServiceCategory, consumed unit. */
  private static final String[][] SERVICES = {
    {"AWS", "Amazon Elastic Compute Cloud", "Compute", "Hours"},
    {"AWS", "Amazon Simple Storage Service", "Storage", "GB-Months"},
    {"AWS", "Amazon Relational Database Service", "Databases", "Hours"},
    {"AWS", "AWS Lambda", "Compute", "Requests"},
    {"AWS", "Amazon DynamoDB", "Databases", "Requests"},
    {"AWS", "Amazon CloudFront", "Networking", "GB"},
    {"AWS", "Amazon Virtual Private Cloud", "Networking", "Hours"},
    {"AWS", "Amazon Elastic Kubernetes Service", "Compute", "Hours"},
    {"AWS", "Amazon ElastiCache", "Databases", "Hours"},
    {"AWS", "Amazon CloudWatch", "Management and Governance", "Requests"},
    {"AWS", "Amazon SageMaker", "AI and Machine Learning", "Hours"},
    {"AWS", "Amazon Redshift", "Analytics", "Hours"},
    {"AWS", "AWS Key Management Service", "Security", "Requests"},
    {"AWS", "Amazon Simple Queue Service", "Integration", "Requests"},
    {"Microsoft", "Virtual Machines", "Compute", "Hours"},
    {"Microsoft", "Storage", "Storage", "GB-Months"},
    {"Microsoft", "Azure SQL Database", "Databases", "Hours"},
    {"Microsoft", "Azure Kubernetes Service", "Compute", "Hours"},
    {"Microsoft", "Azure Cosmos DB", "Databases", "Requests"},
    {"Microsoft", "Bandwidth", "Networking", "GB"},
    {"Microsoft", "Azure Monitor", "Management and Governance", "GB"},
    {"Microsoft", "Azure App Service", "Web", "Hours"},
    {"Microsoft", "Azure Functions", "Compute", "Requests"},
    {"Microsoft", "Azure OpenAI Service", "AI and Machine Learning", "Requests"},
    {"Microsoft", "Azure Synapse Analytics", "Analytics", "Hours"},
    {"Microsoft", "Azure Key Vault", "Security", "Requests"},
    {"Microsoft", "Azure Service Bus", "Integration", "Requests"},
    {"Google Cloud", "Compute Engine", "Compute", "Hours"},
    {"Google Cloud", "Cloud Storage", "Storage", "GB-Months"},
    {"Google Cloud", "Cloud SQL", "Databases", "Hours"},
    {"Google Cloud", "Google Kubernetes Engine", "Compute", "Hours"},
    {"Google Cloud", "BigQuery", "Analytics", "GB"},
    {"Google Cloud", "Cloud Run", "Compute", "Requests"},
    {"Google Cloud", "Networking", "Networking", "GB"},
    {"Google Cloud", "Cloud Logging", "Management and Governance", "GB"},
    {"Google Cloud", "Vertex AI", "AI and Machine Learning", "Hours"},
    {"Google Cloud", "Cloud Spanner", "Databases", "Hours"},
    {"Google Cloud", "Pub/Sub", "Integration", "Requests"},
    {"Google Cloud", "Cloud CDN", "Networking", "GB"},
    {"Google Cloud", "Secret Manager", "Security", "Requests"},
  };

  private static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2",
      "eu-west-1", "eu-west-2", "eu-central-1", "eu-north-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1",
      "ap-south-1", "sa-east-1", "ca-central-1", "westeurope", "northeurope", "eastus", "westus2", "europe-west1",
      "us-central1");

  /** Resources per SKU: with 1,000 SKUs, 100,000 resources. */
  static final int RESOURCES_PER_SKU = 100;

  /** The FOCUS columns written, in file order. */
  static final List<String> COLUMNS = List.of("BillingAccountId", "BillingCurrency", "BillingPeriodStart",
      "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory", "ChargeFrequency", "BilledCost",
      "EffectiveCost", "ListCost", "ListUnitPrice", "PricingCategory", "PricingQuantity", "PricingUnit",
      "ConsumedQuantity", "ConsumedUnit", "ProviderName", "ServiceName", "ServiceCategory", "SubAccountId",
      "RegionId", "ResourceId", "SkuId", "Tags");

  /** What the generator knows the file holds, to check the import against. */
  record Expected(long rows, long usageRows, BigDecimal billed) {}

  private CostBenchmarkData() {}

  /**
   * The bill as a SQL query of {@code rows} rows over 2024 with {@code skus} SKUs. Costs are computed in floating
   * point and rounded to 10 decimals as DECIMAL, so the file holds exact decimal text and its exact total is known.
   */
  static String focusQuery(long rows, int skus) {
    String services = list(0) + " AS provider_names, " + list(1) + " AS service_names, " + list(2)
        + " AS categories, " + list(3) + " AS units, " + list(4) + " AS accounts";
    String regions = REGIONS.stream().map(r -> "'" + r + "'").collect(Collectors.joining(", ", "[", "]"));
    // Each step names what it derives so the final SELECT reads as the FOCUS columns. hash() is UBIGINT: values are
    // cast to signed types before any subtraction.
    String sql = """
        WITH k AS (SELECT {services}, {regions} AS regions),
        r AS (
          SELECT i,
            (i * 366 // {rows})::INTEGER AS d,
            (i % {skus})::INTEGER AS sku,
            (hash(i * 31 + 7) % 1000)::INTEGER AS draw,
            ((hash(i * 17 + 3) % {perSku}) * {skus} + i % {skus})::INTEGER AS res,
            0.8 + (hash(i * 13 + 1) % 4001)::INTEGER / 10000.0 AS noise,
            (hash((i % {skus}) * 3 + 11) % 1000)::INTEGER / 1000.0 AS skew
          FROM range({rows}) t(i)
        ),
        s AS (
          SELECT r.*, DATE '2024-01-01' + d AS day, sku % {services_n} AS svc,
            -- list price per row: 0.01 to 100, skewed so that a few SKUs weigh most, as in real bills
            0.01 + 100 * skew * skew * skew AS rate,
            0.001 + (hash(sku * 5 + 2) % 1000)::INTEGER / 1000.0 AS unit_price,
            (hash(sku * 7919 + 1) % 50)::INTEGER AS oddity,
            (20 + hash(sku * 13 + 5) % 330)::INTEGER AS odd_day,
            hash(res * 3 + 1) % 4 = 0 AS committed
          FROM r
        ),
        c AS (
          SELECT s.*,
            rate * noise
              * (CASE WHEN dayofweek(day) IN (0, 6) THEN [0.55, 0.8, 1.0][svc % 3 + 1] ELSE 1.0 END)
              * (1 + ((hash(svc * 101 + 5) % 81)::INTEGER - 20) / 100.0 * d / 366.0)
              * (CASE WHEN oddity = 0 AND d = odd_day THEN 4.0
                      WHEN oddity = 1 AND d >= odd_day THEN 1.6 ELSE 1.0 END) AS list,
            CASE WHEN draw < 985 THEN 'Usage' WHEN draw < 990 THEN 'Purchase' WHEN draw < 996 THEN 'Tax'
                 ELSE 'Credit' END AS category
          FROM s
        )
        SELECT
          k.accounts[svc + 1] AS "BillingAccountId",
          'USD' AS "BillingCurrency",
          strftime(date_trunc('month', day), '%Y-%m-%d') || 'T00:00:00Z' AS "BillingPeriodStart",
          strftime(date_trunc('month', day) + INTERVAL 1 MONTH, '%Y-%m-%d') || 'T00:00:00Z' AS "BillingPeriodEnd",
          strftime(day, '%Y-%m-%d') || 'T00:00:00Z' AS "ChargePeriodStart",
          strftime(day + 1, '%Y-%m-%d') || 'T00:00:00Z' AS "ChargePeriodEnd",
          category AS "ChargeCategory",
          CASE category WHEN 'Usage' THEN 'Usage-Based' WHEN 'Tax' THEN 'Recurring'
            WHEN 'Purchase' THEN CASE WHEN draw % 2 = 0 THEN 'One-Time' ELSE 'Recurring' END ELSE 'One-Time' END
            AS "ChargeFrequency",
          CAST(round(CASE category WHEN 'Usage' THEN list * CASE WHEN committed THEN 0.6 ELSE 0.97 END
            WHEN 'Purchase' THEN 100 + (hash(i * 7 + 9) % 2000000)::INTEGER / 1000.0 + rate / 7
            WHEN 'Tax' THEN list * 0.2 ELSE -list * 0.5 END, 10) AS DECIMAL(38,10)) AS "BilledCost",
          CAST(round(CASE category WHEN 'Usage' THEN list * CASE WHEN committed THEN 0.65 ELSE 0.97 END
            WHEN 'Purchase' THEN 0 WHEN 'Tax' THEN list * 0.2 ELSE -list * 0.5 END, 10) AS DECIMAL(38,10))
            AS "EffectiveCost",
          CAST(round(CASE category WHEN 'Usage' THEN list
            WHEN 'Purchase' THEN 100 + (hash(i * 7 + 9) % 2000000)::INTEGER / 1000.0 + rate / 7
            WHEN 'Tax' THEN list * 0.2 ELSE 0 END, 10) AS DECIMAL(38,10)) AS "ListCost",
          CASE WHEN category = 'Usage' THEN CAST(round(unit_price, 10) AS DECIMAL(38,10)) END AS "ListUnitPrice",
          CASE WHEN category = 'Usage' THEN CASE WHEN committed THEN 'Committed' ELSE 'Standard' END END
            AS "PricingCategory",
          CASE WHEN category = 'Usage' THEN CAST(round(list / unit_price, 6) AS DECIMAL(38,6)) END
            AS "PricingQuantity",
          CASE WHEN category = 'Usage' THEN k.units[svc + 1] END AS "PricingUnit",
          CASE WHEN category = 'Usage' THEN CAST(round(list / unit_price, 6) AS DECIMAL(38,6)) END
            AS "ConsumedQuantity",
          CASE WHEN category = 'Usage' THEN k.units[svc + 1] END AS "ConsumedUnit",
          k.provider_names[svc + 1] AS "ProviderName",
          k.service_names[svc + 1] AS "ServiceName",
          k.categories[svc + 1] AS "ServiceCategory",
          'acct-' || lpad((hash(res * 3 + 2) % 100)::VARCHAR, 3, '0') AS "SubAccountId",
          k.regions[(hash(res * 5 + 3) % {regions_n})::INTEGER + 1] AS "RegionId",
          CASE WHEN category = 'Usage' THEN 'res-' || lpad(res::VARCHAR, 6, '0') END AS "ResourceId",
          'sku-' || lpad(sku::VARCHAR, 4, '0') AS "SkuId",
          CASE WHEN category = 'Usage'
            THEN '{"env":"' || ['prod', 'staging', 'dev'][(hash(res * 7 + 1) % 3)::INTEGER + 1]
            || '","team":"team-' || lpad((hash(res * 11 + 2) % 20)::VARCHAR, 2, '0') || '"'
            || CASE WHEN hash(res * 13 + 3) % 3 <> 0
                 THEN ',"app":"app-' || lpad((hash(res * 17 + 4) % 200)::VARCHAR, 3, '0') || '"' ELSE '' END
            || '}' END AS "Tags"
        FROM c, k
        """;
    return sql.replace("{services}", services).replace("{regions}", regions)
        .replace("{rows}", Long.toString(rows)).replace("{skus}", Integer.toString(skus))
        .replace("{perSku}", Integer.toString(RESOURCES_PER_SKU))
        .replace("{services_n}", Integer.toString(SERVICES.length))
        .replace("{regions_n}", Integer.toString(REGIONS.size()));
  }

  /** A DuckDB list literal of one field of {@link #SERVICES}; field 4 is the provider's billing account. */
  private static String list(int field) {
    List<String> values = new ArrayList<>();
    for (String[] s : SERVICES) {
      String v = field < 4 ? s[field] : switch (s[0]) {
        case "AWS" -> "111122223333";
        case "Microsoft" -> "ea-00042-7781";
        default -> "01A2B3-C4D5E6-F7G8H9";
      };
      values.add("'" + v + "'");
    }
    return "[" + String.join(", ", values) + "]";
  }

  /**
   * Writes the CSV (unless a file written by the same arguments is there) and returns what it holds. The totals are
   * computed by a second pass over the same query, not read back from the file, so an import that loses or alters a
   * row cannot agree with them by accident.
   */
  static Expected generate(Path csv, long rows, int skus, CostBenchmark.Log log) throws SQLException, IOException {
    Path ok = csv.resolveSibling(csv.getFileName() + ".ok");
    Properties p = new Properties();
    if (Files.exists(csv) && Files.exists(ok)) {
      try (var in = Files.newBufferedReader(ok)) {
        p.load(in);
      }
      log.line("Data: reusing " + csv + " (" + CostBenchmark.mib(csv) + ")");
    } else {
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
        st.execute("SET TimeZone = 'UTC'");
        long t0 = System.nanoTime();
        st.execute("CREATE TEMP VIEW focus AS " + focusQuery(rows, skus));
        st.execute("COPY (SELECT * FROM focus) TO " + Sql.literal(csv.toAbsolutePath().toString())
            + " (FORMAT csv, HEADER)");
        try (ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE \"ChargeCategory\" = 'Usage'), "
            + "sum(\"BilledCost\") FROM focus")) {
          rs.next();
          p.setProperty("rows", Long.toString(rs.getLong(1)));
          p.setProperty("usageRows", Long.toString(rs.getLong(2)));
          p.setProperty("billed", rs.getBigDecimal(3).toPlainString());
        }
        try (var out = Files.newBufferedWriter(ok)) {
          p.store(out, "written by CostBenchmark with --rows " + rows + " --skus " + skus);
        }
        log.line(String.format(java.util.Locale.ROOT, "Data: generated with DuckDB in %.1f s (%s of CSV)",
            (System.nanoTime() - t0) / 1e9, CostBenchmark.mib(csv)));
      }
    }
    return new Expected(Long.parseLong(p.getProperty("rows")), Long.parseLong(p.getProperty("usageRows")),
        new BigDecimal(p.getProperty("billed")));
  }

  /**
   * {@code count} daily series of {@code days} days from 2024-01-01, in cents: a level per series (1 to 10,000 a
   * day), a yearly trend (-30% to +60%), a weekday pattern (weekends at 50% to 100%), ±5% noise, and, in every tenth
   * series, a spike of +200% on one day after the first month. Returns the spike days too, to count what was found.
   */
  static Series series(int count, int days) {
    List<List<BigDecimal>> out = new ArrayList<>();
    List<LocalDate> spikes = new ArrayList<>();
    LocalDate first = LocalDate.of(2024, 1, 1);
    for (int k = 0; k < count; k++) {
      double level = 1 + unit(k, 1) * 9_999;
      double trend = -0.3 + unit(k, 2) * 0.9;
      double weekend = 0.5 + unit(k, 3) * 0.5;
      int spike = k % 10 == 0 ? 31 + (int) (unit(k, 4) * (days - 32)) : -1;
      List<BigDecimal> values = new ArrayList<>(days);
      for (int t = 0; t < days; t++) {
        DayOfWeek dow = first.plusDays(t).getDayOfWeek();
        double v = level * (1 + trend * t / days)
            * (dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY ? weekend : 1.0)
            * (0.95 + unit(k, 1000 + t) * 0.1) * (t == spike ? 3.0 : 1.0);
        values.add(BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP));
      }
      out.add(values);
      spikes.add(spike < 0 ? null : first.plusDays(spike));
    }
    return new Series(first, out, spikes);
  }

  /** Generated series: the first day of all, the values, and each series' spike day (null without one). */
  record Series(LocalDate first, List<List<BigDecimal>> values, List<LocalDate> spikes) {}

  /** A number in [0, 1) from two integers (SplitMix64's finaliser): the same inputs, the same number. */
  static double unit(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }

}
