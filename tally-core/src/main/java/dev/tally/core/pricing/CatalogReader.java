package dev.tally.core.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.core.time.Timestamps;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads catalogue files (YAML or JSON) into a {@link Catalog}, reporting every problem by its path
 * ({@code plans[0].charges[1].price.tiers[2].upTo}) before anything is applied. The format is described in
 * {@code docs/pricing.md}. Each entity can also be read on its own, which is how the store reads back what it keeps.
 */
public final class CatalogReader {
  private static final Set<String> SECTIONS =
      Set.of("customers", "plans", "subscriptions", "discounts", "coupons", "wallets", "settings");

  private final List<Problem> problems = new ArrayList<>();

  private CatalogReader() {}

  /** Parses a whole catalogue file. */
  public static Catalog parseFile(String text, String fileName) {
    JsonNode root;
    try {
      root = Json.yaml().readTree(text);
    } catch (JsonProcessingException e) {
      throw TallyException.invalid(Problem.of(fileName, "is neither valid YAML nor JSON: " + e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw TallyException.invalid(Problem.of(fileName, "must be a map with sections " + SECTIONS));
    }
    CatalogReader r = new CatalogReader();
    r.unknownFields(root, "", SECTIONS);
    Catalog c = new Catalog(
        r.list(root, "customers", r::customer),
        r.list(root, "plans", r::plan),
        r.list(root, "subscriptions", r::subscription),
        r.list(root, "discounts", r::discount),
        r.list(root, "coupons", r::coupon),
        r.list(root, "wallets", r::wallet),
        r.settings(root.get("settings")));
    r.unique(c.customers().stream().map(Customer::id).toList(), "customers", "id");
    r.unique(c.plans().stream().map(PlanVersion::ref).toList(), "plans", "version");
    r.unique(c.subscriptions().stream().map(Subscription::id).toList(), "subscriptions", "id");
    r.unique(c.discounts().stream().map(Discount::id).toList(), "discounts", "id");
    r.unique(c.coupons().stream().map(Coupon::code).toList(), "coupons", "code");
    r.unique(c.wallets().stream().map(CreditWallet::id).toList(), "wallets", "id");
    r.fail(fileName + "; nothing was written");
    return c;
  }

  /** Reads one stored entity of a section ({@code plans}, {@code customers}...), throwing on any problem. */
  public static Object entity(String section, JsonNode node) {
    CatalogReader r = new CatalogReader();
    BiFunction<JsonNode, String, Optional<?>> reader = switch (section) {
      case "customers" -> r::customer;
      case "plans" -> r::plan;
      case "subscriptions" -> r::subscription;
      case "discounts" -> r::discount;
      case "coupons" -> r::coupon;
      case "wallets" -> r::wallet;
      default -> throw new IllegalArgumentException("unknown catalogue section " + section);
    };
    Optional<?> e = reader.apply(node, section);
    r.fail("stored " + section);
    return e.orElseThrow();
  }

  /** Reads a price (the {@code price} of a charge) on its own, as simulation of a single price does. */
  public static Pricing pricing(JsonNode node, String at) {
    CatalogReader r = new CatalogReader();
    Optional<Pricing> p = r.pricingAt(node, at);
    r.fail(at);
    return p.orElseThrow();
  }

  private void fail(String what) {
    if (!problems.isEmpty()) {
      throw TallyException.invalid(problems.size() + " problem(s) in " + what, problems);
    }
  }

  private <T> List<T> list(JsonNode root, String section, BiFunction<JsonNode, String, Optional<T>> reader) {
    JsonNode n = root.get(section);
    List<T> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      problems.add(Problem.of(section, "must be a list"));
      return out;
    }
    for (int i = 0; i < n.size(); i++) {
      reader.apply(n.get(i), section + "[" + i + "]").ifPresent(out::add);
    }
    return out;
  }

  private void unique(List<String> ids, String section, String field) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      if (!seen.add(ids.get(i))) {
        problems.add(Problem.of(section + "[" + i + "]." + field, "is declared twice in this file", ids.get(i)));
      }
    }
  }

  private Optional<Duration> settings(JsonNode n) {
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isObject()) {
      problems.add(Problem.of("settings", "must be a map"));
      return Optional.empty();
    }
    unknownFields(n, "settings", Set.of("gracePeriod"));
    return grace(n, "settings");
  }

  /** An optional {@code taxes}: a list of {@code {name, rate}}, names unique; an empty list means exempt. */
  private Optional<List<Tax>> taxes(JsonNode n, String at) {
    JsonNode v = n.get("taxes");
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isArray()) {
      problems.add(Problem.of(at + ".taxes", "must be a list of {name, rate} (an empty list: exempt)"));
      return Optional.empty();
    }
    List<Tax> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < v.size(); i++) {
      String tat = at + ".taxes[" + i + "]";
      if (!object(v.get(i), tat, Set.of("name", "rate"))) {
        continue;
      }
      String name = text(v.get(i), tat, "name", true);
      BigDecimal rate = decimal(v.get(i), tat, "rate", true);
      if (name == null || rate == null) {
        continue;
      }
      if (!names.add(name)) {
        problems.add(Problem.of(tat + ".name", "is used twice in this list", name));
        continue;
      }
      if (rate.signum() < 0 || rate.compareTo(BigDecimal.valueOf(100)) > 0) {
        problems.add(Problem.of(tat + ".rate", "must be a percentage between 0 and 100", rate.toPlainString()));
        continue;
      }
      out.add(new Tax(name, rate));
    }
    return Optional.of(out);
  }

  /** An optional {@code gracePeriod}: an ISO 8601 duration, not negative. */
  private Optional<Duration> grace(JsonNode n, String at) {
    String g = text(n, at, "gracePeriod", false);
    if (g == null) {
      return Optional.empty();
    }
    try {
      Duration d = Duration.parse(g.trim());
      if (d.isNegative()) {
        problems.add(Problem.of(at + ".gracePeriod", "must not be negative", g));
        return Optional.empty();
      }
      return Optional.of(d);
    } catch (DateTimeParseException e) {
      problems.add(Problem.of(at + ".gracePeriod", "must be an ISO 8601 duration such as P3D or PT12H", g));
      return Optional.empty();
    }
  }

  private Optional<Customer> customer(JsonNode n, String at) {
    if (!object(n, at, Set.of("id", "name", "currency", "taxRate", "taxes", "timeZone", "subjects", "billing",
        "gracePeriod"))) {
      return Optional.empty();
    }
    int before = problems.size();
    String id = id(n, at, "id");
    String name = Optional.ofNullable(text(n, at, "name", false)).orElse(id == null ? "" : id);
    String currency = currency(n, at);
    BigDecimal tax = Optional.ofNullable(decimal(n, at, "taxRate", false)).orElse(BigDecimal.ZERO);
    if (tax.signum() < 0 || tax.compareTo(BigDecimal.valueOf(100)) > 0) {
      problems.add(Problem.of(at + ".taxRate", "must be a percentage between 0 and 100", tax.toPlainString()));
    }
    ZoneId zone = Optional.ofNullable(converted(at + ".timeZone", text(n, at, "timeZone", false), Timestamps::zone))
        .orElse(ZoneId.of("UTC"));
    List<String> subjects = strings(n, at, "subjects");
    Map<String, String> billing = stringMap(n, at, "billing");
    Optional<Duration> grace = grace(n, at);
    Optional<List<Tax>> taxes = taxes(n, at);
    if (taxes.isPresent() && n.hasNonNull("taxRate")) {
      problems.add(Problem.of(at + ".taxes", "give taxRate (one tax) or taxes (named rates), not both"));
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new Customer(id, name, currency, tax, zone, subjects, billing, grace, taxes));
  }

  private Optional<PlanVersion> plan(JsonNode n, String at) {
    if (!object(n, at, Set.of("id", "version", "name", "currency", "interval", "fixedFee", "minimumCommitment",
        "charges", "gracePeriod", "taxes", "pricesIncludeTax"))) {
      return Optional.empty();
    }
    int before = problems.size();
    String id = id(n, at, "id");
    boolean inclusive = false;
    JsonNode inc = n.get("pricesIncludeTax");
    if (inc != null && !inc.isNull()) {
      if (inc.isBoolean()) {
        inclusive = inc.booleanValue();
      } else {
        problems.add(Problem.of(at + ".pricesIncludeTax", "must be true or false", inc.asText()));
      }
    }
    Integer version = integer(n, at, "version", true);
    String name = Optional.ofNullable(text(n, at, "name", false)).orElse(id == null ? "" : id);
    String currency = currency(n, at);
    BillingInterval interval = Optional.ofNullable(converted(at + ".interval", text(n, at, "interval", false),
        BillingInterval::parse)).orElse(BillingInterval.MONTH);
    Optional<FixedFee> fee = Optional.empty();
    JsonNode f = n.get("fixedFee");
    if (f != null && !f.isNull() && object(f, at + ".fixedFee", Set.of("amount", "timing"))) {
      BigDecimal amount = decimal(f, at + ".fixedFee", "amount", true);
      FixedFee.Timing timing = Optional.ofNullable(converted(at + ".fixedFee.timing", text(f, at + ".fixedFee",
          "timing", false), t -> refused(() -> FixedFee.Timing.valueOf(t.trim().toUpperCase(java.util.Locale.ROOT)),
              IllegalArgumentException.class, "must be advance or arrears"))).orElse(FixedFee.Timing.ARREARS);
      if (amount != null) {
        fee = build(at + ".fixedFee", () -> new FixedFee(amount, timing));
      }
    }
    BigDecimal min = decimal(n, at, "minimumCommitment", false);
    Optional<Duration> grace = grace(n, at);
    Optional<List<Tax>> planTaxes = taxes(n, at);
    List<Charge> charges = new ArrayList<>();
    JsonNode cs = n.get("charges");
    if (cs != null && !cs.isNull()) {
      if (!cs.isArray()) {
        problems.add(Problem.of(at + ".charges", "must be a list"));
      } else {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < cs.size(); i++) {
          String cat = at + ".charges[" + i + "]";
          charge(cs.get(i), cat).ifPresent(c -> {
            if (!ids.add(c.id())) {
              problems.add(Problem.of(cat + ".id", "is used twice in this plan", c.id()));
            }
            charges.add(c);
          });
        }
      }
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    Optional<FixedFee> fixed = fee;
    boolean includesTax = inclusive;
    return build(at, () -> new PlanVersion(id, version, name, currency, interval, fixed, Optional.ofNullable(min),
        charges, grace, planTaxes, includesTax));
  }

  private Optional<Charge> charge(JsonNode n, String at) {
    if (!object(n, at, Set.of("id", "description", "meter", "filter", "unit", "price", "taxes"))) {
      return Optional.empty();
    }
    int before = problems.size();
    String id = id(n, at, "id");
    String meter = text(n, at, "meter", true);
    String description = Optional.ofNullable(text(n, at, "description", false)).orElse(id == null ? "" : id);
    String unit = Optional.ofNullable(text(n, at, "unit", false)).orElse("units");
    Map<String, String> filter = stringMap(n, at, "filter");
    Optional<List<Tax>> chargeTaxes = taxes(n, at);
    Optional<Pricing> pricing = Optional.empty();
    if (n.get("price") == null) {
      problems.add(Problem.of(at + ".price", "is required"));
    } else {
      pricing = pricingAt(n.get("price"), at + ".price");
    }
    if (problems.size() > before || pricing.isEmpty()) {
      return Optional.empty();
    }
    Pricing priced = pricing.get();
    return build(at, () -> new Charge(id, description, meter, filter, unit, priced, chargeTaxes));
  }

  private Optional<Pricing> pricingAt(JsonNode n, String at) {
    String model = modelName(n, at);
    if (model == null) {
      return Optional.empty();
    }
    if (!model.equals("dimensional")) {
      return model(n, at).map(Pricing.Uniform::new);
    }
    if (!object(n, at, Set.of("model", "keys", "prices", "fallback"))) {
      return Optional.empty();
    }
    int before = problems.size();
    List<String> keys = strings(n, at, "keys");
    if (keys.isEmpty()) {
      problems.add(Problem.of(at + ".keys", "must name at least one group-by key"));
    }
    List<Pricing.DimensionPrice> prices = new ArrayList<>();
    JsonNode ps = n.get("prices");
    if (ps == null || !ps.isArray()) {
      problems.add(Problem.of(at + ".prices", "must be a list of {match, price}"));
    } else {
      for (int i = 0; i < ps.size(); i++) {
        String pat = at + ".prices[" + i + "]";
        JsonNode p = ps.get(i);
        if (!object(p, pat, Set.of("match", "price"))) {
          continue;
        }
        Map<String, String> match = stringMap(p, pat, "match");
        if (!match.keySet().equals(new HashSet<>(keys))) {
          problems.add(Problem.of(pat + ".match", "must give a value for exactly the keys " + keys,
              match.keySet().toString()));
        }
        if (p.get("price") == null) {
          problems.add(Problem.of(pat + ".price", "is required"));
          continue;
        }
        model(p.get("price"), pat + ".price").ifPresent(m -> prices.add(new Pricing.DimensionPrice(match, m)));
      }
    }
    Optional<PriceModel> fallback = Optional.empty();
    if (n.get("fallback") != null && !n.get("fallback").isNull()) {
      fallback = model(n.get("fallback"), at + ".fallback");
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    Optional<PriceModel> otherwise = fallback;
    return build(at, () -> new Pricing.Dimensional(keys, prices, otherwise));
  }

  /** The {@code model} of a price, or null with the problem reported. */
  private String modelName(JsonNode n, String at) {
    if (n == null || !n.isObject()) {
      problems.add(Problem.of(at, "must be a map with a 'model'"));
      return null;
    }
    return text(n, at, "model", true);
  }

  private Optional<PriceModel> model(JsonNode n, String at) {
    String model = modelName(n, at);
    if (model == null) {
      return Optional.empty();
    }
    int before = problems.size();
    return switch (model) {
      case "flat" -> {
        object(n, at, Set.of("model", "amount"));
        BigDecimal a = decimal(n, at, "amount", true);
        yield problems.size() > before ? Optional.empty() : build(at, () -> new PriceModel.Flat(a));
      }
      case "per_unit" -> {
        object(n, at, Set.of("model", "unitPrice"));
        BigDecimal p = decimal(n, at, "unitPrice", true);
        yield problems.size() > before ? Optional.empty() : build(at, () -> new PriceModel.PerUnit(p));
      }
      case "graduated", "volume" -> {
        object(n, at, Set.of("model", "tiers"));
        List<Tier> tiers = tiers(n, at);
        if (problems.size() > before) {
          yield Optional.empty();
        }
        yield model.equals("graduated") ? build(at, () -> new PriceModel.Graduated(tiers))
            : build(at, () -> new PriceModel.Volume(tiers));
      }
      case "package" -> {
        object(n, at, Set.of("model", "size", "price"));
        BigDecimal size = decimal(n, at, "size", true);
        BigDecimal price = decimal(n, at, "price", true);
        yield problems.size() > before ? Optional.empty() : build(at, () -> new PriceModel.Package(size, price));
      }
      case "percentage" -> {
        object(n, at, Set.of("model", "percent", "fixedFeePerEvent", "minPerEvent", "maxPerEvent"));
        BigDecimal percent = decimal(n, at, "percent", true);
        BigDecimal fixed = Optional.ofNullable(decimal(n, at, "fixedFeePerEvent", false)).orElse(BigDecimal.ZERO);
        BigDecimal min = decimal(n, at, "minPerEvent", false);
        BigDecimal max = decimal(n, at, "maxPerEvent", false);
        yield problems.size() > before ? Optional.empty()
            : build(at, () -> new PriceModel.Percentage(percent, fixed, Optional.ofNullable(min), Optional.ofNullable(max)));
      }
      default -> {
        problems.add(Problem.of(at + ".model",
            "must be one of flat, per_unit, graduated, volume, package, percentage, dimensional", model));
        yield Optional.empty();
      }
    };
  }

  private List<Tier> tiers(JsonNode n, String at) {
    JsonNode ts = n.get("tiers");
    List<Tier> out = new ArrayList<>();
    if (ts == null || !ts.isArray() || ts.isEmpty()) {
      problems.add(Problem.of(at + ".tiers", "must be a non-empty list of {upTo, unitPrice, flatFee}"));
      return out;
    }
    for (int i = 0; i < ts.size(); i++) {
      String tat = at + ".tiers[" + i + "]";
      JsonNode t = ts.get(i);
      if (!object(t, tat, Set.of("upTo", "unitPrice", "flatFee"))) {
        continue;
      }
      BigDecimal upTo = decimal(t, tat, "upTo", false);
      BigDecimal price = Optional.ofNullable(decimal(t, tat, "unitPrice", false)).orElse(BigDecimal.ZERO);
      BigDecimal flat = Optional.ofNullable(decimal(t, tat, "flatFee", false)).orElse(BigDecimal.ZERO);
      build(tat, () -> new Tier(Optional.ofNullable(upTo), price, flat)).ifPresent(out::add);
    }
    return out;
  }

  private Optional<Subscription> subscription(JsonNode n, String at) {
    if (!object(n, at, Set.of("id", "customer", "plan", "version", "start", "end", "anchor", "coupons"))) {
      return Optional.empty();
    }
    int before = problems.size();
    String id = id(n, at, "id");
    String customer = text(n, at, "customer", true);
    String plan = text(n, at, "plan", true);
    Integer version = integer(n, at, "version", true);
    LocalDate start = date(n, at, "start", true);
    LocalDate end = date(n, at, "end", false);
    Subscription.Anchor anchor = Optional.ofNullable(converted(at + ".anchor", text(n, at, "anchor", false),
        Subscription.Anchor::parse)).orElse(Subscription.Anchor.CALENDAR);
    List<CouponRedemption> coupons = new ArrayList<>();
    JsonNode cs = n.get("coupons");
    if (cs != null && !cs.isNull()) {
      if (!cs.isArray()) {
        problems.add(Problem.of(at + ".coupons", "must be a list of {code, redeemedOn}"));
      } else {
        for (int i = 0; i < cs.size(); i++) {
          String cat = at + ".coupons[" + i + "]";
          if (object(cs.get(i), cat, Set.of("code", "redeemedOn"))) {
            String code = text(cs.get(i), cat, "code", true);
            LocalDate on = date(cs.get(i), cat, "redeemedOn", true);
            if (code != null && on != null) {
              coupons.add(new CouponRedemption(code, on));
            }
          }
        }
      }
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return build(at, () -> new Subscription(id, customer, plan, version, start, Optional.ofNullable(end), anchor,
        coupons));
  }

  private Optional<Discount> discount(JsonNode n, String at) {
    if (!object(n, at, Set.of("id", "customer", "subscription", "type", "value", "charge", "from", "to"))) {
      return Optional.empty();
    }
    int before = problems.size();
    String id = id(n, at, "id");
    String customer = text(n, at, "customer", false);
    String subscription = text(n, at, "subscription", false);
    if ((customer == null) == (subscription == null)) {
      problems.add(Problem.of(at, "must name either a customer or a subscription"));
    }
    Optional<Reduction> reduction = reduction(n, at);
    String charge = text(n, at, "charge", false);
    LocalDate from = date(n, at, "from", true);
    LocalDate to = date(n, at, "to", false);
    if (problems.size() > before || reduction.isEmpty()) {
      return Optional.empty();
    }
    return build(at, () -> new Discount(id, Optional.ofNullable(customer), Optional.ofNullable(subscription),
        reduction.get(), Optional.ofNullable(charge), from, Optional.ofNullable(to)));
  }

  private Optional<Coupon> coupon(JsonNode n, String at) {
    if (!object(n, at, Set.of("code", "type", "value", "duration", "periods"))) {
      return Optional.empty();
    }
    int before = problems.size();
    String code = id(n, at, "code");
    Optional<Reduction> reduction = reduction(n, at);
    String duration = Optional.ofNullable(text(n, at, "duration", false)).orElse("once");
    OptionalInt periods = OptionalInt.empty();
    switch (duration) {
      case "once" -> periods = OptionalInt.of(1);
      case "forever" -> { }
      case "periods" -> {
        Integer p = integer(n, at, "periods", true);
        periods = p == null ? OptionalInt.empty() : OptionalInt.of(p);
      }
      default -> problems.add(Problem.of(at + ".duration", "must be once, periods (with 'periods: N') or forever",
          duration));
    }
    if (problems.size() > before || reduction.isEmpty()) {
      return Optional.empty();
    }
    OptionalInt lasts = periods;
    return build(at, () -> new Coupon(code, reduction.get(), lasts));
  }

  private Optional<CreditWallet> wallet(JsonNode n, String at) {
    if (!object(n, at, Set.of("id", "customer", "amount", "priority", "grantedOn", "expiresOn"))) {
      return Optional.empty();
    }
    int before = problems.size();
    String id = id(n, at, "id");
    String customer = text(n, at, "customer", true);
    BigDecimal amount = decimal(n, at, "amount", true);
    Integer priority = Optional.ofNullable(integer(n, at, "priority", false)).orElse(1);
    LocalDate granted = date(n, at, "grantedOn", true);
    LocalDate expires = date(n, at, "expiresOn", false);
    if (problems.size() > before) {
      return Optional.empty();
    }
    return build(at, () -> new CreditWallet(id, customer, amount, priority, granted, Optional.ofNullable(expires)));
  }

  private Optional<Reduction> reduction(JsonNode n, String at) {
    String type = text(n, at, "type", true);
    BigDecimal value = decimal(n, at, "value", true);
    if (type == null || value == null) {
      return Optional.empty();
    }
    try {
      return build(at, () -> new Reduction(Reduction.Kind.parse(type), value));
    } catch (IllegalArgumentException e) {
      problems.add(Problem.of(at + ".type", e.getMessage(), type));
      return Optional.empty();
    }
  }

  /** Builds a record, turning the compact constructor's refusal into a problem at {@code at}. */
  private <T> Optional<T> build(String at, Supplier<T> value) {
    try {
      return Optional.of(value.get());
    } catch (IllegalArgumentException e) {
      problems.add(Problem.of(at, e.getMessage()));
      return Optional.empty();
    }
  }

  private boolean object(JsonNode n, String at, Set<String> fields) {
    if (n == null || !n.isObject()) {
      problems.add(Problem.of(at, "must be a map"));
      return false;
    }
    unknownFields(n, at, fields);
    return true;
  }

  private void unknownFields(JsonNode n, String at, Set<String> fields) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!fields.contains(f)) {
        problems.add(Problem.of((at.isEmpty() ? "" : at + ".") + f, "is not a known field here (expected one of "
            + String.join(", ", new java.util.TreeSet<>(fields)) + ")"));
      }
    }
  }

  private String text(JsonNode n, String at, String field, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        problems.add(Problem.of(at + "." + field, "is required"));
      }
      return null;
    }
    if (!v.isValueNode() || v.isBoolean()) {
      problems.add(Problem.of(at + "." + field, "must be a text value", v.toString()));
      return null;
    }
    if (v.asText().isBlank()) {
      problems.add(Problem.of(at + "." + field, "must not be empty"));
      return null;
    }
    return v.asText();
  }

  private String id(JsonNode n, String at, String field) {
    String id = text(n, at, field, true);
    if (id != null && !id.matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")) {
      problems.add(Problem.of(at + "." + field, "must be 1-128 letters, digits, '_', '.', ':' or '-'", id));
      return null;
    }
    return id;
  }

  private String currency(JsonNode n, String at) {
    return converted(at + ".currency", text(n, at, "currency", true), Money::currency);
  }

  private BigDecimal decimal(JsonNode n, String at, String field, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        problems.add(Problem.of(at + "." + field, "is required"));
      }
      return null;
    }
    if (v.isNumber()) {
      return v.decimalValue();
    }
    if (v.isTextual()) {
      try {
        return new BigDecimal(v.textValue().trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    problems.add(Problem.of(at + "." + field, "must be a decimal number", v.asText()));
    return null;
  }

  private Integer integer(JsonNode n, String at, String field, boolean required) {
    return converted(at + "." + field, decimal(n, at, field, required), d -> refused(d::intValueExact,
        ArithmeticException.class, "must be a whole number"));
  }

  private LocalDate date(JsonNode n, String at, String field, boolean required) {
    return converted(at + "." + field, text(n, at, field, required), s -> refused(() -> LocalDate.parse(s.trim()),
        DateTimeParseException.class, "must be a date YYYY-MM-DD"));
  }

  /**
   * A value read converted, or null: null when it was not read (its problem, if any, already reported), or when the
   * conversion refuses it with an IllegalArgumentException, whose message is then the problem at {@code where},
   * with the value as given.
   */
  private <S, T> T converted(String where, S value, Function<S, T> conversion) {
    if (value == null) {
      return null;
    }
    try {
      return conversion.apply(value);
    } catch (IllegalArgumentException e) {
      problems.add(Problem.of(where, e.getMessage(), value instanceof BigDecimal d ? d.toPlainString()
          : value.toString()));
      return null;
    }
  }

  /** A conversion whose own refusal ({@code refusal}) is said as {@code message}, for {@link #converted}. */
  private static <T> T refused(Supplier<T> conversion, Class<? extends RuntimeException> refusal, String message) {
    try {
      return conversion.get();
    } catch (RuntimeException e) {
      if (refusal.isInstance(e)) {
        throw new IllegalArgumentException(message, e);
      }
      throw e;
    }
  }

  private List<String> strings(JsonNode n, String at, String field) {
    JsonNode v = n.get(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      problems.add(Problem.of(at + "." + field, "must be a list of text values"));
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isValueNode() || v.get(i).isNull()) {
        problems.add(Problem.of(at + "." + field + "[" + i + "]", "must be a text value", v.get(i).toString()));
      } else {
        out.add(v.get(i).asText());
      }
    }
    return out;
  }

  private Map<String, String> stringMap(JsonNode n, String at, String field) {
    JsonNode v = n.get(field);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      problems.add(Problem.of(at + "." + field, "must be a map of text values"));
      return out;
    }
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        problems.add(Problem.of(at + "." + field + "." + e.getKey(), "must be a text value"));
      } else {
        out.put(e.getKey(), e.getValue().asText());
      }
    }
    return out;
  }
}
