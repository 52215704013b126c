package dev.tally.store.cost;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An Azure Cost Management export (EA or MCA, actual or amortized cost) or a pay-as-you-go usage-details file
 * ({@code UsageDateTime}, {@code PreTaxCost}, {@code UsageQuantity}, {@code ResourceRate}, {@code SubscriptionGuid})
 * mapped to FOCUS. An amortized export's cost is EffectiveCost (see {@link CostBasis#AMORTIZED}). Header names are
 * matched ignoring case and punctuation, so {@code costInBillingCurrency} and {@code CostInBillingCurrency} both work.
 *
 * <table>
 *   <caption>Azure export column to FOCUS column</caption>
 *   <tr><th>FOCUS</th><th>Azure</th></tr>
 *   <tr><td>BilledCost, EffectiveCost</td><td>CostInBillingCurrency, else Cost (an actual-cost export is not
 *       amortised, so the two are equal)</td></tr>
 *   <tr><td>ListCost</td><td>PayGPrice × Quantity, else the billed cost</td></tr>
 *   <tr><td>ContractedCost</td><td>UnitPrice × Quantity, else the billed cost</td></tr>
 *   <tr><td>BillingCurrency</td><td>BillingCurrencyCode, BillingCurrency or Currency</td></tr>
 *   <tr><td>ChargePeriodStart / End</td><td>Date (MM/DD/YYYY or ISO) at 00:00 UTC / the next day</td></tr>
 *   <tr><td>BillingPeriodStart / End</td><td>BillingPeriodStartDate / BillingPeriodEndDate + 1 day</td></tr>
 *   <tr><td>ChargeCategory</td><td>ChargeType: Usage, UnusedReservation, UnusedSavingsPlan → Usage; Purchase →
 *       Purchase; Tax → Tax; Refund → Credit; RoundingAdjustment and others → Adjustment</td></tr>
 *   <tr><td>ChargeFrequency</td><td>Frequency: OneTime → One-Time, Recurring, UsageBased → Usage-Based</td></tr>
 *   <tr><td>PricingCategory</td><td>PricingModel: OnDemand → Standard, Reservation and SavingsPlan → Committed,
 *       Spot → Dynamic</td></tr>
 *   <tr><td>ConsumedQuantity, PricingQuantity / ConsumedUnit, PricingUnit</td><td>Quantity / UnitOfMeasure</td></tr>
 *   <tr><td>ListUnitPrice / ContractedUnitPrice</td><td>PayGPrice / UnitPrice</td></tr>
 *   <tr><td>ServiceName / ServiceCategory</td><td>MeterCategory / MeterCategory by a fixed table (Virtual Machines →
 *       Compute, Storage → Storage, ...; Other otherwise)</td></tr>
 *   <tr><td>SubAccountId / SubAccountName</td><td>SubscriptionId / SubscriptionName</td></tr>
 *   <tr><td>RegionId / RegionName</td><td>ResourceLocation lower-cased / ResourceLocation</td></tr>
 *   <tr><td>ResourceId / ResourceName / ResourceType</td><td>ResourceId (or InstanceId) / ResourceName, else the
 *       last segment of the id / ConsumedService</td></tr>
 *   <tr><td>SkuId / ChargeDescription</td><td>ProductId or MeterId / MeterName, else ProductName</td></tr>
 *   <tr><td>CommitmentDiscountId / Name</td><td>BenefitId or ReservationId / BenefitName or ReservationName</td></tr>
 *   <tr><td>Tags</td><td>Tags, wrapped in braces when the export omits them (EA writes
 *       {@code "a": "b","c": "d"})</td></tr>
 *   <tr><td>ProviderName, InvoiceIssuerName</td><td>{@code Microsoft}</td></tr>
 *   <tr><td>PublisherName</td><td>PublisherName, else {@code Microsoft}</td></tr>
 *   <tr><td>BillingAccountId / Name, InvoiceId</td><td>BillingAccountId / BillingAccountName, InvoiceId</td></tr>
 * </table>
 */
final class AzureMapping implements SourceMapping {
  private final Optional<CostBasis> forced;
  private final Predicate<String> anyRow;

  /**
   * @param forced the export's kind when the user said it ({@code --format azure-actual} or {@code azure-amortized});
   *     empty to recognise it
   * @param anyRow whether any row of the staged file meets a SQL condition (used to recognise an amortized export)
   */
  AzureMapping(Optional<CostBasis> forced, Predicate<String> anyRow) {
    this.forced = forced;
    this.anyRow = anyRow;
  }

  /**
   * An amortized export is known by what only it has (Microsoft: the amortized dataset has no purchase records, has
   * unused-reservation rows, and prices commitment-covered usage at the commitment's prorated cost, which the actual
   * dataset prices at zero): a row charged as unused commitment, or usage under a commitment with a non-zero cost.
   */
  private boolean amortized(SourceColumns s, String cost) {
    if (forced.isPresent()) {
      return forced.get() == CostBasis.AMORTIZED;
    }
    String type = "lower(" + s.textOrNull("ChargeType") + ")";
    String commitment = s.firstText("BenefitId", "ReservationId");
    String model = "lower(" + s.textOrNull("PricingModel") + ")";
    return anyRow.test(type + " IN ('unusedreservation', 'unusedsavingsplan') OR (" + type + " = 'usage' AND ("
        + commitment + " IS NOT NULL OR " + model + " IN ('reservation', 'savingsplan')) AND coalesce(TRY_CAST("
        + cost + " AS DECIMAL(38,12)), 0) <> 0)");
  }

  @Override
  public Mapped map(SourceColumns s) {
    // UsageDateTime is the pay-as-you-go usage-details export's (schema 2019-11-01), with PreTaxCost, UsageQuantity,
    // ResourceRate, SubscriptionGuid and InstanceId.
    String date = s.require("Date", "UsageDate", "UsageDateTime");
    String cost = s.text(s.require("CostInBillingCurrency", "Cost", "PreTaxCost"));
    String quantity = s.textOrNull("Quantity", "UsageQuantity");
    // The day of the charge: MM/DD/YYYY, or ISO (a pay-as-you-go UsageDateTime such as 2024-09-01T00:00:00.0000000Z
    // has more fractional digits than a timestamp reads: its date part is the day).
    String day = "date_trunc('day', coalesce(try_strptime(" + s.text(date) + ", '%m/%d/%Y'), TRY_CAST(" + s.text(date)
        + " AS TIMESTAMP), TRY_CAST(left(" + s.text(date) + ", 10) AS TIMESTAMP)))";
    Map<String, String> e = new LinkedHashMap<>();
    boolean amortized = amortized(s, cost);
    String type = "lower(" + s.textOrNull("ChargeType") + ")";
    String commitmentId = s.firstText("BenefitId", "ReservationId");
    String model = "lower(" + s.textOrNull("PricingModel") + ")";
    String covered = "(" + type + " IN ('unusedreservation', 'unusedsavingsplan') OR " + commitmentId
        + " IS NOT NULL AND " + type + " = 'usage' OR " + model + " IN ('reservation', 'savingsplan') AND "
        + type + " = 'usage')";
    // Amortized: the cost is EffectiveCost; what was invoiced for commitment-covered and unused-commitment rows is the
    // commitment's purchase (absent from such an export), so their BilledCost is 0.
    e.put("BilledCost", amortized ? "CASE WHEN " + covered + " THEN '0' ELSE " + cost + " END" : cost);
    e.put("EffectiveCost", cost);
    e.put("CommitmentDiscountStatus", "CASE WHEN " + type + " IN ('unusedreservation', 'unusedsavingsplan') THEN "
        + "'Unused' WHEN " + commitmentId + " IS NOT NULL AND " + type + " = 'usage' THEN 'Used' END");
    e.put("CommitmentDiscountCategory", "CASE WHEN " + commitmentId + " IS NULL THEN NULL WHEN " + model
        + " = 'savingsplan' OR " + type + " = 'unusedsavingsplan' THEN 'Spend' WHEN " + model + " = 'reservation' OR "
        + type + " = 'unusedreservation' THEN 'Usage' END");
    e.put("ListCost", product(s, "PayGPrice", quantity, cost));
    e.put("ContractedCost", product(s, s.find("UnitPrice").isPresent() ? "UnitPrice" : "ResourceRate", quantity,
        cost));
    e.put("BillingCurrency", s.textOrNull("BillingCurrencyCode", "BillingCurrency", "Currency"));
    // A date that does not parse stays as its text so that validation names it.
    e.put("ChargePeriodStart", "coalesce(CAST(" + day + " AS VARCHAR), " + s.text(date) + ")");
    e.put("ChargePeriodEnd", "coalesce(CAST(" + day + " + INTERVAL 1 DAY AS VARCHAR), " + s.text(date) + ")");
    s.find("BillingPeriodStartDate").ifPresent(c -> e.put("BillingPeriodStart", isoDate(s, c, false)));
    s.find("BillingPeriodEndDate").ifPresent(c -> e.put("BillingPeriodEnd", isoDate(s, c, true)));
    e.put("ChargeCategory", "CASE lower(" + s.textOrNull("ChargeType") + ") WHEN 'usage' THEN 'Usage'"
        + " WHEN 'unusedreservation' THEN 'Usage' WHEN 'unusedsavingsplan' THEN 'Usage' WHEN 'purchase' THEN 'Purchase'"
        + " WHEN 'tax' THEN 'Tax' WHEN 'refund' THEN 'Credit' WHEN NULL THEN 'Usage' ELSE 'Adjustment' END");
    e.put("ChargeFrequency", "CASE lower(" + s.textOrNull("Frequency") + ") WHEN 'onetime' THEN 'One-Time'"
        + " WHEN 'recurring' THEN 'Recurring' WHEN 'usagebased' THEN 'Usage-Based' END");
    e.put("PricingCategory", "CASE lower(" + s.textOrNull("PricingModel") + ") WHEN 'ondemand' THEN 'Standard'"
        + " WHEN 'reservation' THEN 'Committed' WHEN 'savingsplan' THEN 'Committed' WHEN 'spot' THEN 'Dynamic' END");
    e.put("ConsumedQuantity", quantity);
    e.put("PricingQuantity", quantity);
    e.put("ConsumedUnit", s.textOrNull("UnitOfMeasure"));
    e.put("PricingUnit", s.textOrNull("UnitOfMeasure"));
    e.put("ListUnitPrice", s.textOrNull("PayGPrice"));
    e.put("ContractedUnitPrice", s.textOrNull("UnitPrice", "ResourceRate"));
    String category = s.textOrNull("MeterCategory");
    e.put("ServiceName", category);
    e.put("ServiceCategory", serviceCategory(category));
    e.put("SubAccountId", s.textOrNull("SubscriptionId", "SubscriptionGuid"));
    e.put("SubAccountName", s.textOrNull("SubscriptionName"));
    e.put("RegionId", "lower(replace(" + s.textOrNull("ResourceLocation") + ", ' ', ''))");
    e.put("RegionName", s.textOrNull("ResourceLocation"));
    String resource = s.textOrNull("ResourceId", "InstanceId");
    e.put("ResourceId", resource);
    e.put("ResourceName", "coalesce(" + s.textOrNull("ResourceName") + ", nullif(regexp_extract(" + resource
        + ", '[^/]+$'), ''))");
    e.put("ResourceType", s.textOrNull("ResourceType", "ConsumedService"));
    e.put("SkuId", s.textOrNull("ProductId", "MeterId"));
    e.put("ChargeDescription", "coalesce(" + s.textOrNull("MeterName") + ", " + s.textOrNull("ProductName") + ")");
    e.put("CommitmentDiscountId", s.firstText("BenefitId", "ReservationId"));
    e.put("CommitmentDiscountName", s.firstText("BenefitName", "ReservationName"));
    String tags = s.textOrNull("Tags");
    e.put("Tags", "CASE WHEN " + tags + " IS NULL THEN NULL WHEN starts_with(" + tags + ", '{') THEN " + tags
        + " ELSE '{' || " + tags + " || '}' END");
    e.put("ProviderName", "'Microsoft'");
    e.put("InvoiceIssuerName", "'Microsoft'");
    e.put("PublisherName", "coalesce(" + s.textOrNull("PublisherName") + ", 'Microsoft')");
    e.put("BillingAccountId", s.textOrNull("BillingAccountId"));
    e.put("BillingAccountName", s.textOrNull("BillingAccountName"));
    e.put("InvoiceId", s.textOrNull("InvoiceId"));
    return new Mapped(e, Optional.empty(), "mapped", amortized ? CostBasis.AMORTIZED : CostBasis.ACTUAL);
  }

  /** {@code price × quantity} as text when both columns exist and parse, else the fallback. */
  private static String product(SourceColumns s, String price, String quantity, String fallback) {
    return s.find(price).map(p -> "coalesce(CAST(TRY_CAST(" + s.text(p) + " AS DECIMAL(38,15)) * TRY_CAST(" + quantity
        + " AS DECIMAL(38,15)) AS VARCHAR), " + fallback + ")").orElse(fallback);
  }

  private static String isoDate(SourceColumns s, String column, boolean nextDay) {
    String parsed = "coalesce(try_strptime(" + s.text(column) + ", '%m/%d/%Y'), TRY_CAST(" + s.text(column)
        + " AS TIMESTAMP))";
    return "coalesce(CAST(" + parsed + (nextDay ? " + INTERVAL 1 DAY" : "") + " AS VARCHAR), " + s.text(column) + ")";
  }

  private static String serviceCategory(String meterCategory) {
    return "CASE " + meterCategory
        + " WHEN 'Virtual Machines' THEN 'Compute' WHEN 'Azure App Service' THEN 'Compute'"
        + " WHEN 'Functions' THEN 'Compute' WHEN 'Container Instances' THEN 'Compute'"
        + " WHEN 'Azure Kubernetes Service' THEN 'Compute' WHEN 'Virtual Machines Licenses' THEN 'Compute'"
        + " WHEN 'Storage' THEN 'Storage' WHEN 'Backup' THEN 'Storage'"
        + " WHEN 'SQL Database' THEN 'Databases' WHEN 'Azure Cosmos DB' THEN 'Databases'"
        + " WHEN 'Azure Database for PostgreSQL' THEN 'Databases' WHEN 'Azure Database for MySQL' THEN 'Databases'"
        + " WHEN 'Redis Cache' THEN 'Databases' WHEN 'Bandwidth' THEN 'Networking'"
        + " WHEN 'Virtual Network' THEN 'Networking' WHEN 'Load Balancer' THEN 'Networking'"
        + " WHEN 'Content Delivery Network' THEN 'Networking' WHEN 'VPN Gateway' THEN 'Networking'"
        + " WHEN 'Azure DNS' THEN 'Networking' WHEN 'Application Gateway' THEN 'Networking'"
        + " WHEN 'Log Analytics' THEN 'Management and Governance' WHEN 'Azure Monitor' THEN 'Management and Governance'"
        + " WHEN 'Key Vault' THEN 'Security' WHEN 'Microsoft Defender for Cloud' THEN 'Security'"
        + " WHEN 'Cognitive Services' THEN 'AI and Machine Learning'"
        + " WHEN 'Azure OpenAI Service' THEN 'AI and Machine Learning'"
        + " WHEN 'Machine Learning' THEN 'AI and Machine Learning' WHEN 'Event Hubs' THEN 'Integration'"
        + " WHEN 'Service Bus' THEN 'Integration' WHEN 'Logic Apps' THEN 'Integration'"
        + " WHEN 'Azure Synapse Analytics' THEN 'Analytics' WHEN 'Azure Data Factory v2' THEN 'Analytics'"
        + " WHEN NULL THEN NULL ELSE 'Other' END";
  }
}
