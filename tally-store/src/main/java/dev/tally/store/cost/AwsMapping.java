package dev.tally.store.cost;

import dev.tally.store.Sql;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An AWS Cost and Usage Report mapped to FOCUS: CUR 2.0 ({@code line_item_unblended_cost}) and legacy CUR
 * ({@code lineItem/UnblendedCost}) headers both work, because headers are matched ignoring case and punctuation.
 *
 * <table>
 *   <caption>CUR column to FOCUS column</caption>
 *   <tr><th>FOCUS</th><th>CUR</th></tr>
 *   <tr><td>BilledCost, ContractedCost</td><td>line_item_unblended_cost</td></tr>
 *   <tr><td>EffectiveCost</td><td>savings_plan_savings_plan_effective_cost for SavingsPlanCoveredUsage,
 *       reservation_effective_cost for DiscountedUsage, 0 for SavingsPlanNegation, else the unblended cost</td></tr>
 *   <tr><td>ListCost / ListUnitPrice</td><td>pricing_public_on_demand_cost / pricing_public_on_demand_rate (else the
 *       unblended cost / rate)</td></tr>
 *   <tr><td>ContractedUnitPrice</td><td>line_item_unblended_rate</td></tr>
 *   <tr><td>BillingCurrency</td><td>line_item_currency_code</td></tr>
 *   <tr><td>ChargePeriodStart / End</td><td>line_item_usage_start_date / line_item_usage_end_date</td></tr>
 *   <tr><td>BillingPeriodStart / End</td><td>bill_billing_period_start_date / bill_billing_period_end_date</td></tr>
 *   <tr><td>ChargeCategory</td><td>line_item_line_item_type: Usage, DiscountedUsage, SavingsPlanCoveredUsage → Usage;
 *       Fee, RIFee, SavingsPlanRecurringFee, SavingsPlanUpfrontFee → Purchase; Tax → Tax; Credit, Refund,
 *       SavingsPlanNegation, BundledDiscount, EdpDiscount, PrivateRateDiscount, Discount → Credit; others →
 *       Adjustment</td></tr>
 *   <tr><td>ChargeDescription</td><td>line_item_line_item_description</td></tr>
 *   <tr><td>ConsumedQuantity, PricingQuantity / ConsumedUnit, PricingUnit</td><td>line_item_usage_amount /
 *       pricing_unit</td></tr>
 *   <tr><td>ServiceName</td><td>product_product_name, else line_item_product_code</td></tr>
 *   <tr><td>ServiceCategory</td><td>line_item_product_code by a fixed table (AmazonEC2 → Compute, AmazonS3 → Storage,
 *       ...; Other otherwise)</td></tr>
 *   <tr><td>SubAccountId / BillingAccountId</td><td>line_item_usage_account_id / bill_payer_account_id</td></tr>
 *   <tr><td>RegionId / RegionName / AvailabilityZone</td><td>product_region_code or product_region /
 *       product_location / line_item_availability_zone</td></tr>
 *   <tr><td>ResourceId / SkuId / SkuPriceId</td><td>line_item_resource_id / product_sku / pricing_rate_id</td></tr>
 *   <tr><td>CommitmentDiscountId</td><td>savings_plan_savings_plan_a_r_n, else reservation_reservation_a_r_n</td></tr>
 *   <tr><td>InvoiceId / InvoiceIssuerName</td><td>bill_invoice_id / bill_invoicing_entity, else
 *       {@code Amazon Web Services, Inc.}</td></tr>
 *   <tr><td>ProviderName / PublisherName</td><td>{@code AWS} / bill_billing_entity, else {@code AWS}</td></tr>
 *   <tr><td>Tags</td><td>resource_tags (CUR 2.0 map) as a JSON object, or the legacy {@code resourceTags/user:KEY}
 *       columns as {@code {"KEY": value}}</td></tr>
 * </table>
 */
final class AwsMapping implements SourceMapping {
  @Override
  public Mapped map(SourceColumns s) {
    String unblended = s.text(s.require("line_item_unblended_cost"));
    String type = s.textOrNull("line_item_line_item_type");
    Map<String, String> e = new LinkedHashMap<>();
    e.put("BilledCost", unblended);
    e.put("ContractedCost", unblended);
    e.put("EffectiveCost", "CASE " + type
        + " WHEN 'SavingsPlanCoveredUsage' THEN coalesce(" + s.textOrNull("savings_plan_savings_plan_effective_cost")
        + ", " + unblended + ") WHEN 'DiscountedUsage' THEN coalesce(" + s.textOrNull("reservation_effective_cost")
        + ", " + unblended + ") WHEN 'SavingsPlanNegation' THEN '0' ELSE " + unblended + " END");
    e.put("ListCost", "coalesce(" + s.textOrNull("pricing_public_on_demand_cost") + ", " + unblended + ")");
    e.put("ListUnitPrice", "coalesce(" + s.textOrNull("pricing_public_on_demand_rate") + ", "
        + s.textOrNull("line_item_unblended_rate") + ")");
    e.put("ContractedUnitPrice", s.textOrNull("line_item_unblended_rate"));
    e.put("BillingCurrency", s.text(s.require("line_item_currency_code")));
    e.put("ChargePeriodStart", s.text(s.require("line_item_usage_start_date")));
    e.put("ChargePeriodEnd", s.text(s.require("line_item_usage_end_date")));
    e.put("BillingPeriodStart", s.textOrNull("bill_billing_period_start_date"));
    e.put("BillingPeriodEnd", s.textOrNull("bill_billing_period_end_date"));
    e.put("ChargeCategory", "CASE WHEN " + type + " IS NULL THEN 'Usage'"
        + " WHEN " + type + " IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage') THEN 'Usage'"
        + " WHEN " + type + " IN ('Fee', 'RIFee', 'SavingsPlanRecurringFee', 'SavingsPlanUpfrontFee') THEN 'Purchase'"
        + " WHEN " + type + " = 'Tax' THEN 'Tax'"
        + " WHEN " + type + " IN ('Credit', 'Refund', 'SavingsPlanNegation', 'BundledDiscount', 'EdpDiscount',"
        + " 'PrivateRateDiscount', 'Discount') THEN 'Credit' ELSE 'Adjustment' END");
    e.put("ChargeDescription", s.textOrNull("line_item_line_item_description"));
    e.put("ConsumedQuantity", s.textOrNull("line_item_usage_amount"));
    e.put("PricingQuantity", s.textOrNull("line_item_usage_amount"));
    e.put("ConsumedUnit", s.textOrNull("pricing_unit"));
    e.put("PricingUnit", s.textOrNull("pricing_unit"));
    String code = s.textOrNull("line_item_product_code");
    e.put("ServiceName", "coalesce(" + s.textOrNull("product_product_name", "product_servicename") + ", " + code
        + ")");
    e.put("ServiceCategory", serviceCategory(code));
    e.put("SubAccountId", s.textOrNull("line_item_usage_account_id"));
    e.put("BillingAccountId", s.textOrNull("bill_payer_account_id"));
    e.put("RegionId", s.textOrNull("product_region_code", "product_region"));
    e.put("RegionName", s.textOrNull("product_location"));
    e.put("AvailabilityZone", s.textOrNull("line_item_availability_zone"));
    e.put("ResourceId", s.textOrNull("line_item_resource_id"));
    e.put("SkuId", s.textOrNull("product_sku"));
    e.put("SkuPriceId", s.textOrNull("pricing_rate_id"));
    e.put("CommitmentDiscountId", "coalesce(" + s.textOrNull("savings_plan_savings_plan_a_r_n") + ", "
        + s.textOrNull("reservation_reservation_a_r_n") + ")");
    e.put("InvoiceId", s.textOrNull("bill_invoice_id"));
    e.put("InvoiceIssuerName", "coalesce(" + s.textOrNull("bill_invoicing_entity") + ", 'Amazon Web Services, Inc.')");
    e.put("ProviderName", "'AWS'");
    e.put("PublisherName", "coalesce(" + s.textOrNull("bill_billing_entity") + ", 'AWS')");
    e.put("Tags", tags(s));
    return new Mapped(e, Optional.empty(), "mapped");
  }

  private static String tags(SourceColumns s) {
    Optional<String> map = s.find("resource_tags");
    if (map.isPresent()) {
      return s.text(map.get());
    }
    List<String> pairs = new ArrayList<>();
    for (String name : s.names()) {
      String key = SourceColumns.key(name);
      if (key.startsWith("resourcetagsuser") || key.startsWith("resourcetagsaws")) {
        int colon = name.indexOf(':');
        String tag = colon >= 0 ? name.substring(colon + 1) : name;
        pairs.add(Sql.literal(tag) + ", " + s.text(name));
      }
    }
    if (pairs.isEmpty()) {
      return "CAST(NULL AS VARCHAR)";
    }
    // json_object keeps null-valued keys; a tag that is empty on a row is absent from it, so they are removed.
    return "nullif(CAST(json_object(" + String.join(", ", pairs) + ") AS VARCHAR), '{}')";
  }

  private static String serviceCategory(String code) {
    return "CASE " + code
        + " WHEN 'AmazonEC2' THEN 'Compute' WHEN 'AWSLambda' THEN 'Compute' WHEN 'AmazonECS' THEN 'Compute'"
        + " WHEN 'AmazonEKS' THEN 'Compute' WHEN 'AWSELB' THEN 'Networking' WHEN 'AmazonVPC' THEN 'Networking'"
        + " WHEN 'AmazonCloudFront' THEN 'Networking' WHEN 'AmazonRoute53' THEN 'Networking'"
        + " WHEN 'AWSDataTransfer' THEN 'Networking' WHEN 'AmazonS3' THEN 'Storage' WHEN 'AmazonEFS' THEN 'Storage'"
        + " WHEN 'AmazonGlacier' THEN 'Storage' WHEN 'AWSBackup' THEN 'Storage' WHEN 'AmazonRDS' THEN 'Databases'"
        + " WHEN 'AmazonDynamoDB' THEN 'Databases' WHEN 'AmazonElastiCache' THEN 'Databases'"
        + " WHEN 'AmazonRedshift' THEN 'Analytics' WHEN 'AmazonAthena' THEN 'Analytics'"
        + " WHEN 'AmazonKinesis' THEN 'Analytics' WHEN 'AmazonSQS' THEN 'Integration'"
        + " WHEN 'AmazonSNS' THEN 'Integration'"
        + " WHEN 'AmazonCloudWatch' THEN 'Management and Governance' WHEN 'AWSConfig' THEN 'Management and Governance'"
        + " WHEN 'AWSCloudTrail' THEN 'Management and Governance' WHEN 'AWSKMS' THEN 'Security'"
        + " WHEN 'AWSSecretsManager' THEN 'Security' WHEN 'AmazonGuardDuty' THEN 'Security'"
        + " WHEN 'AmazonSageMaker' THEN 'AI and Machine Learning' WHEN 'AmazonBedrock' THEN 'AI and Machine Learning'"
        + " WHEN NULL THEN NULL ELSE 'Other' END";
  }
}
