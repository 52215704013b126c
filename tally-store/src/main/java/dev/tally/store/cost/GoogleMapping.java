package dev.tally.store.cost;

import dev.tally.store.Sql;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Google Cloud billing export (the BigQuery export's standard or detailed usage cost rows) mapped to FOCUS: as JSON
 * (an array of objects, or one object per line, as {@code bq extract --destination_format NEWLINE_DELIMITED_JSON}
 * writes them) with its nested {@code service}, {@code sku}, {@code project}, {@code location}, {@code usage},
 * {@code invoice} and {@code resource} objects and its {@code credits} and {@code labels} arrays; or as CSV with the
 * nested fields flattened ({@code service.description} or {@code service_description}) and the arrays as JSON text.
 *
 * <p>Each credit of a row becomes a charge of its own, ChargeCategory Credit, as FOCUS has them: the usage row keeps
 * its gross {@code cost}, and the credits (negative amounts) are beside it, so BilledCost sums to cost plus credits,
 * the net Google invoices. See docs/cost-analytics.md for the mapping column by column.
 */
final class GoogleMapping implements SourceMapping {
  /** The nested field's text, from JSON or from a flattened CSV column; SQL NULL if absent. */
  private static String field(SourceColumns s, boolean json, String path) {
    if (json) {
      return "nullif(json_extract_string(_object, " + Sql.literal("$." + path) + "), '')";
    }
    return s.textOrNull(path, path.replace('.', '_'));
  }

  /** The nested array as JSON, or SQL NULL. */
  private static String array(SourceColumns s, boolean json, String name) {
    if (json) {
      return "json_extract(_object, " + Sql.literal("$." + name) + ")";
    }
    return s.find(name).map(n -> "TRY_CAST(" + s.text(n) + " AS JSON)").orElse("CAST(NULL AS JSON)");
  }

  @Override
  public Mapped map(SourceColumns s) {
    boolean json = s.find("_object").isPresent();
    if (!json) {
      s.require("cost");
      s.require("usage_start_time", "usage.start_time");
    }
    String credit = "json_extract_string(_credit, ";
    String isCredit = "_credit IS NOT NULL";
    String cost = field(s, json, "cost");
    String amount = "CASE WHEN " + isCredit + " THEN " + credit + "'$.amount') ELSE " + cost + " END";
    Map<String, String> e = new LinkedHashMap<>();
    e.put("BilledCost", amount);
    e.put("EffectiveCost", amount);
    e.put("ContractedCost", amount);
    e.put("ListCost", "CASE WHEN " + isCredit + " THEN '0' ELSE coalesce(" + field(s, json, "cost_at_list") + ", "
        + cost + ") END");
    e.put("BillingCurrency", field(s, json, "currency"));
    e.put("ChargePeriodStart", field(s, json, "usage_start_time"));
    e.put("ChargePeriodEnd", field(s, json, "usage_end_time"));
    // invoice.month is YYYYMM: the billing period is that calendar month.
    String month = "try_strptime(" + field(s, json, "invoice.month") + " || '01', '%Y%m%d')";
    e.put("BillingPeriodStart", "CAST(" + month + " AS VARCHAR)");
    e.put("BillingPeriodEnd", "CAST(" + month + " + INTERVAL 1 MONTH AS VARCHAR)");
    String costType = "lower(" + field(s, json, "cost_type") + ")";
    e.put("ChargeCategory", "CASE WHEN " + isCredit + " THEN 'Credit' WHEN " + costType + " IS NULL OR " + costType
        + " = 'regular' THEN 'Usage' WHEN " + costType + " = 'tax' THEN 'Tax' ELSE 'Adjustment' END");
    e.put("ChargeClass", "CASE WHEN " + costType + " = 'adjustment' THEN 'Correction' END");
    e.put("ChargeDescription", "CASE WHEN " + isCredit + " THEN coalesce(" + credit + "'$.full_name'), " + credit
        + "'$.name')) ELSE " + field(s, json, "sku.description") + " END");
    String service = field(s, json, "service.description");
    e.put("ServiceName", service);
    e.put("ServiceCategory", serviceCategory(service));
    e.put("SkuId", field(s, json, "sku.id"));
    e.put("SubAccountId", field(s, json, "project.id"));
    e.put("SubAccountName", field(s, json, "project.name"));
    e.put("BillingAccountId", field(s, json, "billing_account_id"));
    e.put("RegionId", "coalesce(" + field(s, json, "location.region") + ", " + field(s, json, "location.location")
        + ")");
    e.put("RegionName", "coalesce(" + field(s, json, "location.region") + ", " + field(s, json, "location.location")
        + ")");
    e.put("AvailabilityZone", field(s, json, "location.zone"));
    e.put("ResourceId", field(s, json, "resource.global_name"));
    e.put("ResourceName", field(s, json, "resource.name"));
    String usage = "CASE WHEN " + isCredit + " THEN NULL ELSE ";
    e.put("ConsumedQuantity", usage + field(s, json, "usage.amount") + " END");
    e.put("ConsumedUnit", usage + field(s, json, "usage.unit") + " END");
    e.put("PricingQuantity", usage + field(s, json, "usage.amount_in_pricing_units") + " END");
    e.put("PricingUnit", usage + field(s, json, "usage.pricing_unit") + " END");
    // labels: [{"key": k, "value": v}, ...] as a JSON object {k: v}; an empty list is no tags.
    String labels = array(s, json, "labels");
    e.put("Tags", "(SELECT nullif(CAST(json_group_object(json_extract_string(l.value, '$.key'), "
        + "json_extract_string(l.value, '$.value')) AS VARCHAR), '{}') FROM json_each(" + labels + ") AS l)");
    e.put("ProviderName", "'Google Cloud'");
    e.put("PublisherName", "coalesce(" + field(s, json, "seller_name") + ", 'Google Cloud')");
    e.put("InvoiceIssuerName", "'Google'");
    String credits = array(s, json, "credits");
    // The usage rows, then one row per credit of each, both carrying their staged row's position.
    String source = "SELECT rowid AS _src, CAST(NULL AS JSON) AS _credit, * FROM cost_stage UNION ALL "
        + "SELECT cost_stage.rowid, cr.value, cost_stage.* FROM cost_stage, json_each(" + credits + ") AS cr";
    String extra = "CASE WHEN " + isCredit + " THEN json_object('x_CreditType', " + credit + "'$.type'), 'x_CreditId', "
        + credit + "'$.id')) END";
    return new Mapped(e, Optional.of(extra), "mapped", CostBasis.ACTUAL, Optional.of(source));
  }

  private static String serviceCategory(String service) {
    return "CASE " + service
        + " WHEN 'Compute Engine' THEN 'Compute' WHEN 'Kubernetes Engine' THEN 'Compute'"
        + " WHEN 'Cloud Run' THEN 'Compute' WHEN 'Cloud Functions' THEN 'Compute' WHEN 'App Engine' THEN 'Compute'"
        + " WHEN 'Cloud Storage' THEN 'Storage' WHEN 'Filestore' THEN 'Storage'"
        + " WHEN 'Cloud SQL' THEN 'Databases' WHEN 'Cloud Spanner' THEN 'Databases'"
        + " WHEN 'Cloud Bigtable' THEN 'Databases'"
        + " WHEN 'Firestore' THEN 'Databases' WHEN 'Cloud Memorystore for Redis' THEN 'Databases'"
        + " WHEN 'BigQuery' THEN 'Analytics' WHEN 'Dataflow' THEN 'Analytics' WHEN 'Dataproc' THEN 'Analytics'"
        + " WHEN 'Networking' THEN 'Networking' WHEN 'Cloud CDN' THEN 'Networking' WHEN 'Cloud DNS' THEN 'Networking'"
        + " WHEN 'Cloud Load Balancing' THEN 'Networking' WHEN 'Cloud Logging' THEN 'Management and Governance'"
        + " WHEN 'Cloud Monitoring' THEN 'Management and Governance' WHEN 'Secret Manager' THEN 'Security'"
        + " WHEN 'Cloud Key Management Service (KMS)' THEN 'Security' WHEN 'Vertex AI' THEN 'AI and Machine Learning'"
        + " WHEN 'Pub/Sub' THEN 'Integration' WHEN NULL THEN NULL ELSE 'Other' END";
  }
}
