package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a charge prices its usage: one price model for all of it, or one per value of some group-by keys (a price per
 * AI model and token direction).
 */
public sealed interface Pricing {
  /** The meter group-by keys the usage must be split by before rating (empty: rated as one quantity). */
  List<String> keys();

  /**
   * The price model for one group of usage.
   *
   * @param groups the group-by values of the usage (at least the {@link #keys()})
   * @throws IllegalArgumentException when no price matches, naming the values
   */
  PriceModel modelFor(Map<String, String> groups);

  /** One price model for the whole quantity. */
  record Uniform(PriceModel model) implements Pricing {
    public Uniform {
      requireNonNull(model, "model is null");
    }

    @Override
    public List<String> keys() {
      return List.of();
    }

    @Override
    public PriceModel modelFor(Map<String, String> groups) {
      return model;
    }
  }

  /**
   * A price per combination of group-by values; usage whose values match no entry takes the fallback, and without
   * one is refused (billing it at zero would hide a missing price).
   *
   * @param keys the group-by keys prices are chosen by
   * @param prices the entries, each matching values of all keys
   * @param fallback the price of unmatched values
   */
  record Dimensional(List<String> keys, List<DimensionPrice> prices, Optional<PriceModel> fallback)
      implements Pricing {
    public Dimensional {
      keys = List.copyOf(keys);
      prices = List.copyOf(prices);
      requireNonNull(fallback, "fallback is null");
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("a dimensional price needs at least one key");
      }
      for (int i = 0; i < prices.size(); i++) {
        if (!prices.get(i).match().keySet().equals(new java.util.HashSet<>(keys))) {
          throw new IllegalArgumentException("prices[" + i + "].match must give a value for exactly the keys " + keys
              + ", given " + prices.get(i).match().keySet());
        }
        for (int j = 0; j < i; j++) {
          if (prices.get(j).match().equals(prices.get(i).match())) {
            throw new IllegalArgumentException("prices[" + i + "].match repeats prices[" + j + "].match "
                + prices.get(i).match());
          }
        }
      }
    }

    @Override
    public PriceModel modelFor(Map<String, String> groups) {
      Map<String, String> wanted = new LinkedHashMap<>();
      keys.forEach(k -> wanted.put(k, groups.getOrDefault(k, "")));
      return prices.stream().filter(p -> p.match().equals(wanted)).map(DimensionPrice::model).findFirst()
          .or(() -> fallback)
          .orElseThrow(() -> new IllegalArgumentException("no price for " + describe(wanted)
              + " and no fallback price; add one of them"));
    }
  }

  /**
   * One entry of a dimensional price.
   *
   * @param match the group-by values this entry prices (a missing value is the empty string)
   * @param model the price model
   */
  record DimensionPrice(Map<String, String> match, PriceModel model) {
    public DimensionPrice {
      match = Collections.unmodifiableMap(new LinkedHashMap<>(match));
      requireNonNull(model, "model is null");
    }
  }

  /** Group values as {@code model=gpt-4o, direction=input}. */
  static String describe(Map<String, String> groups) {
    StringBuilder sb = new StringBuilder();
    groups.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v));
    return sb.toString();
  }
}
