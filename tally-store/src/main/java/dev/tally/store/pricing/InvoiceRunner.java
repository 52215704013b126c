package dev.tally.store.pricing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.format.Decimals;
import dev.tally.core.json.Json;
import dev.tally.core.pricing.Adjustment;
import dev.tally.core.pricing.BillingPeriod;
import dev.tally.core.pricing.BillingPeriods;
import dev.tally.core.pricing.Catalog;
import dev.tally.core.pricing.ChargeUsage;
import dev.tally.core.pricing.Coupon;
import dev.tally.core.pricing.Customer;
import dev.tally.core.pricing.Invoice;
import dev.tally.core.pricing.InvoiceAssembler;
import dev.tally.core.pricing.InvoiceJson;
import dev.tally.core.pricing.InvoiceLine;
import dev.tally.core.pricing.InvoiceRequest;
import dev.tally.core.pricing.PlanVersion;
import dev.tally.core.pricing.Subscription;
import dev.tally.store.TallyStore;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Invoice runs: one invoice per subscription and billing period whose active part starts in the month asked for.
 *
 * <p>Lifecycle: an invoice is a draft until its period's active end plus the tenant's grace period has passed on the
 * store's clock; each run recomputes drafts (so late events within the grace period update them) and leaves a draft
 * untouched when nothing changed. A run after the grace period finalises it: it takes the tenant's next number (in the
 * same transaction, so numbers have no gaps), its document is sealed with a content hash, and it is never changed
 * again. Runs are idempotent: running the same month twice changes nothing the second time.
 *
 * <p>Late events: when events arrive for the period of a final invoice, the first invoice of the same subscription
 * after it that is not final yet carries one adjustment line per affected usage line, for the difference between the
 * line rated again and what was billed for it so far (on the invoice and in earlier final adjustments). The
 * adjustment is a charge of the invoice carrying it, so that invoice's discounts and tax apply to it.
 *
 * <p>Cost: usage is measured with one query per charge for all subscriptions sharing a plan version and a period
 * ({@link UsageMeasurer#measureAll}); credit balances and earlier invoices are loaded once; the run's invoices are
 * written together in one transaction through appenders ({@link InvoiceWriter}). The whole run holds the store's
 * write lock, so no ingest commits halfway through and credits are consumed in a fixed order (by subscription id,
 * then period).
 */
public final class InvoiceRunner {
  private final TallyStore store;
  private final CatalogStore catalog;
  private final UsageMeasurer measurer;

  InvoiceRunner(TallyStore store, CatalogStore catalog, UsageMeasurer measurer) {
    this.store = store;
    this.catalog = catalog;
    this.measurer = measurer;
  }

  /** What a run did to one invoice. */
  public enum Action {
    CREATED,
    UPDATED,
    UNCHANGED,
    FINALIZED,
    ALREADY_FINAL,
    ALREADY_VOID;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /**
   * One invoice of a run.
   *
   * @param invoice the invoice as stored after the run
   * @param action what the run did
   */
  public record Outcome(StoredInvoice invoice, Action action) {}

  /**
   * An invoice a run could not produce. The subscription's other periods and every other subscription are invoiced
   * all the same; a draft this invoice had is left as it was, and a later run tries again.
   *
   * @param invoice the invoice id it would have had ({@code <subscription>@<first active day>})
   * @param subscription the subscription
   * @param customer the customer
   * @param period the billing period, {@code start..end} of its active part
   * @param reason what stopped it, once
   */
  public record Failure(String invoice, String subscription, String customer, String period, String reason) {
    /** One line for people: {@code sub-x@2024-04-01 (customer c, 2024-04-01..2024-05-01): reason}. */
    public String describe() {
      return invoice + " (customer " + customer + ", " + period + "): " + reason;
    }
  }

  /**
   * What a run did.
   *
   * @param asOf the moment the run took as now: drafts whose period plus grace ended by then were finalised
   * @param outcomes every invoice produced or found final, by subscription then period
   * @param failures the invoices that could not be produced, with why
   */
  public record RunResult(Instant asOf, List<Outcome> outcomes, List<Failure> failures) {
    public RunResult {
      outcomes = List.copyOf(outcomes);
      failures = List.copyOf(failures);
    }

    /**
     * The run as JSON, the same from the CLI and over HTTP: {@code asOf}; {@code invoices}, each with
     * {@code invoiceId} (stable, {@code <subscription>@<first active day>}) and {@code invoiceNumber} (null until
     * final) in fields of their own; {@code failures}, each with its {@code reason}.
     */
    public ObjectNode toJson() {
      ObjectNode root = Json.json().createObjectNode();
      root.put("asOf", asOf.toString());
      ArrayNode invoices = root.putArray("invoices");
      for (Outcome o : outcomes) {
        StoredInvoice i = o.invoice();
        ObjectNode n = invoices.addObject();
        n.put("invoiceId", i.id());
        i.number().ifPresentOrElse(num -> n.put("invoiceNumber", num), () -> n.putNull("invoiceNumber"));
        n.put("status", i.status().label());
        n.put("action", o.action().label());
        n.put("customerId", i.customer());
        n.put("subscriptionId", i.subscription());
        n.put("plan", i.plan());
        n.put("periodStart", i.activeStart().toString());
        n.put("periodEnd", i.activeEnd().toString());
        n.put("totalBeforeCredits", i.totalBeforeCredits());
        n.put("total", i.total());
        n.put("currency", i.currency());
        i.contentHash().ifPresentOrElse(h -> n.put("contentHash", h), () -> n.putNull("contentHash"));
      }
      ArrayNode failed = root.putArray("failures");
      for (Failure f : failures) {
        ObjectNode n = failed.addObject();
        n.put("invoiceId", f.invoice());
        n.put("customerId", f.customer());
        n.put("subscriptionId", f.subscription());
        n.put("period", f.period());
        n.put("reason", f.reason());
      }
      return root;
    }
  }

  /**
   * Runs the invoices of a month at the store's clock and returns them; if any invoice failed, the others are
   * written and the failures are thrown together (one problem per failed invoice). Callers that report failures
   * themselves use {@link #run(String, YearMonth, Set, Optional)}.
   *
   * @param customers only these customers' subscriptions (empty: all)
   */
  public List<Outcome> run(String tenant, YearMonth month, Set<String> customers) {
    RunResult r = run(tenant, month, customers, Optional.empty());
    if (!r.failures().isEmpty()) {
      throw failed(r);
    }
    return r.outcomes();
  }

  /** The failures of a run as one error: a headline with the count, then one problem per failed invoice. */
  public static TallyException failed(RunResult r) {
    return TallyException.invalid(r.failures().size() + " of " + (r.failures().size() + r.outcomes().size())
        + " invoice(s) failed; the others were written", r.failures().stream()
        .map(f -> Problem.of("subscriptions[" + f.subscription() + "]", "period " + f.period() + " (invoice "
            + f.invoice() + "): " + f.reason())).toList());
  }

  /**
   * Runs the invoices of a month. Each invoice succeeds or fails alone: a subscription whose usage cannot be priced
   * (no price for a dimensional group and no fallback, say) is reported in {@link RunResult#failures()} and every
   * other invoice is written.
   *
   * @param customers only these customers' subscriptions (empty: all)
   * @param asOf the moment to take as now for drafts, grace periods and finalisation (default: the store's clock)
   */
  public RunResult run(String tenant, YearMonth month, Set<String> customers, Optional<Instant> asOf) {
    TallyStore.checkTenant(tenant);
    Catalog cat = catalog.load(tenant);
    List<Problem> unknown = customers.stream().filter(c -> cat.customer(c).isEmpty())
        .map(c -> Problem.of("customers", "no customer '" + c + "'", c)).toList();
    if (!unknown.isEmpty()) {
      throw TallyException.invalid("unknown customers", unknown);
    }
    return store.write(w -> {
      long seq = maxSeq(w, tenant);
      Instant written = store.clock().instant();
      Instant now = asOf.orElse(written);
      Map<String, StoredInvoice> existing = new HashMap<>();
      InvoiceStore.inMonth(w, tenant, month).forEach(i -> existing.put(i.id(), i));
      List<Outcome> out = new ArrayList<>();
      List<Failure> failures = new ArrayList<>();
      List<UsageMeasurer.Job> jobs = new ArrayList<>();
      Map<String, Subscription> subscriptionOf = new HashMap<>();
      for (Subscription s : cat.subscriptions().stream()
          .filter(s -> customers.isEmpty() || customers.contains(s.customer()))
          .sorted(Comparator.comparing(Subscription::id)).toList()) {
        Customer cu = cat.customer(s.customer()).orElseThrow();
        PlanVersion plan = cat.plan(s.plan(), s.version()).orElseThrow();
        for (BillingPeriod p : BillingPeriods.startingIn(s, plan.interval(), cu.timeZone(), month.atDay(1),
            month.plusMonths(1).atDay(1))) {
          String id = Invoice.id(s.id(), p);
          StoredInvoice old = existing.get(id);
          if (old != null && old.status() != StoredInvoice.Status.DRAFT) {
            out.add(new Outcome(old, old.status() == StoredInvoice.Status.VOID ? Action.ALREADY_VOID
                : Action.ALREADY_FINAL));
          } else {
            jobs.add(new UsageMeasurer.Job(id, cu, plan, p));
            subscriptionOf.put(id, s);
          }
        }
      }
      Map<String, String> measureErrors = new HashMap<>();
      Map<String, List<ChargeUsage>> usage = measurer.measureAll(tenant, jobs, measureErrors);
      CreditLedger ledger = CreditLedger.load(w, tenant);
      InvoiceHistory history = InvoiceHistory.load(w, tenant);
      Map<String, Coupon> coupons = cat.coupons().stream().collect(Collectors.toMap(Coupon::code, c -> c));
      List<InvoiceWriter.Pending> pending = new ArrayList<>();
      Map<String, Action> actions = new HashMap<>();
      for (UsageMeasurer.Job j : jobs) {
        Subscription s = subscriptionOf.get(j.key());
        BillingPeriod p = j.period();
        Invoice inv;
        try {
          String measureError = measureErrors.get(j.key());
          if (measureError != null) {
            throw new IllegalArgumentException(measureError);
          }
          inv = InvoiceAssembler.assemble(new InvoiceRequest(j.customer(), s, j.plan(), p, usage.get(j.key()),
              cat.discounts(), coupons, ledger.balances(cat, j.customer(), j.key()),
              adjustments(w, tenant, cat, j.customer(), s, p, history)));
        } catch (IllegalArgumentException | TallyException e) {
          // This invoice alone fails; the run goes on with the others (nothing of it is recorded or written).
          failures.add(new Failure(j.key(), s.id(), s.customer(), p.activeStart() + ".." + p.activeEnd(),
              e.getMessage()));
          continue;
        }
        ledger.record(inv);
        Instant finalizesAt = p.to().plus(cat.gracePeriod(j.customer(), j.plan()));
        boolean finalise = !now.isBefore(finalizesAt);
        history.record(inv, finalise);
        ObjectNode doc = InvoiceJson.toJson(inv);
        doc.put("status", finalise ? "final" : "draft");
        StoredInvoice old = existing.get(j.key());
        if (!finalise) {
          doc.putNull("number");
          doc.put("finalizesAt", finalizesAt.toString());
          if (old != null && old.doc().toString().equals(doc.toString())) {
            out.add(new Outcome(old, Action.UNCHANGED));
            continue;
          }
        }
        pending.add(new InvoiceWriter.Pending(inv, doc, finalise));
        actions.put(j.key(), finalise ? Action.FINALIZED : old != null ? Action.UPDATED : Action.CREATED);
      }
      Set<String> ended = new LinkedHashSet<>();
      for (Subscription s : cat.subscriptions().stream()
          .filter(s -> s.end().isPresent() && (customers.isEmpty() || customers.contains(s.customer())))
          .sorted(Comparator.comparing(Subscription::id)).toList()) {
        Customer cu = cat.customer(s.customer()).orElseThrow();
        PlanVersion plan = cat.plan(s.plan(), s.version()).orElseThrow();
        try {
          afterEnd(w, tenant, cat, cu, s, plan, history, ledger, coupons, now).ifPresent(p -> {
            pending.add(p.pending());
            actions.put(p.pending().invoice().id(), p.action());
            ended.add(p.pending().invoice().id());
          });
        } catch (IllegalArgumentException | TallyException e) {
          failures.add(new Failure(s.id() + "@" + s.end().get(), s.id(), s.customer(), "after its end "
              + s.end().get(), e.getMessage()));
        }
      }
      if (!pending.isEmpty()) {
        store.transaction(c -> {
          InvoiceWriter.write(c, tenant, pending, seq, written);
          return null;
        });
        // Read back, so callers see the invoices exactly as every later read will.
        for (StoredInvoice i : InvoiceStore.inMonth(w, tenant, month)) {
          Action a = actions.get(i.id());
          if (a != null && !ended.contains(i.id())) {
            out.add(new Outcome(i, a));
          }
        }
        for (String id : ended) {
          out.add(new Outcome(InvoiceStore.find(w, tenant, id).orElseThrow(), actions.get(id)));
        }
      }
      out.sort(Comparator.comparing((Outcome o) -> o.invoice().subscription())
          .thenComparing(o -> o.invoice().activeStart()));
      return new RunResult(now, out, failures);
    });
  }

  /** An adjustment invoice to write, and what writing it does. */
  private record AfterEnd(InvoiceWriter.Pending pending, Action action) {}

  /**
   * Late usage of a subscription that has ended, once every period's invoice is final: no later invoice of its own
   * can carry the difference, so it gets an adjustment invoice, {@code <subscription>@<end day>} (then
   * {@code ...@<end day>.2} and so on once that one is final). Its one-day period starts on the end day, so it sorts
   * after every period; it has no fee, usage or commitment of its own, only the adjustment lines, on which the
   * customer's discounts, tax and credit apply as on any invoice. It stays a draft for the grace period from when it
   * was first made, so that late events arriving together go on one invoice.
   */
  private Optional<AfterEnd> afterEnd(Connection w, String tenant, Catalog cat, Customer cu, Subscription s,
      PlanVersion plan, InvoiceHistory history, CreditLedger ledger, Map<String, Coupon> coupons, Instant now)
      throws SQLException {
    java.time.LocalDate end = s.end().orElseThrow();
    List<BillingPeriod> periods = BillingPeriods.startingIn(s, plan.interval(), cu.timeZone(), s.start(), end);
    if (periods.isEmpty()) {
      return Optional.empty();
    }
    java.time.LocalDate lastStart = periods.get(periods.size() - 1).activeStart();
    // Until the last period is final (before this run), the regular invoices carry late usage.
    if (history.finalsBefore(s.id(), end).stream().noneMatch(f -> f.period().activeStart().equals(lastStart))) {
      return Optional.empty();
    }
    BillingPeriod after = new BillingPeriod(end, end.plusDays(1), end, end.plusDays(1), cu.timeZone());
    StoredInvoice open = null;
    String id = null;
    for (int k = 1; id == null; k++) {
      String candidate = s.id() + "@" + end + (k == 1 ? "" : "." + k);
      Optional<StoredInvoice> found = InvoiceStore.find(w, tenant, candidate);
      if (found.isEmpty() || found.get().status() == StoredInvoice.Status.DRAFT) {
        id = candidate;
        open = found.orElse(null);
      }
    }
    List<Adjustment> adjustments = adjustments(w, tenant, cat, cu, s, after, history);
    if (adjustments.isEmpty()) {
      return Optional.empty();
    }
    // No fee and no commitment (the subscription has ended), but the plan's charges, taxes and tax inclusion, so
    // that each adjustment is taxed as its charge was.
    PlanVersion bare = new PlanVersion(plan.plan(), plan.version(), plan.name(), plan.currency(), plan.interval(),
        Optional.empty(), Optional.empty(), plan.charges(), plan.gracePeriod(), plan.taxes(), plan.pricesIncludeTax());
    Invoice assembled = InvoiceAssembler.assemble(new InvoiceRequest(cu, s, bare, after, List.of(), cat.discounts(),
        coupons, ledger.balances(cat, cu, id), adjustments));
    Invoice inv = new Invoice(id, assembled.customer(), assembled.subscription(), assembled.plan(),
        assembled.currency(), after, assembled.lines());
    ledger.record(inv);
    Instant finalizesAt = open != null && open.doc().hasNonNull("finalizesAt")
        ? Instant.parse(open.doc().path("finalizesAt").asText()) : now.plus(cat.gracePeriod(cu, plan));
    boolean finalise = !now.isBefore(finalizesAt);
    history.record(inv, finalise);
    ObjectNode doc = InvoiceJson.toJson(inv);
    doc.put("kind", "adjustment");
    doc.put("status", finalise ? "final" : "draft");
    if (!finalise) {
      doc.putNull("number");
      doc.put("finalizesAt", finalizesAt.toString());
      if (open != null && open.doc().toString().equals(doc.toString())) {
        return Optional.empty();
      }
    }
    return Optional.of(new AfterEnd(new InvoiceWriter.Pending(inv, doc, finalise), finalise ? Action.FINALIZED
        : open != null ? Action.UPDATED : Action.CREATED));
  }

  private static long maxSeq(Connection c, String tenant) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM events WHERE tenant = ?")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Late-usage differences of the subscription's earlier final invoices. */
  private List<Adjustment> adjustments(Connection c, String tenant, Catalog cat, Customer cu, Subscription s,
      BillingPeriod p, InvoiceHistory history) throws SQLException {
    List<Adjustment> out = new ArrayList<>();
    for (InvoiceHistory.Final f : history.finalsBefore(s.id(), p.activeStart())) {
      BillingPeriod fp = f.period();
      // The difference goes on the first invoice after F that is not final yet: a later draft leaves it to that one,
      // so that two drafts never both carry it.
      if (cu.subjects().isEmpty() || history.draftBetween(s.id(), fp.activeStart(), p.activeStart())
          || !lateEvents(c, tenant, cu.subjects(), fp, f.eventsSeq())) {
        continue;
      }
      String[] ref = f.plan().split("@");
      PlanVersion fplan = cat.plan(ref[0], Integer.parseInt(ref[1])).orElseThrow(() -> new TallyException(
          ErrorCode.CONFLICT, "final invoice " + f.number() + " was rated with plan " + f.plan()
              + ", which the catalogue no longer has"));
      Map<String, BigDecimal[]> billed = billed(c, tenant, f.id());
      history.pendingBilled(f.id()).forEach((k, v) -> billed.merge(k, v,
          (x, y) -> new BigDecimal[] {x[0].add(y[0]), x[1].add(y[1])}));
      Map<String, InvoiceLine> now = new LinkedHashMap<>();
      InvoiceAssembler.usageLines(fplan, measurer.measure(tenant, cu, fplan, fp)).forEach(l -> now.put(l.usageKey(),
          l));
      Set<String> keys = new LinkedHashSet<>(now.keySet());
      keys.addAll(billed.keySet());
      for (String key : keys) {
        BigDecimal[] was = billed.getOrDefault(key, new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
        InvoiceLine line = now.get(key);
        BigDecimal amount = line == null ? BigDecimal.ZERO : line.amount();
        BigDecimal quantity = line == null ? BigDecimal.ZERO : line.quantity();
        BigDecimal delta = amount.subtract(was[1]);
        if (delta.signum() == 0) {
          continue;
        }
        String charge = line != null ? line.charge().orElse(key) : key;
        out.add(new Adjustment(f.id(), f.number(), charge, line == null ? Map.of() : line.groups(),
            line == null ? "" : line.unit(), quantity.subtract(was[0]), delta,
            "rated again with all events: " + Decimals.plain(quantity) + " → " + amount + "; billed so far "
                + Decimals.plain(was[0]) + " → " + Decimals.normalise(was[1]) + "; difference " + delta));
      }
    }
    return out;
  }

  private static boolean lateEvents(Connection c, String tenant, List<String> subjects, BillingPeriod p, long seq)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM events WHERE tenant = ? AND seq > ? AND ts >= ? "
        + "AND ts < ? AND subject IN (" + "?, ".repeat(subjects.size() - 1) + "?) LIMIT 1")) {
      int i = 1;
      ps.setString(i++, tenant);
      ps.setLong(i++, seq);
      ps.setObject(i++, OffsetDateTime.ofInstant(p.from(), ZoneOffset.UTC));
      ps.setObject(i++, OffsetDateTime.ofInstant(p.to(), ZoneOffset.UTC));
      for (String s : subjects) {
        ps.setString(i++, s);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Quantity and amount billed so far per usage line key of a period's invoice, counting final invoices only. */
  private static Map<String, BigDecimal[]> billed(Connection c, String tenant, String target) throws SQLException {
    Map<String, BigDecimal[]> out = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT line_key, sum(quantity), sum(amount) FROM "
        + "pricing_billed_usage b WHERE tenant = ? AND target = ? AND invoice IN (SELECT id FROM pricing_invoices "
        + "WHERE tenant = ? AND status = 'final') GROUP BY line_key ORDER BY line_key")) {
      ps.setString(1, tenant);
      ps.setString(2, target);
      ps.setString(3, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new BigDecimal[] {rs.getBigDecimal(2), rs.getBigDecimal(3)});
        }
      }
    }
    return out;
  }

}
