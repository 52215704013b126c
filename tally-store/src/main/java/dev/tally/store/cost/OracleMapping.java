package dev.tally.store.cost;

import dev.tally.store.Sql;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An Oracle Cloud Infrastructure cost report (the proprietary CSV, {@code lineItem/...}, {@code product/...},
 * {@code usage/...}, {@code cost/...} and {@code tags/...} columns) mapped to FOCUS. Headers are matched ignoring case
 * and punctuation. See docs/cost-analytics.md for the mapping column by column.
 */
final class OracleMapping implements SourceMapping {
  @Override
  public Mapped map(SourceColumns s) {
    String cost = s.text(s.require("cost/myCost"));
    Map<String, String> e = new LinkedHashMap<>();
    e.put("BilledCost", cost);
    e.put("EffectiveCost", cost);
    e.put("ContractedCost", cost);
    // A cost report has no list price: its unit price is the contracted one.
    e.put("ListCost", cost);
    e.put("ContractedUnitPrice", s.textOrNull("cost/unitPrice"));
    e.put("BillingCurrency", s.text(s.require("cost/currencyCode")));
    e.put("ChargePeriodStart", s.text(s.require("lineItem/intervalUsageStart")));
    e.put("ChargePeriodEnd", s.text(s.require("lineItem/intervalUsageEnd")));
    e.put("ChargeCategory", "'Usage'");
    // A correction is a new row naming the corrected one (lineItem/backreferenceNo); FOCUS calls it a Correction.
    e.put("ChargeClass", "CASE WHEN lower(" + s.textOrNull("lineItem/isCorrection") + ") IN ('true', 'y', '1') THEN "
        + "'Correction' END");
    e.put("ChargeDescription", s.textOrNull("product/Description"));
    String service = s.textOrNull("product/service");
    e.put("ServiceName", service);
    e.put("ServiceCategory", serviceCategory(service));
    e.put("SkuId", s.textOrNull("cost/productSku"));
    e.put("ResourceId", s.textOrNull("product/resourceId"));
    e.put("ResourceType", s.textOrNull("product/resource"));
    e.put("SubAccountId", s.textOrNull("product/compartmentId"));
    e.put("SubAccountName", s.textOrNull("product/compartmentName"));
    e.put("BillingAccountId", s.textOrNull("lineItem/tenantId"));
    e.put("RegionId", s.textOrNull("product/region"));
    e.put("RegionName", s.textOrNull("product/region"));
    e.put("AvailabilityZone", s.textOrNull("product/availabilityDomain"));
    String quantity = s.textOrNull("usage/billedQuantity");
    e.put("ConsumedQuantity", quantity);
    e.put("PricingQuantity", quantity);
    e.put("ConsumedUnit", s.textOrNull("cost/billingUnitReadable"));
    e.put("PricingUnit", s.textOrNull("cost/billingUnitReadable"));
    e.put("ProviderName", "'Oracle'");
    e.put("PublisherName", "'Oracle'");
    e.put("InvoiceIssuerName", "'Oracle'");
    e.put("Tags", tags(s));
    return new Mapped(e, Optional.of("json_object('x_ReferenceNo', " + s.textOrNull("lineItem/referenceNo")
        + ", 'x_BackReferenceNo', " + s.textOrNull("lineItem/backreferenceNo") + ", 'x_SubscriptionId', "
        + s.textOrNull("cost/subscriptionId") + ")"), "mapped");
  }

  /** The {@code tags/NAMESPACE.KEY} columns as {@code {"NAMESPACE.KEY": value}}, without the empty ones. */
  private static String tags(SourceColumns s) {
    List<String> pairs = new ArrayList<>();
    List<String> present = new ArrayList<>();
    for (String name : s.names()) {
      if (name.regionMatches(true, 0, "tags/", 0, 5)) {
        String v = s.text(name);
        pairs.add("CASE WHEN " + v + " IS NOT NULL THEN json_object(" + Sql.literal(name.substring(5))
            + ", " + v + ") END");
        present.add(v);
      }
    }
    if (pairs.isEmpty()) {
      return "CAST(NULL AS VARCHAR)";
    }
    // json_merge_patch of the non-empty tags; a row with none has no Tags.
    return "CASE WHEN coalesce(" + String.join(", ", present) + ") IS NULL THEN NULL ELSE CAST(json_merge_patch('{}', "
        + String.join(", ", pairs.stream().map(p -> "coalesce(" + p + ", '{}')").toList()) + ") AS VARCHAR) END";
  }

  private static String serviceCategory(String service) {
    return "CASE upper(" + service + ")"
        + " WHEN 'COMPUTE' THEN 'Compute' WHEN 'CONTAINER_ENGINE' THEN 'Compute' WHEN 'FUNCTIONS' THEN 'Compute'"
        + " WHEN 'BLOCK_STORAGE' THEN 'Storage' WHEN 'OBJECT_STORAGE' THEN 'Storage' WHEN 'OBJECTSTORAGE' THEN 'Storage'"
        + " WHEN 'FILE_STORAGE' THEN 'Storage' WHEN 'DATABASE' THEN 'Databases' WHEN 'AUTONOMOUS_DATABASE' THEN"
        + " 'Databases' WHEN 'MYSQL' THEN 'Databases' WHEN 'NETWORK' THEN 'Networking' WHEN 'NETWORKING' THEN"
        + " 'Networking' WHEN 'LOAD_BALANCER' THEN 'Networking' WHEN 'DNS' THEN 'Networking' WHEN 'FASTCONNECT' THEN"
        + " 'Networking' WHEN 'LOGGING' THEN 'Management and Governance' WHEN 'MONITORING' THEN"
        + " 'Management and Governance' WHEN 'VAULT' THEN 'Security' WHEN 'AI_SERVICES' THEN 'AI and Machine Learning'"
        + " WHEN 'GENERATIVE_AI' THEN 'AI and Machine Learning' WHEN NULL THEN NULL ELSE 'Other' END";
  }
}
