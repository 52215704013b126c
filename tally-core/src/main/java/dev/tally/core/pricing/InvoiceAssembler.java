package dev.tally.core.pricing;

import dev.tally.core.format.Decimals;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Assembles an invoice from its inputs, applying the rules in a fixed order, each step a visible line:
 *
 * <ol>
 *   <li><b>Fees and charges</b>: the fixed fee (see {@link FixedFee} for its timing), one line per charge (per group
 *       for dimensional prices), and adjustments for late usage of finalised invoices;
 *   <li><b>Commitment true-up</b>: when the fixed fees and usage lines add up to less than the plan's minimum
 *       commitment (prorated), a line for the difference; adjustments belong to other periods and do not count;
 *   <li><b>Discounts</b>: first each charge discount on its charge's usage lines, then invoice discounts on the
 *       running subtotal, then coupons on what remains; by id within each group; never below zero;
 *   <li><b>Tax</b>: each line's taxes (its charge's, else its plan's, else its customer's) on the amounts after
 *       discounts, one line per tax;
 *   <li><b>Credits</b>: wallets usable on the issue day (the period's active end) pay what is due, by priority, then
 *       earliest expiry, then id.
 * </ol>
 *
 * <p>Each line's amount is computed exactly and rounded once, half-up, to the currency's minor unit ({@link Money});
 * every later step works on rounded lines, so the invoice's total is the sum of its lines to the cent.
 */
public final class InvoiceAssembler {
  private InvoiceAssembler() {}

  /** Assembles the invoice. */
  public static Invoice assemble(InvoiceRequest r) {
    PlanVersion plan = r.plan();
    String currency = plan.currency();
    Lines lines = new Lines(currency);
    plan.fixedFee().ifPresent(fee -> fixedFees(r, fee, lines));
    for (ChargeUsage u : r.usage()) {
      lines.add(usageLine(u, plan, currency));
    }
    for (Adjustment a : r.adjustments()) {
      lines.add(adjustmentLine(a, currency));
    }
    plan.minimumCommitment().ifPresent(min -> trueUp(r, min, lines));
    discounts(r, lines);
    tax(r, lines);
    credits(r, lines);
    return new Invoice(Invoice.id(r.subscription().id(), r.period()), r.customer().id(), r.subscription().id(),
        plan.ref(), currency, r.period(), lines.numbered());
  }

  /** The usage lines alone, numbered from 1: what late-usage adjustments compare. */
  public static List<InvoiceLine> usageLines(PlanVersion plan, List<ChargeUsage> usage) {
    Lines lines = new Lines(plan.currency());
    usage.forEach(u -> lines.add(usageLine(u, plan, plan.currency())));
    return lines.numbered();
  }

  private static void fixedFees(InvoiceRequest r, FixedFee fee, Lines lines) {
    Subscription s = r.subscription();
    BillingPeriod p = r.period();
    if (fee.timing() == FixedFee.Timing.ARREARS) {
      lines.add(feeLine(r.plan(), fee, p, "in arrears", lines.currency));
      return;
    }
    if (BillingPeriods.first(s, p)) {
      lines.add(feeLine(r.plan(), fee, p, "in advance, first period", lines.currency));
    }
    BillingPeriods.next(s, r.plan().interval(), p)
        .ifPresent(n -> lines.add(feeLine(r.plan(), fee, n, "in advance", lines.currency)));
  }

  private static Line feeLine(PlanVersion plan, FixedFee fee, BillingPeriod p, String timing, String currency) {
    BigDecimal exact = p.prorate(fee.amount());
    BigDecimal amount = Money.round(exact, currency);
    String arithmetic = p.whole()
        ? Decimals.plain(fee.amount()) + " for the whole period = " + amount
        : Decimals.plain(fee.amount()) + " × " + p.activeDays() + "/" + p.days() + " days = " + Decimals.plain(exact)
            + "; rounded half-up to " + amount;
    return Line.of(LineKind.FIXED_FEE, plan.name() + " fixed fee " + p.activeStart() + ".." + p.activeEnd() + " ("
        + timing + ")", exact, amount, LineExplanation.of("fixed fee of plan " + plan.ref() + ", " + timing
            + ", prorated by active days", arithmetic))
        .measuring(BigDecimal.valueOf(p.activeDays()), "days");
  }

  private static Line usageLine(ChargeUsage u, PlanVersion plan, String currency) {
    Charge c = u.charge();
    PriceModel model;
    try {
      model = c.pricing().modelFor(u.groups());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("charge '" + c.id() + "' of plan " + plan.ref() + ": " + e.getMessage(), e);
    }
    Rating rating = model.rate(u.usage());
    BigDecimal amount = Money.round(rating.amount(), currency);
    String steps = rating.steps().stream().map(RatingStep::arithmetic).collect(Collectors.joining("; "));
    String arithmetic = (steps.isEmpty() ? "no usage = 0" : steps)
        + (rating.steps().size() > 1 ? "; total " + Decimals.plain(rating.amount()) : "")
        + "; rounded half-up to " + amount;
    String description = c.description() + (u.groups().isEmpty() ? "" : " (" + Pricing.describe(u.groups()) + ")");
    return Line.of(LineKind.USAGE, description, rating.amount(), amount, new LineExplanation(model.name()
            + " price of charge '" + c.id() + "' (plan " + plan.ref() + ")", Optional.of(u.source()), rating.steps(),
            arithmetic))
        .forCharge(c.id(), u.groups())
        .measuring(u.usage().quantity(), c.unit());
  }

  private static Line adjustmentLine(Adjustment a, String currency) {
    BigDecimal amount = a.amountDelta().setScale(Money.minorUnits(currency), Money.ROUNDING);
    return Line.of(LineKind.ADJUSTMENT, "Late usage for invoice " + a.invoiceNumber() + ": " + a.charge()
        + (a.groups().isEmpty() ? "" : " (" + Pricing.describe(a.groups()) + ")"), a.amountDelta(), amount,
        LineExplanation.of("difference late events made to finalised invoice " + a.invoiceNumber() + " ("
            + a.invoice() + ")", a.arithmetic()))
        .forCharge(a.charge(), a.groups())
        .measuring(a.quantityDelta(), a.unit())
        .referring(a.invoice());
  }

  private static void trueUp(InvoiceRequest r, BigDecimal minimum, Lines lines) {
    BigDecimal due = Money.round(r.period().prorate(minimum), lines.currency);
    BigDecimal counted = lines.sum(l -> l.kind == LineKind.FIXED_FEE || l.kind == LineKind.USAGE);
    BigDecimal shortfall = due.subtract(counted);
    if (shortfall.signum() <= 0) {
      return;
    }
    String prorated = r.period().whole() ? "" : " × " + r.period().activeDays() + "/" + r.period().days() + " days";
    lines.add(Line.of(LineKind.COMMITMENT_TRUE_UP, "Minimum commitment true-up", shortfall, shortfall,
        LineExplanation.of("minimum commitment of plan " + r.plan().ref() + " per period", "minimum "
            + Decimals.plain(minimum) + prorated + " = " + due + "; fees and charges " + counted + "; shortfall "
            + due + " − " + counted + " = " + shortfall)));
  }

  private static void discounts(InvoiceRequest r, Lines lines) {
    LocalDate start = r.period().activeStart();
    List<Discount> applicable = r.discounts().stream().filter(d -> d.appliesTo(r.subscription(), start))
        .sorted(Comparator.comparing(Discount::id)).toList();
    for (Discount d : applicable.stream().filter(d -> d.charge().isPresent()).toList()) {
      String charge = d.charge().get();
      BigDecimal base = lines.sum(l -> charge.equals(l.charge.orElse(null))
          && (l.kind == LineKind.USAGE || l.kind == LineKind.DISCOUNT));
      lines.add(reduction(lines.currency, LineKind.DISCOUNT, "Discount " + d.id() + " on " + charge + ": "
          + d.reduction().describe(), d.id(), d.reduction(), base, "discount " + d.id() + " on the usage of charge '"
              + charge + "'").forCharge(charge, Map.of()));
    }
    for (Discount d : applicable.stream().filter(d -> d.charge().isEmpty()).toList()) {
      lines.add(reduction(lines.currency, LineKind.DISCOUNT, "Discount " + d.id() + ": " + d.reduction().describe(),
          d.id(), d.reduction(), lines.sum(l -> true), "discount " + d.id() + " on the invoice"));
    }
    List<CouponRedemption> redemptions = r.subscription().coupons().stream()
        .sorted(Comparator.comparing(CouponRedemption::code)).toList();
    for (CouponRedemption cr : redemptions) {
      Coupon coupon = r.coupons().get(cr.code());
      if (coupon == null) {
        throw new IllegalArgumentException("subscription " + r.subscription().id() + " redeems coupon '" + cr.code()
            + "', which the catalogue does not define");
      }
      long index = BillingPeriods.indexSince(r.subscription(), r.plan().interval(), r.period(), cr.redeemedOn());
      if (coupon.appliesToPeriod(index)) {
        lines.add(reduction(lines.currency, LineKind.COUPON, "Coupon " + coupon.code() + ": "
            + coupon.reduction().describe(), coupon.code(), coupon.reduction(), lines.sum(l -> true), "coupon "
                + coupon.code() + " (" + coupon.duration() + ", redeemed " + cr.redeemedOn() + "), period "
                + (index + 1) + " since redemption"));
      }
    }
  }

  /** A discount or coupon line (negative), referring to the discount's id or the coupon's code. */
  private static Line reduction(String currency, LineKind kind, String description, String ref, Reduction reduction,
      BigDecimal base, String rule) {
    BigDecimal exact = reduction.of(base);
    BigDecimal amount = Money.round(exact, currency).negate();
    String arithmetic = reduction.kind() == Reduction.Kind.PERCENT
        ? Decimals.plain(base) + " × " + Decimals.plain(reduction.value()) + " % = " + Decimals.plain(exact)
            + "; rounded half-up to " + amount.negate() + ", taken off"
        : Decimals.plain(reduction.value()) + " off, at most the " + base + " it applies to = " + amount.negate();
    return Line.of(kind, description, exact.negate(), amount, LineExplanation.of(rule, arithmetic)).referring(ref);
  }

  /**
   * Tax: each line takes the taxes of its charge if declared, else of its plan, else of its customer (see
   * {@link Tax}); a charge discount goes with its charge, and invoice discounts and coupons are shared among the
   * groups of lines taxed alike in proportion to their amounts (rounded half-up, the last group taking what is left,
   * so the shares add up exactly). One line per tax, on the sum of the groups it applies to. When every line is taxed
   * alike (the customer's rate alone, the common case), that is the amount after all discounts.
   */
  private static void tax(InvoiceRequest r, Lines lines) {
    PlanVersion plan = r.plan();
    Map<List<Tax>, BigDecimal> bases = new java.util.LinkedHashMap<>();
    Map<List<Tax>, String> sources = new java.util.HashMap<>();
    Map<List<Tax>, List<Integer>> members = new java.util.HashMap<>();
    BigDecimal shared = Money.zero(lines.currency);
    for (int index = 0; index < lines.lines.size(); index++) {
      Line l = lines.lines.get(index);
      boolean invoiceLevel = l.kind == LineKind.COUPON || (l.kind == LineKind.DISCOUNT && l.charge.isEmpty());
      if (invoiceLevel) {
        shared = shared.add(l.amount);
        continue;
      }
      Optional<Charge> charge = l.charge.flatMap(id -> plan.charges().stream().filter(c -> c.id().equals(id))
          .findFirst());
      List<Tax> taxes;
      String source;
      if (charge.isPresent() && charge.get().taxes().isPresent()) {
        taxes = charge.get().taxes().get();
        source = "charge '" + charge.get().id() + "'";
      } else if (plan.taxes().isPresent()) {
        taxes = plan.taxes().get();
        source = "plan " + plan.ref();
      } else {
        taxes = r.customer().taxes();
        source = "customer " + r.customer().id();
      }
      bases.merge(taxes, l.amount, BigDecimal::add);
      members.computeIfAbsent(taxes, k -> new ArrayList<>()).add(index);
      sources.merge(taxes, source, (x, y) -> x.contains(y) ? x : x + ", " + y);
    }
    if (bases.isEmpty()) {
      bases.put(r.customer().taxes(), Money.zero(lines.currency));
      sources.put(r.customer().taxes(), "customer " + r.customer().id());
    }
    // Invoice discounts and coupons, shared among the groups in proportion to their amounts.
    BigDecimal total = bases.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    List<List<Tax>> groups = new ArrayList<>(bases.keySet());
    BigDecimal left = shared;
    for (int i = 0; i < groups.size(); i++) {
      BigDecimal share = i == groups.size() - 1 || total.signum() == 0 ? left
          : Money.round(shared.multiply(bases.get(groups.get(i))).divide(total, java.math.MathContext.DECIMAL128),
              lines.currency);
      left = left.subtract(share);
      bases.merge(groups.get(i), share, BigDecimal::add);
    }
    if (plan.pricesIncludeTax()) {
      includedTax(r, lines, groups, bases, members, sources);
      return;
    }
    Map<Tax, BigDecimal> byTax = new java.util.TreeMap<>(Comparator.comparing(Tax::name)
        .thenComparing(Tax::ratePercent));
    Map<Tax, String> taxSources = new java.util.HashMap<>();
    for (List<Tax> g : groups) {
      for (Tax t : g) {
        byTax.merge(t, bases.get(g), BigDecimal::add);
        taxSources.merge(t, sources.get(g), (x, y) -> x + ", " + y);
      }
    }
    for (Map.Entry<Tax, BigDecimal> e : byTax.entrySet()) {
      BigDecimal rate = e.getKey().ratePercent();
      if (rate.signum() == 0) {
        continue;
      }
      BigDecimal base = e.getValue();
      BigDecimal exact = base.multiply(rate).divide(BigDecimal.valueOf(100));
      BigDecimal amount = Money.round(exact, lines.currency);
      String from = taxSources.get(e.getKey());
      String rule = from.equals("customer " + r.customer().id()) && e.getKey().name().equals("Tax")
          && r.customer().declaredTaxes().isEmpty() ? "tax rate of customer " + r.customer().id()
          : "tax " + e.getKey().name() + " of " + from;
      lines.add(Line.of(LineKind.TAX, e.getKey().name() + " " + Decimals.plain(rate) + " % on " + base, exact, amount,
          LineExplanation.of(rule, base + " × " + Decimals.plain(rate) + " % = " + Decimals.plain(exact)
              + "; rounded half-up to " + amount)));
    }
  }

  /**
   * Tax when the plan's prices include it. Each group of lines taxed alike has, after its discounts and its share of
   * the invoice's, a gross amount G containing its taxes of total rate R: the tax in it is G × R / (100 + R), rounded
   * half-up once per group, and split among the group's taxes in proportion to their rates (in the order of the tax
   * lines, the last taking what is left). That tax is taken off the group's lines in proportion to their amounts (the
   * last line taking what is left), so each line is stated net, and shown on one tax line per tax; invoice discounts
   * and coupons stay as the amounts they took off. The total is therefore exactly what the prices said, and the lines
   * net of tax plus the tax lines add up to it.
   */
  private static void includedTax(InvoiceRequest r, Lines lines, List<List<Tax>> groups,
      Map<List<Tax>, BigDecimal> bases, Map<List<Tax>, List<Integer>> members, Map<List<Tax>, String> sources) {
    Comparator<Tax> order = Comparator.comparing(Tax::name).thenComparing(Tax::ratePercent);
    Map<Tax, BigDecimal> taxOf = new java.util.TreeMap<>(order);
    Map<Tax, BigDecimal> grossOf = new java.util.TreeMap<>(order);
    Map<Tax, List<String>> steps = new java.util.TreeMap<>(order);
    Map<Tax, String> taxSources = new java.util.HashMap<>();
    for (List<Tax> g : groups) {
      BigDecimal rate = g.stream().map(Tax::ratePercent).reduce(BigDecimal.ZERO, BigDecimal::add);
      if (rate.signum() == 0) {
        continue;
      }
      BigDecimal gross = bases.get(g);
      BigDecimal included = Money.round(gross.multiply(rate).divide(BigDecimal.valueOf(100).add(rate),
          java.math.MathContext.DECIMAL128), lines.currency);
      String names = g.stream().sorted(order).map(t -> t.name() + " " + Decimals.plain(t.ratePercent()) + " %")
          .collect(Collectors.joining(", "));
      List<Tax> taxes = g.stream().filter(t -> t.ratePercent().signum() > 0).sorted(order).toList();
      BigDecimal left = included;
      for (int i = 0; i < taxes.size(); i++) {
        Tax t = taxes.get(i);
        BigDecimal part = i == taxes.size() - 1 ? left : Money.round(included.multiply(t.ratePercent())
            .divide(rate, java.math.MathContext.DECIMAL128), lines.currency);
        left = left.subtract(part);
        taxOf.merge(t, part, BigDecimal::add);
        grossOf.merge(t, gross, BigDecimal::add);
        String whole = gross + " × " + Decimals.plain(rate) + " / " + Decimals.plain(BigDecimal.valueOf(100)
            .add(rate)) + " = " + included + " included";
        steps.computeIfAbsent(t, k -> new ArrayList<>()).add(taxes.size() == 1 ? whole : whole + ", of which "
            + t.name() + " " + (i == taxes.size() - 1 ? "takes what is left of " + names + ": " + part
                : included + " × " + Decimals.plain(t.ratePercent()) + " / " + Decimals.plain(rate) + " = " + part));
        taxSources.merge(t, sources.get(g), (x, y) -> x + ", " + y);
      }
      restateNet(lines, members.getOrDefault(g, List.of()), included, names);
    }
    for (Map.Entry<Tax, BigDecimal> e : taxOf.entrySet()) {
      Tax t = e.getKey();
      BigDecimal amount = e.getValue();
      String from = taxSources.get(t);
      lines.add(Line.of(LineKind.TAX, t.name() + " " + Decimals.plain(t.ratePercent()) + " % included in "
          + grossOf.get(t), amount, amount, LineExplanation.of("tax " + t.name() + " of " + from
              + ", included in the prices of plan " + r.plan().ref(), String.join("; ", steps.get(t)) + "; total "
              + amount)));
    }
  }

  /** Takes a group's included tax off its lines, in proportion to their amounts, the last line taking the rest. */
  private static void restateNet(Lines lines, List<Integer> indexes, BigDecimal included, String names) {
    BigDecimal sum = indexes.stream().map(i -> lines.lines.get(i).amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal left = included;
    for (int k = 0; k < indexes.size(); k++) {
      Line l = lines.lines.get(indexes.get(k));
      BigDecimal part = k == indexes.size() - 1 ? left : sum.signum() == 0 ? Money.zero(lines.currency)
          : Money.round(included.multiply(l.amount).divide(sum, java.math.MathContext.DECIMAL128), lines.currency);
      left = left.subtract(part);
      BigDecimal net = l.amount.subtract(part);
      lines.lines.set(indexes.get(k), l.restated(l.exact.subtract(part), net, "; the price includes " + names + ": "
          + l.amount + " includes " + part + " of tax, stated net " + l.amount + " − " + part + " = " + net));
    }
  }

  private static void credits(InvoiceRequest r, Lines lines) {
    LocalDate issued = r.period().activeEnd();
    List<WalletBalance> usable = r.wallets().stream()
        .filter(w -> w.wallet().customer().equals(r.customer().id()) && w.wallet().usableOn(issued))
        .sorted(Comparator.comparingInt((WalletBalance w) -> w.wallet().priority())
            .thenComparing(w -> w.wallet().expiresOn().orElse(LocalDate.MAX))
            .thenComparing(w -> w.wallet().id()))
        .toList();
    for (WalletBalance w : usable) {
      BigDecimal due = lines.sum(l -> true);
      BigDecimal available = Money.round(w.available(), lines.currency);
      if (due.signum() <= 0 || available.signum() <= 0) {
        continue;
      }
      BigDecimal used = due.min(available);
      lines.add(Line.of(LineKind.CREDIT, "Prepaid credit " + w.wallet().id(), used.negate(), used.negate(),
          LineExplanation.of("credit wallet " + w.wallet().id() + " (priority " + w.wallet().priority()
              + w.wallet().expiresOn().map(e -> ", expires " + e).orElse("") + ")", "due " + due + ", available "
              + available + "; uses the smaller, " + used))
          .referring(w.wallet().id()));
    }
  }

  /**
   * A line before numbering. {@link #of} makes a line of a kind with its amounts; what only some kinds have is added
   * by name: the charge and groups ({@link #forCharge}), the quantity priced ({@link #measuring}), what it refers to
   * ({@link #referring}). A line without them has no charge, no groups, a zero quantity with no unit, no reference.
   */
  private record Line(LineKind kind, String description, Optional<String> charge, Map<String, String> groups,
      BigDecimal quantity, String unit, BigDecimal exact, BigDecimal amount, Optional<String> reference,
      LineExplanation explanation) {
    static Line of(LineKind kind, String description, BigDecimal exact, BigDecimal amount, LineExplanation x) {
      return new Line(kind, description, Optional.empty(), Map.of(), BigDecimal.ZERO, "", exact, amount,
          Optional.empty(), x);
    }

    /** The line of a charge (usage, its discounts, its adjustments), for the groups of a dimensional price. */
    Line forCharge(String id, Map<String, String> byGroup) {
      return new Line(kind, description, Optional.of(id), byGroup, quantity, unit, exact, amount, reference,
          explanation);
    }

    /** The line prices this quantity. */
    Line measuring(BigDecimal priced, String unitOf) {
      return new Line(kind, description, charge, groups, priced, unitOf, exact, amount, reference, explanation);
    }

    /** The line refers to a discount, coupon, wallet or adjusted invoice. */
    Line referring(String ref) {
      return new Line(kind, description, charge, groups, quantity, unit, exact, amount, Optional.of(ref),
          explanation);
    }

    /** The line with other amounts, its arithmetic going on with {@code more}. */
    Line restated(BigDecimal newExact, BigDecimal newAmount, String more) {
      LineExplanation x = explanation;
      return new Line(kind, description, charge, groups, quantity, unit, newExact, newAmount, reference,
          new LineExplanation(x.rule(), x.source(), x.steps(), x.arithmetic() + more));
    }

    InvoiceLine numbered(int number) {
      return new InvoiceLine(number, kind, description, charge, groups, quantity, unit, exact, amount, reference,
          explanation);
    }
  }

  /** The lines so far, and sums over them. */
  private static final class Lines {
    private final String currency;
    private final List<Line> lines = new ArrayList<>();

    Lines(String currency) {
      this.currency = currency;
    }

    void add(Line l) {
      lines.add(l);
    }

    BigDecimal sum(java.util.function.Predicate<Line> which) {
      return lines.stream().filter(which).map(Line::amount).reduce(Money.zero(currency), BigDecimal::add);
    }

    List<InvoiceLine> numbered() {
      List<InvoiceLine> out = new ArrayList<>();
      for (Line l : lines) {
        out.add(l.numbered(out.size() + 1));
      }
      return out;
    }
  }
}
