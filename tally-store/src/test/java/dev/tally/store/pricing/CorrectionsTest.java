package dev.tally.store.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.TallyException;
import dev.tally.store.cost.CostFormat;
import dev.tally.store.cost.CostStore;
import dev.tally.store.cost.ImportOutcome;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Voids and credit notes on final invoices, the worked example of docs/pricing.md ("Voids and credit notes"): the
 * invoice stays as sealed, numbering has no gaps, credit notes are numbered apart, and both show in explain, in the
 * FOCUS export, and in cost data once that export is imported.
 */
class CorrectionsTest {
  static final String CATALOG = """
      customers:
        - {id: acme, name: Acme, currency: USD, taxRate: 20, subjects: [a1]}
        - {id: beta, name: Beta, currency: USD, subjects: [b1]}
      plans:
        - {id: api, version: 1, currency: USD, fixedFee: {amount: 10, timing: arrears},
           charges: [{id: req, description: API requests, meter: requests, unit: requests,
                      price: {model: per_unit, unitPrice: 1}}]}
      subscriptions:
        - {id: sub-acme, customer: acme, plan: api, version: 1, start: 2024-01-01}
        - {id: sub-beta, customer: beta, plan: api, version: 1, start: 2024-01-01}
      discounts:
        - {id: acme-10, customer: acme, type: percent, value: 10, from: 2024-01-01}
      wallets:
        - {id: acme-w, customer: acme, amount: 5, grantedOn: 2024-01-01}
        - {id: beta-w, customer: beta, amount: 50, grantedOn: 2024-01-01}
      """;
  static final YearMonth APRIL = YearMonth.of(2024, 4);

  @TempDir Path dir;
  PricingBed bed;
  InvoiceCorrections corrections;

  @BeforeEach
  void open() {
    bed = new PricingBed(dir.resolve("store"), "2024-05-10T00:00:00Z");
    bed.apply(CATALOG);
    bed.requests("a1", 100, "2024-04-10T00:00:00Z");
    bed.requests("b1", 20, "2024-04-10T00:00:00Z");
    bed.requests("b1", 5, "2024-05-10T00:00:00Z");
    bed.pricing.runner().run(PricingBed.TENANT, APRIL, Set.of());
    corrections = bed.pricing.corrections();
  }

  @AfterEach
  void close() {
    bed.close();
  }

  private StoredInvoice invoice(String ref) {
    return bed.pricing.invoices().require(PricingBed.TENANT, ref);
  }

  @Test
  void creditNotesForLinesAndForAnAmountTakeTheirShareOfDiscountsAndTax() {
    // acme's April: fee 10.00, requests 100.00, discount 10 % -11.00, tax 20 % on 99.00 = 19.80, wallet -5.00.
    StoredInvoice april = invoice("INV-000001");
    assertThat(april.customer()).isEqualTo("acme");
    assertThat(april.totalBeforeCredits()).isEqualByComparingTo("118.80");
    assertThat(april.total()).isEqualByComparingTo("113.80");

    InvoiceCorrections.CreditNote cn1 = corrections.credit(PricingBed.TENANT, "INV-000001", List.of(2),
        Optional.empty(), "usage billed during the outage of April 10");
    assertThat(cn1.number()).isEqualTo("CN-000001");
    // 100.00 × (110.00 − 11.00) / 110.00 = 90.00 net; tax 90.00 × 19.80 / 99.00 = 18.00; total 108.00.
    assertThat(cn1.doc().path("lines")).extracting(l -> l.path("kind").asText() + " " + l.path("amount").asText())
        .containsExactly("line 100.00", "discount -10.00", "tax 18.00");
    assertThat(cn1.total()).isEqualByComparingTo("108.00");

    assertThatThrownBy(() -> corrections.credit(PricingBed.TENANT, "INV-000001", List.of(), Optional.of(
        new BigDecimal("20.00")), "goodwill")).hasMessageContaining("would credit 20.00 USD but invoice INV-000001 "
            + "amounted to 118.80 and 108.00 is already credited; at most 10.80 is left");
    InvoiceCorrections.CreditNote cn2 = corrections.credit(PricingBed.TENANT, "INV-000001", List.of(),
        Optional.of(new BigDecimal("10.80")), "goodwill");
    // 10.80 × 19.80 / 118.80 = 1.80 of tax, 9.00 before tax.
    assertThat(cn2.number()).isEqualTo("CN-000002");
    assertThat(cn2.doc().path("lines")).extracting(l -> l.path("kind").asText() + " " + l.path("amount").asText())
        .containsExactly("amount 9.00", "tax 1.80");

    assertThatThrownBy(() -> corrections.credit(PricingBed.TENANT, "INV-000001", List.of(2, 4, 9), Optional.empty(),
        "again")).isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.problems())
            .extracting(p -> p.message()).containsExactly("line 2 was already credited",
                "line 4 is a tax line; credit fee, usage, adjustment or true-up lines (their discounts and tax are "
                    + "credited with them)", "invoice INV-000001 has lines 1 to 5"));
    assertThatThrownBy(() -> corrections.credit(PricingBed.TENANT, "INV-000001", List.of(1), Optional.empty(), " "))
        .hasMessageContaining("reason: is required");
    assertThatThrownBy(() -> corrections.voidInvoice(PricingBed.TENANT, "INV-000001", "mistake"))
        .hasMessageContaining("has credit notes (CN-000001, CN-000002)");

    // The invoice itself never changed; explain shows its credit notes and what is left.
    assertThat(invoice("INV-000001").doc()).isEqualTo(april.doc());
    JsonNode explained = bed.pricing.explainer().explain(PricingBed.TENANT, "INV-000001", OptionalInt.empty());
    assertThat(explained.path("creditNotes")).extracting(n -> n.path("number").asText())
        .containsExactly("CN-000001", "CN-000002");
    assertThat(explained.path("credited").decimalValue()).isEqualByComparingTo("118.80");
    assertThat(explained.path("netAfterCreditNotes").decimalValue()).isEqualByComparingTo("0.00");
  }

  @Test
  void aVoidKeepsTheSealedInvoiceGivesItsCreditBackAndLeavesNumberingUnbroken() {
    // beta's April: fee 10 + 20 requests = 30.00, all paid by its wallet.
    StoredInvoice april = invoice("INV-000002");
    assertThat(april.customer()).isEqualTo("beta");
    assertThat(april.total()).isEqualByComparingTo("0.00");
    assertThatThrownBy(() -> corrections.voidInvoice(PricingBed.TENANT, "INV-000002", ""))
        .hasMessageContaining("reason: is required");
    StoredInvoice voided = corrections.voidInvoice(PricingBed.TENANT, "INV-000002", "billed to the wrong customer");
    assertThat(voided.status()).isEqualTo(StoredInvoice.Status.VOID);
    assertThat(voided.number()).contains("INV-000002");
    assertThat(voided.doc().path("void").path("reason").asText()).isEqualTo("billed to the wrong customer");
    // What was sealed is unchanged: the hash still checks.
    assertThat(InvoiceStore.contentHash(voided.doc())).isEqualTo(april.contentHash().orElseThrow());
    assertThatThrownBy(() -> corrections.voidInvoice(PricingBed.TENANT, "INV-000002", "again"))
        .isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    assertThatThrownBy(() -> corrections.credit(PricingBed.TENANT, "INV-000002", List.of(1), Optional.empty(), "x"))
        .hasMessageContaining("is void: only a final invoice can be credited");

    // The wallet has its 30.00 back; May's invoice (10 + 5) uses it, and takes the next number.
    WalletLedger.Ledger before = bed.pricing.wallets().ledger(PricingBed.TENANT, "beta-w");
    assertThat(before.available()).isEqualByComparingTo("50.00");
    assertThat(before.entries()).extracting(e -> e.kind() + " " + e.amount() + " " + e.balance())
        .containsExactly("GRANT 50.00 50.00", "USE -30.00 20.00", "RELEASE 30.00 50.00");
    bed.clock.set("2024-06-10T00:00:00Z");
    List<InvoiceRunner.Outcome> may = bed.pricing.runner().run(PricingBed.TENANT, YearMonth.of(2024, 5), Set.of());
    assertThat(may).extracting(o -> o.invoice().number().orElseThrow()).containsExactly("INV-000003", "INV-000004");
    StoredInvoice betaMay = may.get(1).invoice();
    assertThat(betaMay.totalBeforeCredits()).isEqualByComparingTo("15.00");
    assertThat(betaMay.doc().path("totals").path("credits").decimalValue()).isEqualByComparingTo("-15.00");
    // Running April again leaves the void as it is.
    assertThat(bed.pricing.runner().run(PricingBed.TENANT, APRIL, Set.of("beta")).get(0).action())
        .isEqualTo(InvoiceRunner.Action.ALREADY_VOID);
    assertThat(bed.pricing.explainer().explain(PricingBed.TENANT, "INV-000002", OptionalInt.empty())
        .path("void").path("reason").asText()).isEqualTo("billed to the wrong customer");
  }

  @Test
  void exportsAndCostDataCarryCreditNotesAsCreditRowsAndNothingOfAVoid() throws Exception {
    corrections.credit(PricingBed.TENANT, "INV-000001", List.of(2), Optional.empty(), "outage");
    corrections.voidInvoice(PricingBed.TENANT, "INV-000002", "wrong customer");
    List<StoredInvoice> all = bed.pricing.invoices().list(PricingBed.TENANT, Optional.of(APRIL), Optional.empty());
    String focus = InvoiceExport.focus(all, corrections.list(PricingBed.TENANT, Optional.empty()),
        Map.of("acme", "Acme", "beta", "Beta"));
    List<String> rows = focus.lines().skip(1).toList();
    assertThat(rows).noneMatch(r -> r.endsWith(",INV-000002"));
    List<String> credits = rows.stream().filter(r -> r.endsWith(",CN-000001")).toList();
    assertThat(credits).hasSize(3).allMatch(r -> r.contains(",Credit,"));
    assertThat(credits).extracting(r -> r.substring(0, r.indexOf(','))).containsExactly("-100.00", "10.00",
        "-18.00");
    BigDecimal billed = rows.stream().map(r -> new BigDecimal(r.substring(0, r.indexOf(','))))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
    // acme's 113.80 less the credit note's 108.00; beta's void invoice counts for nothing.
    assertThat(billed).isEqualByComparingTo("5.80");

    // Tally's bill read back as cost data: the credit rows are there, with their category.
    Path file = dir.resolve("tally-focus.csv");
    Files.writeString(file, focus);
    ImportOutcome imported = CostStore.on(bed.store).importer().importFile("cost", file, CostFormat.FOCUS);
    assertThat(imported.rows()).isEqualTo(rows.size());
    assertThat(imported.billedTotal()).isEqualByComparingTo("5.80");
    BigDecimal creditInCost = bed.store.read(c -> {
      try (var ps = c.prepareStatement("SELECT sum(BilledCost) FROM cost_charges WHERE tenant = 'cost' AND "
          + "ChargeCategory = 'Credit' AND InvoiceId = 'CN-000001'")) {
        try (var rs = ps.executeQuery()) {
          rs.next();
          return rs.getBigDecimal(1);
        }
      }
    });
    assertThat(creditInCost).isEqualByComparingTo("-108.00");
  }
}
