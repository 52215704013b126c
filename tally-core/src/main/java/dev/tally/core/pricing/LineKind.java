package dev.tally.core.pricing;

/**
 * The kinds of invoice lines, in the fixed order of application: fees and charges (fixed fees, usage, adjustments
 * for late usage of finalised invoices), then the commitment true-up, then discounts and coupons, then tax, then
 * credits. Lines appear on an invoice in this order.
 */
public enum LineKind {
  /** A plan's fixed fee, prorated. */
  FIXED_FEE(Step.FEES_AND_CHARGES),
  /** A metered charge (one line per group for dimensional prices). */
  USAGE(Step.FEES_AND_CHARGES),
  /** The difference that late usage made to a finalised invoice, billed once. */
  ADJUSTMENT(Step.FEES_AND_CHARGES),
  /** What the fees and charges fell short of the minimum commitment. */
  COMMITMENT_TRUE_UP(Step.COMMITMENT),
  /** A negotiated discount (negative). */
  DISCOUNT(Step.DISCOUNTS),
  /** A coupon (negative). */
  COUPON(Step.DISCOUNTS),
  /** Tax on the amount after discounts. */
  TAX(Step.TAX),
  /** Prepaid credit consumed (negative). */
  CREDIT(Step.CREDITS);

  /** The steps of application, in order. */
  public enum Step {
    FEES_AND_CHARGES,
    COMMITMENT,
    DISCOUNTS,
    TAX,
    CREDITS
  }

  private final Step step;

  LineKind(Step step) {
    this.step = step;
  }

  public Step step() {
    return step;
  }
}
