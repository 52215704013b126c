package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Prepaid credit of a customer, granted or purchased, consumed by invoices after tax.
 *
 * <p>A wallet can pay an invoice whose issue day (the end of its period) is on or after {@code grantedOn} and before
 * {@code expiresOn}. Wallets are used by priority (lower first), then earliest expiry, then id.
 *
 * @param id the wallet's id
 * @param customer the customer's id
 * @param amount the amount granted, in the customer's currency
 * @param priority lower is used first
 * @param grantedOn the day it becomes usable
 * @param expiresOn the day it stops being usable, if it expires
 */
public record CreditWallet(String id, String customer, BigDecimal amount, int priority, LocalDate grantedOn,
    Optional<LocalDate> expiresOn) {
  public CreditWallet {
    requireNonNull(id, "id is null");
    requireNonNull(customer, "customer is null");
    requireNonNull(amount, "amount is null");
    requireNonNull(grantedOn, "grantedOn is null");
    requireNonNull(expiresOn, "expiresOn is null");
    if (amount.signum() < 0) {
      throw new IllegalArgumentException("amount must not be negative, given " + amount);
    }
    expiresOn.ifPresent(e -> {
      if (!e.isAfter(grantedOn)) {
        throw new IllegalArgumentException("expiresOn (" + e + ") must be after grantedOn (" + grantedOn + ")");
      }
    });
  }

  /** Whether the wallet can pay an invoice issued on {@code day}. */
  public boolean usableOn(LocalDate day) {
    return !day.isBefore(grantedOn) && expiresOn.map(day::isBefore).orElse(true);
  }
}
