package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * A credit wallet and what is left of it for the invoice being assembled (its amount minus what other invoices have
 * consumed).
 *
 * @param wallet the wallet
 * @param available what is left, not negative
 */
public record WalletBalance(CreditWallet wallet, BigDecimal available) {
  public WalletBalance {
    requireNonNull(wallet, "wallet is null");
    requireNonNull(available, "available is null");
    if (available.signum() < 0) {
      throw new IllegalArgumentException("wallet " + wallet.id() + " has a negative balance " + available);
    }
  }
}
