package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.format.Decimals;
import dev.tally.core.json.Json;
import dev.tally.store.Sql;
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
  private static final String REJECTS = "cost_rejects";
  private static final String REJECT_SCANS = "cost_reject_scans";
  private static final String PROBE_REJECTS = "cost_probe_rejects";
  private static final String PROBE_SCANS = "cost_probe_scans";
  private static final Pattern FIELD_COUNTS = Pattern.compile("Expected Number of Columns: (\\d+) Found: (\\d+)");
  /** The longest line read (DuckDB's own default is 2 MB; real CUR lines with many tags are long). */
  private static final long MAX_LINE_BYTES = 16L * 1024 * 1024;

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
    return importFiles(tenant, files, format, restate, Map.of(), each);
  }

  /**
   * Imports files as {@link #importFiles(String, List, CostFormat, boolean, Consumer)}, reading some of their
   * headers under other names: {@code columns} maps a file's header (a localised export's {@code Kosten}) to the
   * name the format's mapping knows ({@code PreTaxCost}). A header it names must be in every file.
   */
  public List<ImportOutcome> importFiles(String tenant, List<Path> files, CostFormat format, boolean restate,
      Map<String, String> columns, Consumer<ImportOutcome> each) {
    requireNonNull(each, "each is null");
    Map<String, String> renames = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
    List<ImportOutcome> out = new ArrayList<>();
    Set<Long> delivery = new HashSet<>();
    for (Path f : files) {
      ImportOutcome o = importFile(tenant, f, String.valueOf(f), format,
          restate ? Optional.of(Set.copyOf(delivery)) : Optional.empty(), renames);
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
    return importFile(tenant, file, String.valueOf(file), format, restate ? Optional.of(Set.of()) : Optional.empty(),
        Map.of());
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
    return importStream(tenant, name, in, maxBytes, format, restate, Map.of());
  }

  /**
   * Imports a bill as {@link #importStream(String, String, InputStream, long, CostFormat, boolean)}, reading some of
   * its headers under other names, as {@link #importFiles(String, List, CostFormat, boolean, Map, Consumer)} does.
   */
  public ImportOutcome importStream(String tenant, String name, InputStream in, long maxBytes, CostFormat format,
      boolean restate, Map<String, String> columns) {
    Map<String, String> renames = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
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
        throw TallyException.invalid(name + ": is empty; a bill has at least its header",
            List.of(Problem.of("file", "is empty: a bill has at least its header", name)));
      }
      return importFile(tenant, file, name, format, restate ? Optional.of(Set.of()) : Optional.empty(), renames);
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
      Optional<Set<Long>> restate, Map<String, String> renames) {
    TallyStore.checkTenant(tenant);
    requireNonNull(file, "file is null");
    requireNonNull(format, "format is null");
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw TallyException.invalid(label + ": is not a readable file; nothing was imported",
          List.of(Problem.of("file", "is not a readable file", label)));
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
        ImportOutcome outcome = load(c, tenant, file, label, format, sha256, restate, kind, renames);
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
      String sha256, Optional<Set<Long>> restate, FileKind kind, Map<String, String> renames) throws SQLException {
    SourceMapping.SourceColumns columns = new SourceMapping.SourceColumns(label, stageColumns(c), renames);
    if (kind == FileKind.JSON && format != CostFormat.GOOGLE) {
      throw TallyException.invalid(label + ": is JSON, which Tally reads only as a Google Cloud billing export "
          + "(--format google); export " + format.describe() + " as CSV or Parquet; nothing was imported from this "
          + "file", List.of(Problem.of("format", "must be google for a JSON file", format.label())));
    }
    SourceMapping.Mapped mapped;
    try {
      mapped = mapping(c, format).map(columns);
    } catch (TallyException e) {
      // The headline names the file and says what it looks like; the problems name the missing columns. (The mapping
      // stops at the first column it lacks, so which of the user's renames it would have read is not known yet.)
      throw new TallyException(e.code(), label + ": cannot be imported as " + format.describe() + ": "
          + missingColumns(e) + FormatGuess.hint(columns, format) + (renames.isEmpty() ? ""
          : " (columns renamed: " + renames.entrySet().stream().map(r -> r.getKey() + "=" + r.getValue())
              .collect(Collectors.joining(", ")) + ")") + "; nothing was imported from this file",
          e.problems(), e);
    }
    checkRenamesRead(columns, label, format);
    createMapped(c, mapped, kind == FileKind.JSON);
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
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO cost_imports (id, tenant, format, focus_version, "
        + "file_name, sha256, row_count, billed_total, normalised, imported_at, rounded, cost_basis) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::JSON, ?, ?::JSON, ?)")) {
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
      ps.setString(11, Json.json().writeValueAsString(Map.of("columns", survey.rounded().columns(),
          "billedChange", survey.rounded().billedChange().toPlainString())));
      ps.setString(12, mapped.basis().label());
      ps.executeUpdate();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    ImportOutcome.Replaced replaced = restate.isPresent()
        ? replace(c, tenant, label, id, restate.get()) : ImportOutcome.Replaced.NONE;
    return new ImportOutcome(label, format, mapped.version(), id, rows, billed, false, normalised,
        replaced, survey.rounded(), mapped.basis());
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

  private static String missingColumns(TallyException e) {
    long n = e.problems().size();
    return n == 1 ? "it lacks the column " + e.problems().get(0).field()
        : "it lacks " + n + " columns (" + e.problems().stream().map(Problem::field).collect(Collectors.joining(", "))
            + ")";
  }

  /**
   * Refuses a {@code --column} whose name the mapping did not look for: a misspelt {@code MeterCategroy} would
   * otherwise leave the file imported as if the option had not been given.
   */
  private static void checkRenamesRead(SourceMapping.SourceColumns columns, String label, CostFormat format) {
    List<String> unused = columns.unusedRenames();
    if (!unused.isEmpty()) {
      throw TallyException.invalid(label + ": the column mapping " + unused.get(0) + " names a column "
          + format.describe() + " does not read; nothing was imported from this file", unused.stream()
          .map(u -> Problem.of("column", "names a column " + format.describe() + " does not read", u)).toList());
    }
  }

  private static SourceMapping mapping(DuckDBConnection c, CostFormat format) {
    return switch (format) {
      case FOCUS -> new FocusMapping();
      case AZURE -> new AzureMapping(Optional.empty(), condition -> anyRow(c, condition));
      case AZURE_ACTUAL -> new AzureMapping(Optional.of(CostBasis.ACTUAL), condition -> anyRow(c, condition));
      case AZURE_AMORTIZED -> new AzureMapping(Optional.of(CostBasis.AMORTIZED), condition -> anyRow(c, condition));
      case AWS -> new AwsMapping();
      case GOOGLE -> new GoogleMapping();
      case ORACLE -> new OracleMapping();
    };
  }

  /** Whether any staged row meets a SQL condition over the stage's columns. */
  private static boolean anyRow(DuckDBConnection c, String condition) {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + STAGE + " WHERE " + condition + ")")) {
      rs.next();
      return rs.getBoolean(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot look at the staged file: " + e.getMessage(), e);
    }
  }

  private ImportOutcome earlier(DuckDBConnection c, String tenant, String sha256, String label, CostFormat format)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id, focus_version, billed_total, cost_basis FROM cost_imports WHERE tenant = ? AND "
        + "sha256 = ?")) {
      ps.setString(1, tenant);
      ps.setString(2, sha256);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new ImportOutcome(label, format, rs.getString(2), rs.getLong(1), 0, rs.getBigDecimal(3),
            true, Map.of(), ImportOutcome.Replaced.NONE, ImportOutcome.Rounded.NONE,
            CostBasis.parse(rs.getString(4)));
      }
    }
  }

  private static void stage(DuckDBConnection c, Path file, String label, FileKind kind) throws SQLException {
    String path = Sql.literal(file.toAbsolutePath().toString());
    dropStage(c);
    if (kind == FileKind.JSON) {
      // Each object is kept whole as JSON text in one column, _object; the mapping reads its nested fields.
      execute(c, label, kind, "CREATE TEMP TABLE " + STAGE + " AS SELECT json AS _object FROM read_json_objects("
          + path + ", format = 'auto')");
      return;
    }
    if (kind == FileKind.PARQUET) {
      execute(c, label, kind, "CREATE TEMP TABLE " + STAGE + " AS SELECT * FROM read_parquet(" + path + ")");
      return;
    }
    // The header is read first and the columns are given to the reader, without sniffing: a sniffer that meets a
    // ragged row gives up with "Error when sniffing file" and no line, whereas a reader told the columns records every
    // row that does not fit them, with its line, in the rejects table.
    List<String> header = header(c, file, path, label, kind);
    String columns = header.stream().map(h -> Sql.literal(h) + ": 'VARCHAR'")
        .collect(Collectors.joining(", ", "{", "}"));
    execute(c, label, kind, "CREATE TEMP TABLE " + STAGE + " AS SELECT * FROM " + csvReader(path, kind)
        + ", header = true, columns = " + columns + ", nullstr = ['NULL', ''], store_rejects = true, rejects_table = '"
        + REJECTS + "', rejects_scan = '" + REJECT_SCANS + "')");
    refuseRagged(c, label, header);
  }

  private static String csvReader(String path, FileKind kind) {
    return "read_csv(" + path + ", auto_detect = false, delim = ',', quote = '\"', escape = '\"', encoding = 'utf-8'"
        + ", max_line_size = " + MAX_LINE_BYTES + (kind == FileKind.GZIP_CSV ? ", compression = 'gzip'" : "");
  }

  private static void execute(DuckDBConnection c, String label, FileKind kind, String sql) {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      // DuckDB's reader refused the file as a whole (bad encoding, not gzip after all, not Parquet).
      String why = firstLine(e.getMessage());
      throw new TallyException(ErrorCode.INVALID_INPUT, label + ": cannot be read as " + kind.describe()
          + "; nothing was imported from this file", List.of(Problem.of("file", why, label)), e);
    }
  }

  /**
   * The header's names, read by DuckDB's reader as the first row of a file of as many columns as the first line has
   * commas plus one (an upper bound: a quoted comma makes one column fewer, which comes back as padding). An empty
   * name becomes {@code columnN} (its position) and a repeated one gets {@code _2}, {@code _3}..., as DuckDB's sniffer
   * names them.
   */
  private static List<String> header(DuckDBConnection c, Path file, String path, String label, FileKind kind)
      throws SQLException {
    int fields = firstLineCommas(file, label, kind) + 1;
    StringBuilder cols = new StringBuilder("{");
    for (int i = 0; i < fields; i++) {
      cols.append(i == 0 ? "" : ", ").append("'c").append(i).append("': 'VARCHAR'");
    }
    cols.append('}');
    List<String> names = new ArrayList<>();
    // A value that no file holds stands for "no value", so that padding (null) and an empty name ('') differ.
    // Serial, because the parallel reader cannot pad rows when values hold line breaks; later rows that do not fit
    // are set aside (they are reported by the real read), and only a header set aside is an error here.
    String sql = "SELECT * FROM " + csvReader(path, kind) + ", header = false, columns = " + cols
        + ", null_padding = true, nullstr = '\u0001', parallel = false, store_rejects = true, rejects_table = '"
        + PROBE_REJECTS + "', rejects_scan = '" + PROBE_SCANS + "') LIMIT 1";
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      boolean any = rs.next();
      try (Statement st2 = c.createStatement(); ResultSet bad = st2.executeQuery("SELECT error_message FROM "
          + PROBE_REJECTS + " WHERE line = 1 LIMIT 1")) {
        if (bad.next()) {
          throw TallyException.invalid(label + ": its header (line 1) cannot be read as CSV; nothing was imported "
              + "from this file", List.of(Problem.of("header", firstLine(bad.getString(1))).atLine(1)));
        }
      }
      if (!any) {
        throw TallyException.invalid(label + ": is empty; a bill has at least its header",
            List.of(Problem.of("file", "is empty: a bill has at least its header", label)));
      }
      int last = fields;
      while (last > 1 && rs.getString(last) == null) {
        last--;
      }
      Set<String> seen = new HashSet<>();
      for (int i = 1; i <= last; i++) {
        String n = rs.getString(i);
        String name = n == null || n.isBlank() ? "column" + i : n.strip();
        String unique = name;
        for (int k = 2; !seen.add(unique.toLowerCase(Locale.ROOT)); k++) {
          unique = name + "_" + k;
        }
        names.add(unique);
      }
    } catch (SQLException e) {
      String why = firstLine(e.getMessage());
      throw new TallyException(ErrorCode.INVALID_INPUT, label + ": cannot be read as " + kind.describe()
          + "; nothing was imported from this file", List.of(Problem.of("file", "line 1 (the header): " + why, label)),
          e);
    }
    return names;
  }

  /** The commas on the file's first line (decompressed when gzip), read up to {@value #MAX_LINE_BYTES} bytes. */
  private static int firstLineCommas(Path file, String label, FileKind kind) {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = kind == FileKind.GZIP_CSV ? new java.util.zip.GZIPInputStream(raw) : raw) {
      int commas = 0;
      for (long i = 0; i < MAX_LINE_BYTES; i++) {
        int b = in.read();
        if (b < 0 || b == '\n') {
          break;
        }
        commas += b == ',' ? 1 : 0;
      }
      return commas;
    } catch (IOException e) {
      throw TallyException.invalid(label + ": cannot be read as " + kind.describe()
          + "; nothing was imported from this file", List.of(Problem.of("file", String.valueOf(e.getMessage()),
          label)));
    }
  }

  /**
   * Refuses the file if DuckDB's reader set any line aside: a row with fewer or more fields than the header, a quote
   * that is never closed, bytes that are not UTF-8 (DuckDB records a short row once per missing column: a line is
   * reported once). Every such line is listed (up to {@value #MAX_PROBLEMS}, all
   * counted) with what was expected.
   */
  private static void refuseRagged(DuckDBConnection c, String label, List<String> header) throws SQLException {
    long total;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(DISTINCT line) FROM " + REJECTS)) {
      rs.next();
      total = rs.getLong(1);
    }
    if (total == 0) {
      return;
    }
    List<Problem> problems = new ArrayList<>();
    boolean allShortByOne = true;
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT line, "
        + "min_by(error_type, column_idx), min_by(error_message, column_idx), min_by(csv_line, column_idx) FROM " + REJECTS + " GROUP BY line"
        + " ORDER BY line LIMIT " + MAX_PROBLEMS)) {
      while (rs.next()) {
        String type = rs.getString(2);
        String message = rs.getString(3);
        java.util.regex.Matcher m = FIELD_COUNTS.matcher(String.valueOf(message));
        String what;
        if (m.find() && ("MISSING COLUMNS".equals(type) || "TOO MANY COLUMNS".equals(type))) {
          int found = Integer.parseInt(m.group(2));
          allShortByOne &= found == header.size() - 1;
          what = "has " + found + " field" + (found == 1 ? "" : "s") + " where the header (line 1) has "
              + header.size();
        } else {
          allShortByOne = false;
          what = "UNQUOTED VALUE".equals(type) ? "has a quote that is not closed (or text after a closing quote)"
              : "INVALID UNICODE".equals(type) ? "is not UTF-8 text" : "cannot be read: " + message;
        }
        problems.add(Problem.of("row", what, rs.getString(4)).atLine(rs.getLong(1)));
      }
    }
    String hint = "";
    if (allShortByOne && header.get(header.size() - 1).equals("column" + header.size())) {
      hint = " (the header ends with an empty name: a trailing comma on line 1?)";
    } else if (allShortByOne) {
      hint = " (every one lacks the header's last column, " + header.get(header.size() - 1) + ")";
    }
    throw TallyException.invalid(label + ": " + total + " line" + (total == 1 ? " does" : "s do")
        + " not fit the header's " + header.size() + " columns" + hint + "; nothing was imported from this file",
        problems);
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
  private static void createMapped(DuckDBConnection c, SourceMapping.Mapped mapped, boolean json)
      throws SQLException {
    // A CSV's header is row 1, so its first charge is row 2; a JSON file's first object is row 1.
    String first = json ? "1" : "2";
    StringBuilder sql = new StringBuilder("CREATE TEMP VIEW " + MAPPED + " AS SELECT _src + " + first + " AS _row");
    for (FocusColumn col : FocusColumn.ALL) {
      sql.append(", ").append(mapped.expressions().getOrDefault(col.name(), "CAST(NULL AS VARCHAR)"))
          .append(" AS ").append(col.sql());
    }
    sql.append(", ").append(mapped.extra().orElse("CAST(NULL AS VARCHAR)")).append(" AS x_Extra FROM (")
        .append(mapped.source().orElse("SELECT rowid AS _src, * FROM " + STAGE)).append(")");
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
                .map(s -> Sql.literal(s.toLowerCase(Locale.ROOT))).collect(Collectors.joining(", "))
                + ")", "is not a FOCUS charge category (" + String.join(", ", col.values()) + ")"));
          }
        }
      }
    }
    return out;
  }

  /**
   * What one pass over the mapped file found: the BilledCost total, per closed column the values re-cased, and the
   * cost values rounded.
   */
  private record Survey(BigDecimal billed, Map<String, Long> normalised, ImportOutcome.Rounded rounded) {}

  /**
   * Whether a cost's text has non-zero digits past the places stored: by its digits, or, written with an exponent
   * ({@code 1.5E-13}), by comparing it at 24 places. The length test first keeps the pattern off the common short
   * values.
   */
  private static String rounded(String v) {
    String stored = FocusColumn.Type.COST.sql();
    return "(TRY_CAST(" + v + " AS " + stored + ") IS NOT NULL AND CASE WHEN strpos(lower(" + v + "), 'e') > 0 THEN"
        + " CAST(TRY_CAST(" + v + " AS " + stored + ") AS DECIMAL(38,24)) IS DISTINCT FROM TRY_CAST(" + v
        + " AS DECIMAL(38,24)) ELSE length(" + v + ") - strpos(" + v + ", '.') > 12 AND strpos(" + v + ", '.') > 0"
        + " AND regexp_matches(" + v + ", '\\.[0-9]{12}[0-9]*[1-9]') END)";
  }

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
    List<FocusColumn> costs = FocusColumn.ALL.stream().filter(col -> col.type() == FocusColumn.Type.COST).toList();
    for (FocusColumn col : costs) {
      sql.append(", count(*) FILTER (WHERE ").append(rounded(col.sql())).append(")");
    }
    // The exact change rounding made to the BilledCost total: each rounded value's lost digits, at 24 places.
    String billedText = FocusColumn.named("BilledCost").orElseThrow().sql();
    sql.append(", coalesce(sum(CAST(TRY_CAST(").append(billedText).append(" AS ").append(FocusColumn.Type.COST.sql())
        .append(") AS DECIMAL(38,24)) - TRY_CAST(").append(billedText).append(" AS DECIMAL(38,24))) FILTER (WHERE ")
        .append(rounded(billedText)).append("), 0)");
    sql.append(" FROM ").append(MAPPED);
    long bad = 0;
    Map<String, Long> roundedColumns = new LinkedHashMap<>();
    BigDecimal billedChange;
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
      int at = checks.size() + closed.size() + 2;
      for (int i = 0; i < costs.size(); i++) {
        long n = rs.getLong(at + i);
        if (n > 0) {
          roundedColumns.put(costs.get(i).name(), n);
        }
      }
      billedChange = Decimals.normalise(rs.getBigDecimal(at + costs.size()));
    }
    if (bad > 0) {
      throw refused(c, label, checks, bad);
    }
    return new Survey(billed, normalised, new ImportOutcome.Rounded(roundedColumns, billedChange));
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
      sb.append(" WHEN ").append(Sql.literal(value.toLowerCase(Locale.ROOT)))
          .append(" THEN ").append(Sql.literal(value));
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
      st.execute("DROP TABLE IF EXISTS " + REJECTS);
      st.execute("DROP TABLE IF EXISTS " + REJECT_SCANS);
      st.execute("DROP TABLE IF EXISTS " + PROBE_REJECTS);
      st.execute("DROP TABLE IF EXISTS " + PROBE_SCANS);
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
    PARQUET,
    JSON;

    static FileKind of(Path file) {
      byte[] head = new byte[64];
      int n;
      try (InputStream in = Files.newInputStream(file)) {
        n = in.readNBytes(head, 0, head.length);
      } catch (IOException e) {
        throw TallyException.invalid(Problem.of("file", "cannot be read: " + e.getMessage(), file.toString()));
      }
      if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
        return GZIP_CSV;
      }
      if (n >= 4 && head[0] == 'P' && head[1] == 'A' && head[2] == 'R' && head[3] == '1') {
        return PARQUET;
      }
      // JSON (an array of objects or one object per line) starts with a bracket or a brace, after any BOM and blanks.
      for (int i = 0; i < n; i++) {
        int b = head[i] & 0xff;
        if (b == '{' || b == '[') {
          return JSON;
        }
        if (!(b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == 0xef || b == 0xbb || b == 0xbf)) {
          break;
        }
      }
      return CSV;
    }

    String describe() {
      return switch (this) {
        case CSV -> "CSV";
        case GZIP_CSV -> "gzip-compressed CSV";
        case PARQUET -> "Parquet";
        case JSON -> "JSON";
      };
    }
  }
}
