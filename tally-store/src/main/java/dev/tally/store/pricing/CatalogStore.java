package dev.tally.store.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.core.pricing.Catalog;
import dev.tally.core.pricing.CatalogReader;
import dev.tally.core.pricing.Charge;
import dev.tally.core.pricing.Coupon;
import dev.tally.core.pricing.CouponRedemption;
import dev.tally.core.pricing.CreditWallet;
import dev.tally.core.pricing.Customer;
import dev.tally.core.pricing.Discount;
import dev.tally.core.pricing.PlanVersion;
import dev.tally.core.pricing.Subscription;
import dev.tally.store.StoredMeter;
import dev.tally.store.TallyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's pricing catalogue: applied from files, read back whole.
 *
 * <p>Applying a file creates or replaces each entity it declares by id and leaves the others alone, so a file may
 * declare one customer or the whole catalogue. Plan versions are immutable: re-declaring one unchanged is fine, with
 * a difference it is refused (a change is a new version, and invoices already issued keep theirs). After merging, the
 * whole catalogue is checked (subscriptions name known customers, plans and coupons; charges name known meters and
 * group-by keys; a subject belongs to one customer) and nothing is written unless every check passes.
 */
public final class CatalogStore {
  /** The sections of a catalogue, in the order they are stored and checked. */
  public static final List<String> SECTIONS = List.of("customers", "plans", "subscriptions", "discounts", "coupons",
      "wallets");

  private final TallyStore store;

  CatalogStore(TallyStore store) {
    this.store = store;
  }

  /** What applying a file changed, per section. */
  public record ApplyResult(Map<String, Integer> created, Map<String, Integer> replaced, Map<String, Integer> unchanged) {
    public ApplyResult {
      created = Map.copyOf(created);
      replaced = Map.copyOf(replaced);
      unchanged = Map.copyOf(unchanged);
    }
  }

  /** Parses and applies a catalogue file; throws with every problem found, writing nothing then. */
  public ApplyResult apply(String tenant, String text, String fileName) {
    TallyStore.checkTenant(tenant);
    Catalog parsed = CatalogReader.parseFile(text, fileName);
    JsonNode root;
    try {
      root = Json.yaml().readTree(text);
    } catch (JsonProcessingException e) {
      throw new TallyException(ErrorCode.INTERNAL, "catalogue parsed once but not twice: " + e.getMessage(), e);
    }
    store.ensureTenant(tenant);
    return store.write(w -> {
      Map<String, Map<String, String>> existing = docs(w, tenant);
      Map<String, Integer> created = new LinkedHashMap<>();
      Map<String, Integer> replaced = new LinkedHashMap<>();
      Map<String, Integer> unchanged = new LinkedHashMap<>();
      Map<String, Map<String, String>> merged = new LinkedHashMap<>();
      existing.forEach((s, m) -> merged.put(s, new LinkedHashMap<>(m)));
      List<Problem> problems = new ArrayList<>();
      List<String[]> writes = new ArrayList<>();
      for (String section : SECTIONS) {
        JsonNode list = root.get(section);
        if (list == null || !list.isArray()) {
          continue;
        }
        List<String> ids = ids(parsed, section);
        for (int i = 0; i < list.size(); i++) {
          String id = ids.get(i);
          String doc = list.get(i).toString();
          String old = existing.getOrDefault(section, Map.of()).get(id);
          if (old != null && sameEntity(section, old, doc)) {
            unchanged.merge(section, 1, Integer::sum);
            continue;
          }
          if (old != null && section.equals("plans")) {
            problems.add(Problem.of(section + "[" + i + "].version", "plan " + id.replace("@", " version ")
                + " is already defined with different content; plan versions are immutable, declare a new version"));
            continue;
          }
          (old == null ? created : replaced).merge(section, 1, Integer::sum);
          merged.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(id, doc);
          writes.add(new String[] {section, id, doc});
        }
      }
      if (!problems.isEmpty()) {
        throw new TallyException(ErrorCode.CONFLICT, problems.size() + " problem(s) in " + fileName
            + "; nothing was written", problems);
      }
      parsed.gracePeriod().ifPresent(g -> writes.add(new String[] {"settings", "gracePeriod", g.toString()}));
      Optional<Duration> grace = parsed.gracePeriod().isPresent() ? parsed.gracePeriod() : grace(w, tenant);
      Catalog whole = catalog(merged, grace);
      check(tenant, whole, fileName, new Positions(parsed));
      store.transaction(c -> {
        for (String[] wr : writes) {
          if (wr[0].equals("settings")) {
            delete(c, "DELETE FROM pricing_settings WHERE tenant = ?", tenant);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pricing_settings VALUES (?, ?)")) {
              ps.setString(1, tenant);
              ps.setString(2, wr[2]);
              ps.executeUpdate();
            }
            continue;
          }
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM pricing_catalog WHERE tenant = ? AND section = ? AND id = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, wr[0]);
            ps.setString(3, wr[1]);
            ps.executeUpdate();
          }
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO pricing_catalog VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, tenant);
            ps.setString(2, wr[0]);
            ps.setString(3, wr[1]);
            ps.setString(4, wr[2]);
            ps.setObject(5, OffsetDateTime.ofInstant(store.clock().instant(), ZoneOffset.UTC));
            ps.executeUpdate();
          }
        }
        return null;
      });
      return new ApplyResult(created, replaced, unchanged);
    });
  }

  /**
   * One entity as stored: its declaration exactly as applied (the JSON of its entry in the file, which applies again
   * unchanged) and when it was last created or replaced.
   *
   * @param section the section ({@code customers}, {@code plans}...)
   * @param id its id ({@code plan@version} for plans, the code for coupons)
   * @param declared the entry as declared
   * @param updatedAt when it was applied
   */
  public record Entry(String section, String id, JsonNode declared, java.time.Instant updatedAt) {}

  /** The stored entities of one section, by id; the section must be one of {@link #SECTIONS}. */
  public List<Entry> list(String tenant, String section) {
    checkSection(section);
    return store.read(c -> entries(c, tenant, section, Optional.empty()));
  }

  /** One stored entity, or a NOT_FOUND error naming it. */
  public Entry require(String tenant, String section, String id) {
    checkSection(section);
    return store.read(c -> entries(c, tenant, section, Optional.of(id))).stream().findFirst()
        .orElseThrow(() -> new TallyException(ErrorCode.NOT_FOUND, "no " + section + " entry '" + id
            + "' in tenant '" + tenant + "' ('tally catalog list " + section + "' shows them)"));
  }

  /** Refuses a section name that is not one of the catalogue's. */
  public static void checkSection(String section) {
    if (!SECTIONS.contains(section)) {
      throw TallyException.invalid(Problem.of("section", "must be one of " + String.join(", ", SECTIONS),
          section));
    }
  }

  private static List<Entry> entries(Connection c, String tenant, String section, Optional<String> id)
      throws SQLException {
    List<Entry> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, doc, updated_at FROM pricing_catalog WHERE tenant = ? "
        + "AND section = ?" + (id.isPresent() ? " AND id = ?" : "") + " ORDER BY id")) {
      ps.setString(1, tenant);
      ps.setString(2, section);
      if (id.isPresent()) {
        ps.setString(3, id.get());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          try {
            out.add(new Entry(section, rs.getString(1), Json.json().readTree(rs.getString(2)),
                rs.getObject(3, OffsetDateTime.class).toInstant()));
          } catch (JsonProcessingException e) {
            throw new TallyException(ErrorCode.INTERNAL, "stored " + section + " entry " + rs.getString(1)
                + " is unreadable: " + e.getMessage(), e);
          }
        }
      }
    }
    return out;
  }

  /** The tenant's whole catalogue. */
  public Catalog load(String tenant) {
    return store.read(c -> catalog(docs(c, tenant), grace(c, tenant)));
  }

  /** The grace period of the tenant's invoices. */
  public Duration gracePeriod(String tenant) {
    return load(tenant).gracePeriod().orElse(Catalog.DEFAULT_GRACE);
  }

  private static boolean sameEntity(String section, String oldDoc, String newDoc) {
    return entity(section, oldDoc).equals(entity(section, newDoc));
  }

  private static Object entity(String section, String doc) {
    try {
      return CatalogReader.entity(section, Json.json().readTree(doc));
    } catch (JsonProcessingException e) {
      throw new TallyException(ErrorCode.INTERNAL, "stored " + section + " entry is unreadable: " + e.getMessage(), e);
    }
  }

  private static List<String> ids(Catalog c, String section) {
    return switch (section) {
      case "customers" -> c.customers().stream().map(Customer::id).toList();
      case "plans" -> c.plans().stream().map(PlanVersion::ref).toList();
      case "subscriptions" -> c.subscriptions().stream().map(Subscription::id).toList();
      case "discounts" -> c.discounts().stream().map(Discount::id).toList();
      case "coupons" -> c.coupons().stream().map(Coupon::code).toList();
      case "wallets" -> c.wallets().stream().map(CreditWallet::id).toList();
      default -> throw new IllegalArgumentException(section);
    };
  }

  private static Catalog catalog(Map<String, Map<String, String>> docs, Optional<Duration> grace) {
    Map<String, List<Object>> bySection = new HashMap<>();
    for (String section : SECTIONS) {
      List<Object> list = new ArrayList<>();
      docs.getOrDefault(section, Map.of()).values().forEach(d -> list.add(entity(section, d)));
      bySection.put(section, list);
    }
    return new Catalog(cast(bySection.get("customers")), cast(bySection.get("plans")),
        cast(bySection.get("subscriptions")), cast(bySection.get("discounts")), cast(bySection.get("coupons")),
        cast(bySection.get("wallets")), grace);
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> cast(List<Object> list) {
    return (List<T>) (List<?>) list;
  }

  private static Map<String, Map<String, String>> docs(Connection c, String tenant) throws SQLException {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT section, id, doc FROM pricing_catalog WHERE tenant = ? ORDER BY section, id")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), s -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
        }
      }
    }
    return out;
  }

  private static Optional<Duration> grace(Connection c, String tenant) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT grace_period FROM pricing_settings WHERE tenant = ?")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(Duration.parse(rs.getString(1))) : Optional.empty();
      }
    }
  }

  private static void delete(Connection c, String sql, String tenant) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, tenant);
      ps.executeUpdate();
    }
  }

  /**
   * Where each entity of the file being applied sits in it, so that a problem is named by its path in the file
   * ({@code plans[0].charges[1].meter}) with the entity's id beside it. Entities already stored and not in the file
   * have no position; they are named by id ({@code subscriptions[sub-eur]}) and said to be stored.
   */
  private static final class Positions {
    private final Map<String, Map<String, Integer>> index = new HashMap<>();

    Positions(Catalog file) {
      for (String section : SECTIONS) {
        List<String> ids = ids(file, section);
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
          m.put(ids.get(i), i);
        }
        index.put(section, m);
      }
    }

    /** {@code section[i]} if the entity is in the file, else {@code section[id]}. */
    String path(String section, String id) {
      Integer i = index.get(section).get(id);
      return section + "[" + (i == null ? id : i.toString()) + "]";
    }

    /** How the message names the entity: {@code plan pro@1}, and whether it comes from the store. */
    String who(String section, String id) {
      String noun = switch (section) {
        case "customers" -> "customer";
        case "plans" -> "plan";
        case "subscriptions" -> "subscription";
        case "discounts" -> "discount";
        case "coupons" -> "coupon";
        default -> "wallet";
      };
      return noun + " " + id + (index.get(section).containsKey(id) ? "" : " (stored, not in this file)");
    }
  }

  /** Cross-reference checks over the merged catalogue; problems are named by their path in the file, with ids. */
  private void check(String tenant, Catalog c, String fileName, Positions at) {
    List<Problem> problems = new ArrayList<>();
    Map<String, String> owner = new HashMap<>();
    for (Customer cu : c.customers()) {
      for (int i = 0; i < cu.subjects().size(); i++) {
        String s = cu.subjects().get(i);
        String other = owner.putIfAbsent(s, cu.id());
        if (other != null) {
          problems.add(Problem.of(at.path("customers", cu.id()) + ".subjects[" + i + "]", at.who("customers",
              cu.id()) + ": subject '" + s + "' already belongs to customer '" + other
              + "'; a subject's usage is billed to one customer", s));
        }
      }
    }
    for (PlanVersion p : c.plans()) {
      for (int i = 0; i < p.charges().size(); i++) {
        Charge ch = p.charges().get(i);
        String path = at.path("plans", p.ref()) + ".charges[" + i + "]";
        String who = at.who("plans", p.ref()) + ", charge " + ch.id();
        Optional<StoredMeter> m = store.meters().find(tenant, ch.meter());
        if (m.isEmpty()) {
          problems.add(Problem.of(path + ".meter", who + ": no meter '" + ch.meter() + "' in tenant '" + tenant
              + "'; define it with 'tally meters apply' first", ch.meter()));
          continue;
        }
        for (String k : ch.filter().keySet()) {
          checkKey(problems, m.get(), path + ".filter." + k, who, k);
        }
        for (String k : ch.pricing().keys()) {
          checkKey(problems, m.get(), path + ".price.keys", who, k);
        }
      }
    }
    for (Subscription s : c.subscriptions()) {
      String path = at.path("subscriptions", s.id());
      String who = at.who("subscriptions", s.id());
      Optional<Customer> cu = c.customer(s.customer());
      Optional<PlanVersion> p = c.plan(s.plan(), s.version());
      if (cu.isEmpty()) {
        problems.add(Problem.of(path + ".customer", who + ": no customer '" + s.customer() + "'", s.customer()));
      }
      if (p.isEmpty()) {
        problems.add(Problem.of(path + ".plan", who + ": no plan " + s.plan() + " version " + s.version(),
            s.planRef()));
      }
      if (cu.isPresent() && p.isPresent() && !cu.get().currency().equals(p.get().currency())) {
        problems.add(Problem.of(path + ".plan", who + ": plan " + s.planRef() + " is priced in "
            + p.get().currency() + " but customer '" + s.customer() + "' pays in " + cu.get().currency(),
            s.planRef()));
      }
      for (int i = 0; i < s.coupons().size(); i++) {
        CouponRedemption r = s.coupons().get(i);
        if (c.coupon(r.code()).isEmpty()) {
          problems.add(Problem.of(path + ".coupons[" + i + "].code", who + ": no coupon '" + r.code() + "'",
              r.code()));
        }
      }
    }
    for (Discount d : c.discounts()) {
      String path = at.path("discounts", d.id());
      String who = at.who("discounts", d.id());
      d.customer().filter(id -> c.customer(id).isEmpty()).ifPresent(id -> problems.add(Problem.of(path
          + ".customer", who + ": no customer '" + id + "'", id)));
      d.subscription().filter(id -> c.subscription(id).isEmpty()).ifPresent(id -> problems.add(Problem.of(path
          + ".subscription", who + ": no subscription '" + id + "'", id)));
    }
    for (CreditWallet wa : c.wallets()) {
      if (c.customer(wa.customer()).isEmpty()) {
        problems.add(Problem.of(at.path("wallets", wa.id()) + ".customer", at.who("wallets", wa.id())
            + ": no customer '" + wa.customer() + "'", wa.customer()));
      }
    }
    if (!problems.isEmpty()) {
      throw TallyException.invalid(problems.size() + " problem(s) in the catalogue once " + fileName
          + " is merged with what is stored; nothing was written", problems);
    }
  }

  private static void checkKey(List<Problem> problems, StoredMeter m, String path, String who, String key) {
    if (!m.meter().groupBy().containsKey(key)) {
      problems.add(Problem.of(path, who + ": meter '" + m.meter().slug() + "' has no group-by key '" + key
          + "' (it has: " + String.join(", ", m.meter().groupBy().keySet()) + ")", key));
    }
  }
}
