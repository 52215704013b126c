package dev.tally.store.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.cost.ChargeScope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Azure cost exports and AWS CUR files become FOCUS rows as the mapping tables in the javadoc say. */
class ProviderMappingTest extends CostTestBase {
  private List<String> rows(String sql) {
    return store.read(c -> {
      try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
        List<String> out = new java.util.ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder sb = new StringBuilder();
          for (int i = 1; i <= n; i++) {
            sb.append(i > 1 ? "|" : "").append(rs.getString(i));
          }
          out.add(sb.toString());
        }
        return out;
      }
    });
  }

  @Test
  void azureEaExportWithUsDatesAndBracelessTags() throws Exception {
    Path f = Files.writeString(dir.resolve("azure.csv"), "BillingAccountId,BillingAccountName,BillingPeriodStartDate,"
        + "BillingPeriodEndDate,SubscriptionId,SubscriptionName,Date,MeterCategory,MeterName,Quantity,EffectivePrice,"
        + "CostInBillingCurrency,UnitPrice,PayGPrice,BillingCurrencyCode,ResourceLocation,ResourceId,ChargeType,"
        + "Frequency,PricingModel,Tags,UnitOfMeasure\n"
        + "8611537,Contoso,09/01/2024,09/30/2024,sub-1,Prod,09/14/2024,Virtual Machines,D2s v3,24,0.1,2.4,0.1,0.12,"
        + "EUR,West Europe,/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1,"
        + "Usage,UsageBased,OnDemand,\"\"\"env\"\": \"\"prod\"\"\",1 Hour\n"
        + "8611537,Contoso,09/01/2024,09/30/2024,sub-1,Prod,09/15/2024,Storage,LRS,1,5,5,5,5,EUR,West Europe,,"
        + "Purchase,OneTime,Reservation,,1 Month\n", StandardCharsets.UTF_8);
    ImportOutcome o = cost.importer().importFile("t", f, CostFormat.AZURE);
    assertThat(o.rows()).isEqualTo(2);
    assertThat(o.focusVersion()).isEqualTo("mapped");
    assertThat(rows("SELECT \"ProviderName\", \"ServiceName\", \"ServiceCategory\", \"ChargeCategory\","
        + " \"ChargeFrequency\", \"PricingCategory\", \"BilledCost\"::VARCHAR, \"ListCost\"::VARCHAR, \"RegionId\","
        + " \"SubAccountId\", \"ResourceName\", strftime(\"ChargePeriodStart\", '%Y-%m-%d %H:%M'),"
        + " strftime(\"ChargePeriodEnd\", '%Y-%m-%d'), strftime(\"BillingPeriodEnd\", '%Y-%m-%d'),"
        + " \"Tags\"->>'env', \"BillingCurrency\" FROM cost_charges ORDER BY source_row"))
        .containsExactly(
            "Microsoft|Virtual Machines|Compute|Usage|Usage-Based|Standard|2.400000000000|2.880000000000|westeurope|"
                + "sub-1|vm1|2024-09-14 00:00|2024-09-15|2024-10-01|prod|EUR",
            "Microsoft|Storage|Storage|Purchase|One-Time|Committed|5.000000000000|5.000000000000|westeurope|"
                + "sub-1|null|2024-09-15 00:00|2024-09-16|2024-10-01|null|EUR");
  }

  @Test
  void azureAmortizedExportIsRecognisedAndItsCostIsEffectiveCost() {
    // samples/azure: the same two days of an EA account as an amortized and an actual-cost export.
    ImportOutcome amortized = cost.importer().importFile("t", Path.of("../samples/azure/ea-amortized-cost.csv"),
        CostFormat.AZURE);
    assertThat(amortized.basis()).isEqualTo(CostBasis.AMORTIZED);
    // Billed: only the on-demand rows (2.4 + 4.6, twice); the reservation's share is not invoiced by these rows.
    assertThat(amortized.billedTotal()).isEqualByComparingTo("14");
    assertThat(rows("SELECT sum(\"EffectiveCost\")::VARCHAR FROM cost_charges")).containsExactly("17.000000000000");
    assertThat(rows("SELECT \"ResourceName\", \"ChargeCategory\", \"CommitmentDiscountStatus\","
        + " \"CommitmentDiscountCategory\", \"BilledCost\"::VARCHAR, \"EffectiveCost\"::VARCHAR FROM cost_charges"
        + " WHERE \"CommitmentDiscountId\" IS NOT NULL ORDER BY source_row")).containsExactly(
        "batch-02|Usage|Used|Usage|0.000000000000|1.312500000000",
        "null|Usage|Unused|Usage|0.000000000000|0.187500000000",
        "batch-02|Usage|Used|Usage|0.000000000000|1.500000000000");

    ImportOutcome actual = cost.importer().importFile("u", Path.of("../samples/azure/ea-actual-cost.csv"),
        CostFormat.AZURE);
    assertThat(actual.basis()).isEqualTo(CostBasis.ACTUAL);
    // The invoice: on-demand 14 plus the reservation's monthly purchase of 45.
    assertThat(actual.billedTotal()).isEqualByComparingTo("59");
    assertThat(cost.reports().totals(CostScope.of("u").withCharges(ChargeScope.ALL),
        CostColumn.parse("--by", "ChargeCategory"), 10).records().stream()
        .filter(r -> "(grand total)".equals(r.get("group_ChargeCategory"))).findFirst().orElseThrow().get("cost"))
        .satisfies(v -> assertThat((java.math.BigDecimal) v).isEqualByComparingTo("59"));
  }

  @Test
  void anAzureExportSaidToBeAmortizedIsMappedSoEvenWithoutTheSigns() throws Exception {
    Path f = Files.writeString(dir.resolve("said.csv"), "Date,CostInBillingCurrency,BillingCurrencyCode,ChargeType,"
        + "PricingModel,ReservationId,MeterCategory\n09/01/2024,0,EUR,Usage,Reservation,r-1,Virtual Machines\n"
        + "09/01/2024,3,EUR,Usage,OnDemand,,Storage\n", StandardCharsets.UTF_8);
    assertThat(cost.importer().importFile("t", f, CostFormat.AZURE).basis()).isEqualTo(CostBasis.ACTUAL);
    assertThat(cost.importer().importFile("u", f, CostFormat.AZURE_AMORTIZED).basis())
        .isEqualTo(CostBasis.AMORTIZED);
    assertThat(CostFormat.parse("Azure-Amortized")).isEqualTo(CostFormat.AZURE_AMORTIZED);
    assertThat(CostFormat.AZURE_ACTUAL.label()).isEqualTo("azure-actual");
  }

  @Test
  void googleBillingExportAsJsonAndCsvGivesCreditsAsChargesOfTheirOwn() {
    // samples/google: the same five rows of a BigQuery billing export, as newline-delimited JSON and flattened CSV.
    for (String file : List.of("billing-export.json", "billing-export.csv")) {
      String tenant = file.endsWith("json") ? "j" : "c";
      ImportOutcome o = cost.importer().importFile(tenant, Path.of("../samples/google/" + file), CostFormat.GOOGLE);
      assertThat(o.rows()).as(file).isEqualTo(8);
      // Gross cost 6.21, credits -0.85: the net that Google invoices.
      assertThat(o.billedTotal()).as(file).isEqualByComparingTo("5.36");
      assertThat(rows("SELECT source_row, \"ChargeCategory\", \"BilledCost\"::VARCHAR, \"ServiceName\","
          + " \"ServiceCategory\", \"SubAccountId\", \"SubAccountName\", \"ChargeDescription\", \"RegionId\","
          + " \"ResourceName\", \"Tags\"->>'team', x_Extra->>'x_CreditType', strftime(\"BillingPeriodEnd\","
          + " '%Y-%m-%d') FROM cost_charges WHERE tenant = '" + tenant + "' AND source_row <= " + (tenant.equals("j")
          ? 1 : 2) + " ORDER BY \"ChargeCategory\" DESC, \"BilledCost\""))
          .as(file).containsExactly(
              (tenant.equals("j") ? 1 : 2) + "|Usage|1.250000000000|Compute Engine|Compute|research-prod|Research|"
                  + "N2 Instance Core running in Belgium|europe-west1|trainer-1|ml|null|2024-10-01",
              (tenant.equals("j") ? 1 : 2) + "|Credit|-0.250000000000|Compute Engine|Compute|research-prod|Research|"
                  + "Free trial credit|europe-west1|trainer-1|ml|FREE_TIER|2024-10-01",
              (tenant.equals("j") ? 1 : 2) + "|Credit|-0.100000000000|Compute Engine|Compute|research-prod|Research|"
                  + "Sustained usage discount|europe-west1|trainer-1|ml|SUSTAINED_USAGE_DISCOUNT|2024-10-01");
      assertThat(rows("SELECT \"ChargeCategory\", count(*), sum(\"BilledCost\")::VARCHAR FROM cost_charges WHERE"
          + " tenant = '" + tenant + "' GROUP BY ALL ORDER BY 1")).as(file).containsExactly(
          "Credit|3|-0.850000000000", "Tax|1|0.210000000000", "Usage|4|6.000000000000");
    }
  }

  @Test
  void aJsonFileIsReadOnlyAsAGoogleExport() throws Exception {
    Path f = Files.writeString(dir.resolve("bill.json"), "[{\"cost\": 1}]", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> cost.importer().importFile("t", f, CostFormat.FOCUS))
        .hasMessageContaining("is JSON, which Tally reads only as a Google Cloud billing export (--format google)");
  }

  @Test
  void azurePayAsYouGoUsageDetailsAreMapped() {
    ImportOutcome o = cost.importer().importFile("t", Path.of("../samples/azure/payg-usage-details.csv"),
        CostFormat.AZURE);
    assertThat(o.rows()).isEqualTo(3);
    assertThat(o.billedTotal()).isEqualByComparingTo("2.20875");
    assertThat(o.basis()).isEqualTo(CostBasis.ACTUAL);
    assertThat(rows("SELECT strftime(\"ChargePeriodStart\", '%Y-%m-%d %H:%M'), strftime(\"ChargePeriodEnd\","
        + " '%Y-%m-%d'), \"ServiceName\", \"ServiceCategory\", \"ConsumedQuantity\"::VARCHAR, \"ConsumedUnit\","
        + " \"ContractedUnitPrice\"::VARCHAR, \"ContractedCost\"::VARCHAR, \"SubAccountId\", \"ResourceName\","
        + " \"ResourceType\", \"BillingCurrency\", \"Tags\"->>'env' FROM cost_charges ORDER BY source_row"))
        .containsExactly(
            "2024-09-01 00:00|2024-09-02|Virtual Machines|Compute|24.000000000000000|1 Hour|0.045600000000000|"
                + "1.094400000000|5c1f0000-0000-4000-8000-00000000b001|site-vm|Microsoft.Compute/virtualMachines|EUR|"
                + "prod",
            "2024-09-01 00:00|2024-09-02|Storage|Storage|0.437500000000000|1 GB/Month|0.045600000000000|"
                + "0.019950000000|5c1f0000-0000-4000-8000-00000000b001|sitedisks|Microsoft.Storage/storageAccounts|"
                + "EUR|null",
            "2024-09-02 00:00|2024-09-03|Virtual Machines|Compute|24.000000000000000|1 Hour|0.045600000000000|"
                + "1.094400000000|5c1f0000-0000-4000-8000-00000000b001|site-vm|Microsoft.Compute/virtualMachines|EUR|"
                + "prod");
  }

  @Test
  void localisedAzureHeadersAreReadByTheNameInParentheses() {
    // German headers as a localised portal download writes them: "Kategorie der Verbrauchseinheit (MeterCategory)".
    ImportOutcome o = cost.importer().importFile("t", Path.of("../samples/azure/usage-details-de.csv"),
        CostFormat.AZURE);
    assertThat(o.rows()).isEqualTo(3);
    assertThat(o.billedTotal()).isEqualByComparingTo("1.7556");
    assertThat(rows("SELECT strftime(\"ChargePeriodStart\", '%Y-%m-%d'), \"ServiceName\", \"ConsumedUnit\","
        + " \"ConsumedQuantity\"::VARCHAR, \"SubAccountId\", \"ResourceName\", \"Tags\"->>'env'"
        + " FROM cost_charges ORDER BY source_row")).containsExactly(
        "2024-09-01|Virtual Machines|1 Hour|24.000000000000000|5c1f0000-0000-4000-8000-00000000b002|web-vm|prod",
        "2024-09-01|Storage|1 GB/Month|2.500000000000000|5c1f0000-0000-4000-8000-00000000b002|webdisks|null",
        "2024-09-02|Virtual Machines|1 Hour|12.000000000000000|5c1f0000-0000-4000-8000-00000000b002|web-vm|prod");
  }

  @Test
  void headersTallyCannotKnowAreNamedByTheUser() throws Exception {
    Path f = Files.writeString(dir.resolve("umbenannt.csv"), "Abonnement,Datum,Kategorie,Menge,Kosten,Währung\n"
        + "sub-1,2024-09-01T00:00:00.0000000Z,Storage,2,0.25,EUR\n", StandardCharsets.UTF_8);
    java.util.Map<String, String> names = new java.util.LinkedHashMap<>();
    names.put("Abonnement", "SubscriptionGuid");
    names.put("datum", "UsageDateTime");
    names.put("Kategorie", "MeterCategory");
    names.put("Menge", "UsageQuantity");
    names.put("Kosten", "PreTaxCost");
    names.put("Währung", "Currency");
    // Without the names the file has no cost column Tally knows.
    assertThatThrownBy(() -> cost.importer().importFile("t", f, CostFormat.AZURE))
        .hasMessageContaining("it lacks the column Date");
    ImportOutcome o = cost.importer().importFiles("t", List.of(f), CostFormat.AZURE, false, names, x -> { }).get(0);
    assertThat(o.billedTotal()).isEqualByComparingTo("0.25");
    assertThat(rows("SELECT \"ServiceName\", \"ConsumedQuantity\"::VARCHAR, \"BillingCurrency\", \"SubAccountId\""
        + " FROM cost_charges")).containsExactly("Storage|2.000000000000000|EUR|sub-1");

  }

  @Test
  void aFocusFileTakesRenamedAndParenthesisedHeadersToo() throws Exception {
    Path f = Files.writeString(dir.resolve("focus-de.csv"), "Kosten,EffectiveCost,ListCost,Währung (BillingCurrency),"
        + "ChargeCategory,ChargePeriodStart,ChargePeriodEnd,Dienst\n"
        + "3,3,3,EUR,Usage,2024-09-01,2024-09-02,Storage\n", StandardCharsets.UTF_8);
    ImportOutcome o = cost.importer().importFiles("t", List.of(f), CostFormat.FOCUS, false,
        java.util.Map.of("Kosten", "BilledCost", "Dienst", "ServiceName"), x -> { }).get(0);
    assertThat(o.billedTotal()).isEqualByComparingTo("3");
    assertThat(rows("SELECT \"BillingCurrency\", \"ServiceName\", x_Extra FROM cost_charges"))
        .containsExactly("EUR|Storage|null");
    assertThatThrownBy(() -> cost.importer().importFiles("u", List.of(f), CostFormat.FOCUS, false,
        java.util.Map.of("Kosten", "BilledCost", "Dienst", "Service"), x -> { }))
        .hasMessageContaining("the column mapping Dienst=Service names a column FOCUS does not read");
  }

  @Test
  void aRenameOfAColumnTheFileLacksOrTheFormatDoesNotReadIsRefusedAndNothingIsStored() throws Exception {
    Path f = Files.writeString(dir.resolve("umbenannt.csv"), "Datum,Kosten,Currency\n2024-09-01,0.25,EUR\n",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> cost.importer().importFiles("t", List.of(f), CostFormat.AZURE, false,
        java.util.Map.of("Preis", "PreTaxCost"), x -> { }))
        .isInstanceOfSatisfying(TallyException.class, e -> {
          assertThat(e.getMessage()).contains("umbenannt.csv: the file has no column 'Preis' to read as PreTaxCost;"
              + " its columns are Datum, Kosten, Currency; nothing was imported from this file");
          assertThat(e.problems()).extracting(Problem::field).containsExactly("column");
        });
    java.util.Map<String, String> misspelt = new java.util.LinkedHashMap<>();
    misspelt.put("Datum", "Date");
    misspelt.put("Kosten", "PreTaxCots");
    assertThatThrownBy(() -> cost.importer().importFiles("t", List.of(f), CostFormat.AZURE, false, misspelt,
        x -> { }))
        .hasMessageContaining("it lacks the column CostInBillingCurrency (columns renamed: Datum=Date, "
            + "Kosten=PreTaxCots)");
    misspelt.put("Kosten", "PreTaxCost");
    misspelt.put("Currency", "MeterCategroy");
    assertThatThrownBy(() -> cost.importer().importFiles("t", List.of(f), CostFormat.AZURE, false, misspelt,
        x -> { }))
        .hasMessageContaining("the column mapping Currency=MeterCategroy names a column an Azure cost export does "
            + "not read");
    assertThat(rows("SELECT count(*) FROM cost_charges")).containsExactly("0");
  }

  @Test
  void oracleCostReportIsMappedWithCorrectionsAndTags() {
    ImportOutcome o = cost.importer().importFile("t", Path.of("../samples/oracle/cost-report.csv"), CostFormat.ORACLE);
    assertThat(o.rows()).isEqualTo(3);
    assertThat(o.billedTotal()).isEqualByComparingTo("0.0250306");
    assertThat(rows("SELECT \"ProviderName\", \"ServiceName\", \"ServiceCategory\", \"ChargeClass\","
        + " \"SubAccountName\", \"RegionId\", \"SkuId\", \"ConsumedUnit\", strftime(\"ChargePeriodEnd\","
        + " '%H:%M'), \"Tags\"->>'Finance.CostCenter', \"Tags\"->>'Oracle-Tags.CreatedBy',"
        + " x_Extra->>'x_BackReferenceNo' FROM cost_charges ORDER BY source_row")).containsExactly(
        "Oracle|COMPUTE|Compute|null|research|eu-frankfurt-1|B93113|ONE OCPU HOUR|01:00|cc-100|alice@example.com|null",
        "Oracle|OBJECTSTORAGE|Storage|null|web|eu-frankfurt-1|B91628|ONE GiB MONTH|01:00|cc-200|null|null",
        "Oracle|COMPUTE|Compute|Correction|research|eu-frankfurt-1|B93113|ONE OCPU HOUR|01:00|cc-100|"
            + "alice@example.com|rn-0001");
  }

  @Test
  void azureExportWithoutACostColumnIsRefused() throws Exception {
    Path f = Files.writeString(dir.resolve("nocost.csv"), "Date,MeterCategory\n09/14/2024,Storage\n");
    assertThatThrownBy(() -> cost.importer().importFile("t", f, CostFormat.AZURE))
        .isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.problems()).extracting(Problem::field)
            .containsExactly("CostInBillingCurrency"));
  }

  @Test
  void legacyCurCsvWithSlashHeadersAndUserTagColumns() throws Exception {
    Path f = Files.writeString(dir.resolve("cur.csv"), "identity/LineItemId,bill/PayerAccountId,"
        + "bill/BillingPeriodStartDate,bill/BillingPeriodEndDate,lineItem/UsageAccountId,lineItem/LineItemType,"
        + "lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,lineItem/UsageAmount,"
        + "lineItem/CurrencyCode,lineItem/UnblendedRate,lineItem/UnblendedCost,lineItem/ResourceId,"
        + "product/ProductName,product/region,pricing/publicOnDemandCost,pricing/unit,resourceTags/user:team\n"
        + "a1,111,2024-09-01T00:00:00Z,2024-10-01T00:00:00Z,222,Usage,2024-09-03T10:00:00Z,2024-09-03T11:00:00Z,"
        + "AmazonEC2,1,USD,0.096,0.096,i-1,Amazon Elastic Compute Cloud,us-east-1,0.096,Hrs,core\n"
        + "a2,111,2024-09-01T00:00:00Z,2024-10-01T00:00:00Z,222,SavingsPlanNegation,2024-09-03T10:00:00Z,"
        + "2024-09-03T11:00:00Z,AmazonEC2,1,USD,-0.03,-0.03,i-1,Amazon Elastic Compute Cloud,us-east-1,,Hrs,\n"
        + "a3,111,2024-09-01T00:00:00Z,2024-10-01T00:00:00Z,222,Tax,2024-09-01T00:00:00Z,2024-10-01T00:00:00Z,"
        + "AmazonEC2,,USD,,1.50,,Amazon Elastic Compute Cloud,,,,\n", StandardCharsets.UTF_8);
    ImportOutcome o = cost.importer().importFile("t", f, CostFormat.AWS);
    assertThat(o.billedTotal()).isEqualByComparingTo("1.566");
    assertThat(rows("SELECT \"ChargeCategory\", \"EffectiveCost\"::VARCHAR, \"ListCost\"::VARCHAR,"
        + " \"ServiceCategory\", \"SubAccountId\", \"BillingAccountId\", \"RegionId\", \"Tags\"->>'team',"
        + " x_Extra IS NULL FROM cost_charges ORDER BY source_row")).containsExactly(
        "Usage|0.096000000000|0.096000000000|Compute|222|111|us-east-1|core|true",
        "Credit|0.000000000000|-0.030000000000|Compute|222|111|us-east-1|null|true",
        "Tax|1.500000000000|1.500000000000|Compute|222|111|null|null|true");
  }

  @Test
  void cur2ParquetWithAResourceTagsMap() {
    Path parquet = writeParquet("cur2.parquet", "SELECT 'Usage' AS line_item_line_item_type,"
        + " 12.5::DECIMAL(18,8) AS line_item_unblended_cost, 'USD' AS line_item_currency_code,"
        + " TIMESTAMP '2024-09-05 00:00:00' AS line_item_usage_start_date,"
        + " TIMESTAMP '2024-09-06 00:00:00' AS line_item_usage_end_date, 'AmazonS3' AS line_item_product_code,"
        + " map(['user:env'], ['prod']) AS resource_tags");
    ImportOutcome o = cost.importer().importFile("t", parquet, CostFormat.AWS);
    assertThat(o.rows()).isEqualTo(1);
    assertThat(rows("SELECT \"ServiceName\", \"ServiceCategory\", \"Tags\"->>'user:env', \"BilledCost\"::VARCHAR"
        + " FROM cost_charges")).containsExactly("AmazonS3|Storage|prod|12.500000000000");
  }
}
