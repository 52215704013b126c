package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.store.TallyStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/**
 * Imports cost files (FOCUS, Azure cost exports, AWS CUR; CSV, gzip CSV or Parquet) into the {@code cost_charges}
 * table, all or nothing per file.
 *
 * <p>Design: DuckDB reads the file itself ({@code read_csv} with every column as text, or {@code read_parquet}) into a
 * temporary stage, so quoting, embedded line breaks, byte-order marks and gzip are handled by a real CSV reader, not by
 * hand. A {@link SourceMapping} turns the stage's columns into FOCUS columns (as text); one pass counts, per column,
 * values that will not cast (a cost that is not a number, a date that is not a date, Tags that are not a JSON object, a
 * ChargeCategory that FOCUS does not define) and, if there are any, a second query lists the first
 * {@value #MAX_PROBLEMS} with row and column; otherwise a single {@code INSERT ... SELECT} casts and normalises every
 * value. Everything after staging is one transaction.
 *
 * <p>Rows are named by their position as a spreadsheet shows it: the header is row 1, the first charge row 2 (equal to
 * the line number unless a quoted value spans lines). A file whose exact bytes were imported before for the tenant is
 * not imported again (SHA-256 of the bytes), so re-running an import never doubles a cost.
 *
 * <p>Providers re-deliver a billing period as it fills up and after it closes (AWS rewrites a month's CUR several
 * times a day, Azure exports month-to-date every day): different bytes, same charges plus more. A <em>restating</em>
 * import ({@link #importFile(String, Path, CostFormat, boolean)}) therefore replaces, in the same transaction, every
 * earlier charge of the same provider, billing account and billing period as the file's rows, and records what it
 * replaced in {@code cost_restatements}. Files delivered together as parts of one period are imported in one call and
 * do not replace each other.
 */
public final class CostImporter {
  /** The most problems listed for one file (all are counted). */
  public static final int MAX_PROBLEMS = 100;

  private static final String STAGE = "cost_stage";
  private static final String MAPPED = "cost_mapped";
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private final TallyStore store;

  CostImporter(TallyStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  /**
   * Imports files in order, each all or nothing; stops at the first file that fails (the files before it stay
   * imported, and {@code each} has been told of them).
   *
   * @param restate whether the files restate their billing periods (see the class comment); they are then parts of
   *     one delivery and do not replace each other
   * @param each called with each file's outcome as soon as it is imported
   */
  public List<ImportOutcome> importFiles(String tenant, List<Path> files, CostFormat format, boolean restate,
      Consumer<ImportOutcome> each) {
    requireNonNull(each, "each is null");
    List<ImportOutcome> out = new ArrayList<>();
    Set<Long> delivery = new HashSet<>();
    for (Path f : files) {
      ImportOutcome o = importFile(tenant, f, String.valueOf(f), format,
          restate ? Optional.of(Set.copyOf(delivery)) : Optional.empty());
      delivery.add(o.importId());
      out.add(o);
      each.accept(o);
    }
    return out;
  }

  /**
   * Imports one file.
   *
   * @throws TallyException invalid input, with every problem found (up to {@value #MAX_PROBLEMS}) by row and column,
   *     if any value cannot be stored; nothing of the file is then stored
   */
  public ImportOutcome importFile(String tenant, Path file, CostFormat format) {
    return importFile(tenant, file, format, false);
  }

  /**
   * Imports one file; with {@code restate}, the charges already stored for the same ProviderName, BillingAccountId and
   * BillingPeriodStart as any of its rows are replaced by the file's, in the same transaction.
   *
   * @throws TallyException invalid input, as {@link #importFile(String, Path, CostFormat)}, and, restating, when a row
   *     has no BillingPeriodStart (what it restates would be unknown); nothing of the file is then stored or removed
   */
  public ImportOutcome importFile(String tenant, Path file, CostFormat format, boolean restate) {
    return importFile(tenant, file, String.valueOf(file), format, restate ? Optional.of(Set.of()) : Optional.empty());
  }

  /**
   * Imports a bill that is not a file of the user's (an upload, generated data): its bytes go to a temporary file
   * that DuckDB's reader can read, deleted afterwards whatever happens, and {@code name} stands for it in every
   * message and in the outcome.
   *
   * @param maxBytes the most bytes read from {@code in}; more is refused (too large) and nothing is imported
   * @throws TallyException as {@link #importFile(String, Path, CostFormat, boolean)}, and when the stream is empty or
   *     longer than {@code maxBytes}
   */
  public ImportOutcome importStream(String tenant, String name, InputStream in, long maxBytes, CostFormat format,
      boolean restate) {
    requireNonNull(name, "name is null");
    requireNonNull(in, "in is null");
    Path dir = null;
    try {
      dir = Files.createTempDirectory("tally-bill-");
      // The temporary file carries the name when it is a plain one, so cost_imports records it.
      Path file = dir.resolve(PLAIN_NAME.matcher(name).matches() ? name : "upload");
      long total = 0;
      try (OutputStream out = Files.newOutputStream(file)) {
        byte[] buf = new byte[256 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
          total += n;
          if (total > maxBytes) {
            throw new TallyException(ErrorCode.TOO_LARGE, name + ": is over the limit of " + maxBytes + " bytes; "
                + "nothing was imported", List.of(Problem.of("file", "is over the limit of " + maxBytes + " bytes")));
          }
          out.write(buf, 0, n);
        }
      }
      if (total == 0) {
        throw TallyException.invalid(Problem.of("file", "is empty: a bill has at least its header", name));
      }
      return importFile(tenant, file, name, format, restate ? Optional.of(Set.of()) : Optional.empty());
    } catch (IOException e) {
      throw new TallyException(ErrorCode.INTERNAL, "cannot keep " + name + " in a temporary file: " + e, e);
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // A leftover temporary file is harmless; the system's temporary-file cleaning removes it.
    }
  }

  private ImportOutcome importFile(String tenant, Path file, String label, CostFormat format,
      Optional<Set<Long>> restate) {
    TallyStore.checkTenant(tenant);
    requireNonNull(file, "file is null");
    requireNonNull(format, "format is null");
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw TallyException.invalid(Problem.of("file", "is not a readable file", label));
    }
    String sha256 = sha256(file);
    FileKind kind = FileKind.of(file);
    store.ensureTenant(tenant);
    return store.write(c -> {
      ImportOutcome earlier = earlier(c, tenant, sha256, label, format);
      if (earlier != null) {
        return earlier;
      }
      // Staged outside the transaction: rows of a committed temporary table have row ids 0..n-1 in file order,
      // which give each row its position for error messages. The stage is private to this (write) connection.
      stage(c, file, label, kind);
      c.setAutoCommit(false);
      try {
        ImportOutcome outcome = load(c, tenant, file, label, format, sha256, restate);
        c.commit();
        return outcome;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
        dropStage(c);
      }
    });
  }

  private ImportOutcome load(DuckDBConnection c, String tenant, Path file, String label, CostFormat format,
      String sha256, Optional<Set<Long>> restate) throws SQLException {
    SourceMapping.Mapped mapped = mapping(format).map(new SourceMapping.SourceColumns(label,
        stageColumns(c)));
    createMapped(c, mapped);
    Survey survey = survey(c, label);
    long id = nextId(c);
    long rows;
    try (PreparedStatement ps = c.prepareStatement(insertSql())) {
      ps.setString(1, tenant);
      ps.setLong(2, id);
      rows = ps.executeUpdate();
    }
    BigDecimal billed = survey.billed();
    Map<String, Long> normalised = survey.normalised();
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO cost_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::JSON, ?)")) {
      ps.setLong(1, id);
      ps.setString(2, tenant);
      ps.setString(3, format.label());
      ps.setString(4, mapped.version());
      ps.setString(5, file.getFileName().toString());
      ps.setString(6, sha256);
      ps.setLong(7, rows);
      ps.setBigDecimal(8, billed);
      ps.setString(9, Json.json().writeValueAsString(normalised));
      ps.setObject(10, OffsetDateTime.ofInstant(store.clock().instant(), ZoneOffset.UTC));
      ps.executeUpdate();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    ImportOutcome.Replaced replaced = restate.isPresent()
        ? replace(c, tenant, label, id, restate.get()) : ImportOutcome.Replaced.NONE;
    return new ImportOutcome(label, format, mapped.version(), id, rows, billed, false, normalised,
        replaced);
  }

  /**
   * Removes the earlier charges of the billing periods import {@code id} covers, other than those of
   * {@code sameDelivery}, recording per replaced import how many rows and how much BilledCost went.
   */
  private static ImportOutcome.Replaced replace(DuckDBConnection c, String tenant, String label, long id,
      Set<Long> sameDelivery) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT min(source_row) FROM cost_charges WHERE tenant = ? AND "
        + "import_id = ? AND \"BillingPeriodStart\" IS NULL")) {
      ps.setString(1, tenant);
      ps.setLong(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long row = rs.getLong(1);
        if (!rs.wasNull()) {
          throw TallyException.invalid(label + ": cannot restate billing periods: a row has no BillingPeriodStart; "
              + "nothing was imported from this file", List.of(Problem.of("BillingPeriodStart",
              "is needed on every row to restate a billing period (--replace)").atLine(row)));
        }
      }
    }
    // The same provider, billing account and billing period as some row of this import; nulls match nulls (a file
    // without BillingAccountId restates the charges without one).
    String old = "cost_charges";
    String earlier = " FROM cost_charges WHERE " + old + ".tenant = ? AND " + old + ".import_id <> ?"
        + sameDelivery.stream().map(i -> " AND " + old + ".import_id <> " + i).collect(Collectors.joining())
        + " AND EXISTS (SELECT 1 FROM cost_charges n WHERE n.tenant = " + old + ".tenant AND n.import_id = ?"
        + " AND n.\"ProviderName\" IS NOT DISTINCT FROM " + old + ".\"ProviderName\""
        + " AND n.\"BillingAccountId\" IS NOT DISTINCT FROM " + old + ".\"BillingAccountId\""
        + " AND n.\"BillingPeriodStart\" = " + old + ".\"BillingPeriodStart\")";
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO cost_restatements SELECT tenant, ?, import_id, "
        + "count(*), sum(\"BilledCost\")" + earlier + " GROUP BY tenant, import_id")) {
      ps.setLong(1, id);
      ps.setString(2, tenant);
      ps.setLong(3, id);
      ps.setLong(4, id);
      ps.executeUpdate();
    }
    long rows = 0;
    BigDecimal billed = BigDecimal.ZERO;
    List<Long> imports = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT replaced_import_id, row_count, billed_total FROM "
        + "cost_restatements WHERE tenant = ? AND import_id = ? ORDER BY replaced_import_id")) {
      ps.setString(1, tenant);
      ps.setLong(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          imports.add(rs.getLong(1));
          rows += rs.getLong(2);
          billed = billed.add(rs.getBigDecimal(3));
        }
      }
    }
    if (rows > 0) {
      try (PreparedStatement ps = c.prepareStatement("DELETE" + earlier)) {
        ps.setString(1, tenant);
        ps.setLong(2, id);
        ps.setLong(3, id);
        long deleted = ps.executeUpdate();
        if (deleted != rows) {
          throw new IllegalStateException("restating removed " + deleted + " charges but counted " + rows);
        }
      }
    }
    return new ImportOutcome.Replaced(rows, billed, imports);
  }

  private static SourceMapping mapping(CostFormat format) {
    return switch (format) {
      case FOCUS -> new FocusMapping();
      case AZURE -> new AzureMapping();
      case AWS -> new AwsMapping();
    };
  }

  private ImportOutcome earlier(DuckDBConnection c, String tenant, String sha256, String label, CostFormat format)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id, focus_version, billed_total FROM cost_imports WHERE tenant = ? AND sha256 = ?")) {
      ps.setString(1, tenant);
      ps.setString(2, sha256);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new ImportOutcome(label, format, rs.getString(2), rs.getLong(1), 0, rs.getBigDecimal(3),
            true, Map.of(), ImportOutcome.Replaced.NONE);
      }
    }
  }

  private static void stage(DuckDBConnection c, Path file, String label, FileKind kind) throws SQLException {
    String path = SourceMapping.literal(file.toAbsolutePath().toString());
    String reader = switch (kind) {
      case PARQUET -> "read_parquet(" + path + ")";
      case CSV, GZIP_CSV -> "read_csv(" + path + ", all_varchar = true, header = true, delim = ',', quote = '\"',"
          + " escape = '\"', nullstr = ['NULL', ''], encoding = 'utf-8'"
          + (kind == FileKind.GZIP_CSV ? ", compression = 'gzip'" : "") + ")";
    };
    dropStage(c);
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TEMP TABLE " + STAGE + " AS SELECT * FROM " + reader);
    } catch (SQLException e) {
      // DuckDB's reader refused the file (ragged rows, bad quoting, bad encoding); its message names the line.
      String why = firstLine(e.getMessage());
      throw new TallyException(ErrorCode.INVALID_INPUT, label + ": cannot be read as " + kind.describe() + ": " + why,
          List.of(Problem.of("file", why, label)), e);
    }
  }

  private static Map<String, String> stageColumns(DuckDBConnection c) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT column_name, column_type FROM (DESCRIBE " + STAGE + ")")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  /**
   * The stage mapped to one text column per FOCUS column (NULL where the file has none) and the row number, as a
   * view: materialising it cost a third copy of the file in DuckDB's memory (1M FOCUS rows: 1.6 GiB resident against
   * 0.9 GiB) and saved no time, the survey and the insert each reading it once either way.
   */
  private static void createMapped(DuckDBConnection c, SourceMapping.Mapped mapped) throws SQLException {
    StringBuilder sql = new StringBuilder("CREATE TEMP VIEW " + MAPPED + " AS SELECT rowid + 2 AS _row");
    for (FocusColumn col : FocusColumn.ALL) {
      sql.append(", ").append(mapped.expressions().getOrDefault(col.name(), "CAST(NULL AS VARCHAR)"))
          .append(" AS ").append(col.sql());
    }
    sql.append(", ").append(mapped.extra().orElse("CAST(NULL AS VARCHAR)")).append(" AS x_Extra FROM ").append(STAGE);
    try (Statement st = c.createStatement()) {
      st.execute(sql.toString());
    }
  }

  /** The condition under which a column's text is wrong, and what to say about it. */
  private record Check(FocusColumn column, String badWhen, String message) {}

  private static List<Check> checks() {
    List<Check> out = new ArrayList<>();
    for (FocusColumn col : FocusColumn.ALL) {
      String v = col.sql();
      if (col.required()) {
        out.add(new Check(col, v + " IS NULL", "is mandatory but empty"));
      }
      switch (col.type()) {
        case COST, QUANTITY -> out.add(new Check(col, v + " IS NOT NULL AND TRY_CAST(" + v + " AS " + col.type().sql()
            + ") IS NULL", "is not a decimal number (or does not fit " + col.type().sql() + ")"));
        case DATETIME -> out.add(new Check(col, v + " IS NOT NULL AND TRY_CAST(" + v + " AS TIMESTAMPTZ) IS NULL",
            "is not a date-time (ISO 8601, UTC if no offset)"));
        case JSON -> out.add(new Check(col, v + " IS NOT NULL AND (CASE WHEN json_valid(" + v + ") THEN json_type(" + v
            + ") END) IS DISTINCT FROM 'OBJECT'", "is not a JSON object"));
        case STRING -> {
          if (col.name().equals("ChargeCategory")) {
            out.add(new Check(col, v + " IS NOT NULL AND lower(" + v + ") NOT IN (" + col.values().stream()
                .map(s -> SourceMapping.literal(s.toLowerCase(Locale.ROOT))).collect(Collectors.joining(", "))
                + ")", "is not a FOCUS charge category (" + String.join(", ", col.values()) + ")"));
          }
        }
      }
    }
    return out;
  }

  /** What one pass over the mapped file found: the BilledCost total and, per closed column, the values re-cased. */
  private record Survey(BigDecimal billed, Map<String, Long> normalised) {}

  /**
   * One pass over the mapped file that counts the values each check refuses, the values whose casing will be
   * normalised, and the BilledCost total; if anything is refused, a second query lists the first problems.
   */
  private static Survey survey(DuckDBConnection c, String label) throws SQLException {
    List<Check> checks = checks();
    List<FocusColumn> closed = FocusColumn.ALL.stream().filter(col -> !col.values().isEmpty()).toList();
    StringBuilder sql = new StringBuilder("SELECT coalesce(sum(TRY_CAST(\"BilledCost\" AS ")
        .append(FocusColumn.Type.COST.sql()).append(")), 0)");
    for (Check ch : checks) {
      sql.append(", count(*) FILTER (WHERE ").append(ch.badWhen()).append(")");
    }
    for (FocusColumn col : closed) {
      sql.append(", count(*) FILTER (WHERE ").append(canonicalCase(col)).append(" IS DISTINCT FROM ")
          .append(col.sql()).append(")");
    }
    sql.append(" FROM ").append(MAPPED);
    long bad = 0;
    BigDecimal billed;
    Map<String, Long> normalised = new LinkedHashMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
      rs.next();
      billed = rs.getBigDecimal(1);
      for (int i = 0; i < checks.size(); i++) {
        bad += rs.getLong(i + 2);
      }
      for (int i = 0; i < closed.size(); i++) {
        long n = rs.getLong(checks.size() + i + 2);
        if (n > 0) {
          normalised.put(closed.get(i).name(), n);
        }
      }
    }
    if (bad > 0) {
      throw refused(c, label, checks, bad);
    }
    return new Survey(billed, normalised);
  }

  private static TallyException refused(DuckDBConnection c, String label, List<Check> checks, long total)
      throws SQLException {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      Check ch = checks.get(i);
      parts.add("SELECT _row, " + i + " AS check_no, CAST(" + ch.column().sql() + " AS VARCHAR) AS given FROM "
          + MAPPED + " WHERE " + ch.badWhen());
    }
    List<Problem> problems = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(String.join(" UNION ALL ", parts)
        + " ORDER BY _row, check_no LIMIT " + MAX_PROBLEMS)) {
      while (rs.next()) {
        Check ch = checks.get(rs.getInt(2));
        problems.add(Problem.of(ch.column().name(), ch.message(), rs.getString(3)).atLine(rs.getLong(1)));
      }
    }
    return TallyException.invalid(label + ": " + total + " value" + (total == 1 ? "" : "s")
        + " cannot be imported; nothing was imported from this file", problems);
  }

  /** The SQL that turns a column's text into its stored value, normalising the casing of closed values. */
  private static String typed(FocusColumn col) {
    String v = col.sql();
    return switch (col.type()) {
      case COST, QUANTITY -> "CAST(" + v + " AS " + col.type().sql() + ")";
      case DATETIME -> "CAST(" + v + " AS TIMESTAMPTZ)";
      case JSON -> "CAST(" + v + " AS JSON)";
      case STRING -> col.values().isEmpty() ? v : canonicalCase(col);
    };
  }

  private static String canonicalCase(FocusColumn col) {
    StringBuilder sb = new StringBuilder("CASE lower(").append(col.sql()).append(")");
    for (String value : col.values()) {
      sb.append(" WHEN ").append(SourceMapping.literal(value.toLowerCase(Locale.ROOT)))
          .append(" THEN ").append(SourceMapping.literal(value));
    }
    return sb.append(" ELSE ").append(col.sql()).append(" END").toString();
  }

  private static String insertSql() {
    StringBuilder sql = new StringBuilder("INSERT INTO cost_charges SELECT ?, ?, _row");
    for (FocusColumn col : FocusColumn.ALL) {
      sql.append(", ").append(typed(col));
    }
    return sql.append(", CAST(x_Extra AS JSON) FROM ").append(MAPPED).toString();
  }

  private static long nextId(DuckDBConnection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT nextval('cost_import_ids')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void dropStage(DuckDBConnection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("DROP VIEW IF EXISTS " + MAPPED);
      st.execute("DROP TABLE IF EXISTS " + STAGE);
    }
  }

  private static String sha256(Path file) {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw TallyException.invalid(Problem.of("file", "cannot be read: " + e.getMessage(), file.toString()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java", e);
    }
  }

  private static String firstLine(String s) {
    String m = String.valueOf(s);
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** What the bytes of a file are: Parquet, gzip (of CSV) or plain CSV, told by their first bytes, not the name. */
  enum FileKind {
    CSV,
    GZIP_CSV,
    PARQUET;

    static FileKind of(Path file) {
      byte[] head = new byte[4];
      int n;
      try (InputStream in = Files.newInputStream(file)) {
        n = in.readNBytes(head, 0, 4);
      } catch (IOException e) {
        throw TallyException.invalid(Problem.of("file", "cannot be read: " + e.getMessage(), file.toString()));
      }
      if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
        return GZIP_CSV;
      }
      if (n == 4 && head[0] == 'P' && head[1] == 'A' && head[2] == 'R' && head[3] == '1') {
        return PARQUET;
      }
      return CSV;
    }

    String describe() {
      return switch (this) {
        case CSV -> "CSV";
        case GZIP_CSV -> "gzip-compressed CSV";
        case PARQUET -> "Parquet";
      };
    }
  }
}
