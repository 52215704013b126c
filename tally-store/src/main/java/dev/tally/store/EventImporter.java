package dev.tally.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.Event;
import dev.tally.api.IngestResult;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.events.DecodedEvent;
import dev.tally.core.events.EventDecoder;
import dev.tally.core.json.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Imports event files: NDJSON or a JSON array of CloudEvents, and CSV or Parquet with a column mapping.
 *
 * <p>A file is one unit: by default, if any row is bad, nothing of the file is stored and every problem is reported
 * with its line (NDJSON, JSON arrays) or row (CSV: the line number, counting the header as line 1; Parquet: the row
 * number from 1). With {@code skipInvalid}, bad rows are left out and written with their reasons to a side file, and
 * the rest is stored. Re-importing a file is a no-op: every event is a duplicate.
 *
 * <p>CSV and Parquet are read by DuckDB itself. The mapping names the columns that hold {@code id}, {@code source},
 * {@code type}, {@code subject} and {@code time} ({@code key=column}); a value in single quotes is a constant for every
 * row ({@code type='storage.sample'}). Every other column becomes a property of {@code data}, a string for CSV and a
 * typed value for Parquet.
 */
public final class EventImporter {
  /** Most problems kept in memory and reported; the count goes on past it. */
  public static final int MAX_PROBLEMS_REPORTED = 1000;

  /** The event attributes a CSV or Parquet mapping may name. */
  public static final Set<String> MAPPABLE = Set.of("id", "source", "type", "subject", "time", "datacontenttype",
      "dataschema");

  /**
   * The field a mapping problem names: {@code mapping.subject} for the subject's column. The CLI prints it as the
   * flag that gave it ({@code --map subject}).
   */
  public static final String MAPPING = "mapping.";
  private static final Set<String> REQUIRED_MAPPING = Set.of("id", "source", "type", "subject");

  private final TallyStore store;

  EventImporter(TallyStore store) {
    this.store = store;
  }

  /** A file format. AUTO decides by extension ({@code .csv}, {@code .parquet}; anything else is JSON). */
  public enum Format {
    AUTO,
    JSON,
    CSV,
    PARQUET;

    public static Format of(Path file) {
      String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (n.endsWith(".csv") || n.endsWith(".csv.gz") || n.endsWith(".tsv")) {
        return CSV;
      }
      if (n.endsWith(".parquet")) {
        return PARQUET;
      }
      return JSON;
    }
  }

  /** Told how an import is going, for progress bars. */
  @FunctionalInterface
  public interface Progress {
    /**
     * @param events events read so far
     * @param bytes bytes read so far, or -1 if unknown
     * @param totalBytes the file's size, or -1 if unknown
     */
    void update(long events, long bytes, long totalBytes);
  }

  /**
   * How to import.
   *
   * @param tenant whose events these are
   * @param format the file format
   * @param mapping for CSV and Parquet: event attribute to column (or {@code 'constant'})
   * @param skipInvalid store the good rows and write the bad ones to {@code rejectsFile}
   * @param rejectsFile where bad rows go with {@code skipInvalid} (default: the file's name plus {@code .rejected.ndjson})
   * @param progress told of progress now and then
   */
  public record Options(String tenant, Format format, Map<String, String> mapping, boolean skipInvalid,
      Optional<Path> rejectsFile, Optional<Progress> progress) {
    public Options {
      TallyStore.checkTenant(tenant);
      requireNonNull(format, "format is null");
      mapping = Map.copyOf(mapping);
      requireNonNull(rejectsFile, "rejectsFile is null");
      requireNonNull(progress, "progress is null");
    }

    public static Options of(String tenant) {
      return new Options(tenant, Format.AUTO, Map.of(), false, Optional.empty(), Optional.empty());
    }
  }

  /**
   * What an import did.
   *
   * @param file the file
   * @param result read, stored, duplicates, rejected
   * @param committed whether anything was stored
   * @param problems the problems found (at most {@link #MAX_PROBLEMS_REPORTED})
   * @param rejectsFile where rejected rows were written, if any were
   * @param bulk whether the file went through the one-pass SQL path (DuckDB's reader, checks and insert in SQL)
   *     rather than event by event through the decoder
   */
  public record Report(Path file, IngestResult result, boolean committed, List<Problem> problems,
      Optional<Path> rejectsFile, boolean bulk) {
    public Report {
      problems = List.copyOf(problems);
    }
  }

  /** Imports one file. Throws {@link TallyException} for an unreadable file or a bad mapping; bad rows are reported. */
  public Report importFile(Path file, Options options) {
    if (!Files.isRegularFile(file)) {
      throw TallyException.invalid(Problem.of("file", "does not exist or is not a regular file", file.toString()));
    }
    Format format = options.format() == Format.AUTO ? Format.of(file) : options.format();
    Optional<Report> fast = importBulk(file, format, options);
    if (fast.isPresent()) {
      return fast.get();
    }
    Path rejectsPath = options.rejectsFile()
        .orElse(file.resolveSibling(file.getFileName() + ".rejected.ndjson"));
    Rejects rejects = new Rejects(options.skipInvalid() ? rejectsPath : null);
    try (rejects) {
      EventIngestor.EventStream stream = switch (format) {
        case JSON -> sink -> feedJson(file, sink, rejects, options);
        case CSV, PARQUET -> sink -> feedTable(file, format, sink, rejects, options);
        case AUTO -> throw new IllegalStateException("format resolved above");
      };
      EventIngestor.StreamOutcome outcome =
          store.ingestor().ingestStream(options.tenant(), store.clock().instant(), stream, options.skipInvalid());
      for (Problem p : outcome.valueProblems()) {
        rejects.add(p.index().orElse(0), p.atLine(p.index().orElse(0)), null);
      }
      IngestResult r = outcome.result();
      long envelopeRejected = rejects.count() - outcome.valueProblems().stream()
          .mapToLong(p -> p.index().orElse(0)).distinct().count();
      IngestResult result;
      if (outcome.committed()) {
        result = new IngestResult(r.read() + envelopeRejected, r.stored(), r.duplicates(), r.rejected() + envelopeRejected);
      } else {
        long read = r.read() + envelopeRejected;
        result = new IngestResult(read, 0, 0, read);
      }
      List<Problem> problems = new ArrayList<>(rejects.problems());
      problems.sort(java.util.Comparator.comparingLong(p -> p.line().orElse(0)));
      return new Report(file, result, outcome.committed(), problems,
          options.skipInvalid() && rejects.count() > 0 ? Optional.of(rejectsPath) : Optional.empty(), false);
    } catch (IOException e) {
      throw new TallyException(ErrorCode.INVALID_INPUT, "cannot write rejects file " + rejectsPath + ": " + e, e);
    }
  }

  /**
   * The fast path: the whole file read by DuckDB's own reader, checked by SQL and stored by set-based SQL in one
   * transaction (see {@link BulkSql}, {@link EventIngestor#ingestBulk}). Empty when the file needs the exact path: a
   * JSON array, a file name DuckDB would read as a glob, any line the checks do not accept, any value that does not
   * fit a meter. The exact path then reads the file again and reports every problem with its line, as it always has.
   */
  private Optional<Report> importBulk(Path file, Format format, Options options) throws TallyException {
    String path = file.toAbsolutePath().toString();
    if (path.chars().anyMatch(ch -> "*?[]{}".indexOf(ch) >= 0)) {
      return Optional.empty();
    }
    String select;
    if (format == Format.JSON) {
      if (!startsWithObject(file)) {
        return Optional.empty();
      }
      long tooLong = store.read(c -> {
        try (java.sql.Statement st = c.createStatement(); ResultSet rs = st.executeQuery(BulkSql.linesOverLimit(path))) {
          rs.next();
          return rs.getLong(1);
        } catch (SQLException e) {
          return -1L;
        }
      });
      if (tooLong != 0) {
        return Optional.empty();
      }
      select = BulkSql.ndjson(path);
    } else {
      select = BulkSql.table(store.read(c -> tableSelect(c, file, format, options.mapping())));
    }
    Optional<IngestResult> r = store.ingestor().ingestBulk(options.tenant(), store.clock().instant(), select);
    r.ifPresent(result -> options.progress().ifPresent(p -> p.update(result.read(), -1, -1)));
    return r.map(result -> new Report(file, result, true, List.of(), Optional.empty(), true));
  }

  /** Whether the file's first character (after white space) opens an object: NDJSON rather than a JSON array. */
  private static boolean startsWithObject(Path file) {
    try (InputStream in = maybeGunzip(file, new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      int first;
      do {
        first = in.read();
      } while (first == ' ' || first == '\n' || first == '\r' || first == '\t');
      return first == '{';
    } catch (IOException e) {
      return false;
    }
  }

  /** Bad rows: kept for the report, and written to the side file when skipping. */
  private static final class Rejects implements AutoCloseable {
    private final Path path;
    private BufferedWriter out;
    private final List<Problem> problems = new ArrayList<>();
    private final Set<Long> positions = new java.util.HashSet<>();
    /** Set when the file could not be read to its end: then nothing of it may be stored, skipping or not. */
    boolean unreadable;

    Rejects(Path path) {
      this.path = path;
    }

    void add(long position, Problem problem, String raw) {
      positions.add(position);
      if (problems.size() < MAX_PROBLEMS_REPORTED) {
        problems.add(problem);
      }
      if (path == null) {
        return;
      }
      try {
        if (out == null) {
          out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        }
        ObjectNode n = Json.json().createObjectNode();
        n.put("line", position);
        n.put("field", problem.field());
        n.put("reason", problem.message());
        problem.given().ifPresent(g -> n.put("given", g));
        if (raw != null) {
          n.put("raw", raw);
        }
        out.write(n.toString());
        out.write('\n');
      } catch (IOException e) {
        throw new TallyException(ErrorCode.INVALID_INPUT, "cannot write rejects file " + path + ": " + e, e);
      }
    }

    long count() {
      return positions.size();
    }

    List<Problem> problems() {
      return problems;
    }

    @Override
    public void close() throws IOException {
      if (out != null) {
        out.close();
      }
    }
  }

  private boolean feedJson(Path file, EventIngestor.Sink sink, Rejects rejects, Options options) throws IOException {
    long total = Files.size(file);
    try (CountingStream counting = new CountingStream(Files.newInputStream(file));
        PushbackInputStream in = new PushbackInputStream(maybeGunzip(file, counting), 1)) {
      int first;
      do {
        first = in.read();
      } while (first == ' ' || first == '\n' || first == '\r' || first == '\t' || first == 0xEF || first == 0xBB
          || first == 0xBF);
      if (first < 0) {
        return true;
      }
      in.unread(first);
      Progress progress = options.progress().orElse((a, b, c) -> {});
      long[] n = {0};
      if (first == '[') {
        feedArray(in, sink, rejects, n, () -> progress.update(n[0], counting.count, total));
      } else {
        // Strict UTF-8: a lenient reader would turn a bad byte sequence into U+FFFD, so that two different ids
        // could be stored as one; a strict one stops at the line that holds it.
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        String line;
        long lineNo = 0;
        while (true) {
          try {
            line = reader.readLine();
          } catch (CharacterCodingException e) {
            // The reader reads ahead, so the bad bytes lie on the next line or, rarely, a few lines further on.
            rejects.add(lineNo + 1, Problem.of("file", "is not valid UTF-8 at or just after this line; nothing "
                + "after it was read").atLine(lineNo + 1), null);
            rejects.unreadable = true;
            break;
          }
          if (line == null) {
            break;
          }
          lineNo++;
          if (line.isBlank()) {
            continue;
          }
          accept(EventDecoder.decode(line), lineNo, line, sink, rejects);
          if ((++n[0] & 0x3FFF) == 0) {
            progress.update(n[0], counting.count, total);
          }
        }
      }
      progress.update(n[0], counting.count, total);
      return !rejects.unreadable && (options.skipInvalid() || rejects.count() == 0);
    }
  }

  private void feedArray(InputStream in, EventIngestor.Sink sink, Rejects rejects, long[] n, Runnable tick)
      throws IOException {
    try (JsonParser p = Json.json().getFactory().createParser(in)) {
      p.nextToken();
      while (true) {
        JsonToken t;
        long line;
        try {
          t = p.nextToken();
          line = p.currentTokenLocation().getLineNr();
          if (t == JsonToken.END_ARRAY || t == null) {
            break;
          }
          JsonNode node = Json.json().readTree(p);
          accept(EventDecoder.decode(node), line, node.toString(), sink, rejects);
        } catch (JsonProcessingException e) {
          // A syntax error leaves the parser nowhere to resume from: report it and stop reading this file.
          long at = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
          rejects.add(at, Problem.of("file", "is not valid JSON: " + e.getOriginalMessage()).atLine(at), null);
          rejects.unreadable = true;
          return;
        }
        if ((++n[0] & 0x3FFF) == 0) {
          tick.run();
        }
      }
    }
  }

  private static void accept(DecodedEvent d, long line, String raw, EventIngestor.Sink sink, Rejects rejects) {
    if (d.isValid()) {
      sink.accept(d.event().orElseThrow(), line);
    } else {
      for (Problem p : d.problems()) {
        rejects.add(line, p.atLine(line), raw);
      }
    }
  }

  /**
   * The SELECT that reads a CSV or Parquet file as event attributes in text ({@code id, source, type, subject, time,
   * datacontenttype, dataschema}) and a {@code data} object of every other column; throws for a bad mapping.
   */
  private static String tableSelect(java.sql.Connection c, Path file, Format format, Map<String, String> mapping) {
    List<Problem> mapProblems = new ArrayList<>();
    for (String k : mapping.keySet()) {
      if (!MAPPABLE.contains(k)) {
        mapProblems.add(Problem.of(MAPPING + k, "is not an event attribute (expected one of " + MAPPABLE + ")"));
      }
    }
    for (String k : REQUIRED_MAPPING) {
      if (!mapping.containsKey(k)) {
        mapProblems.add(Problem.of(MAPPING + k, "is required for " + format + " files: name the column (" + k
            + "=COLUMN) or give a constant (" + k + "='VALUE')"));
      }
    }
    if (!mapProblems.isEmpty()) {
      throw TallyException.invalid("incomplete column mapping", mapProblems);
    }
    String path = Sql.literal(file.toAbsolutePath().toString());
    String reader = format == Format.CSV
        ? "read_csv(" + path + ", header = true, all_varchar = true)"
        : "read_parquet(" + path + ")";
    Map<String, String> types = new LinkedHashMap<>();
    try (ResultSet rs = c.createStatement().executeQuery("DESCRIBE SELECT * FROM " + reader)) {
      while (rs.next()) {
        types.put(rs.getString(1), rs.getString(2));
      }
    } catch (SQLException e) {
      throw TallyException.invalid(Problem.of("file", "cannot be read as " + format + ": " + e.getMessage(),
          file.toString()));
    }
    List<Problem> missing = new ArrayList<>();
    for (Map.Entry<String, String> e : mapping.entrySet()) {
      if (!isConstant(e.getValue()) && !types.containsKey(e.getValue())) {
        missing.add(Problem.of(MAPPING + e.getKey(), "names a column the file does not have (it has: "
            + String.join(", ", types.keySet()) + ")", e.getValue()));
      }
    }
    if (!missing.isEmpty()) {
      throw TallyException.invalid("the mapping names missing columns", missing);
    }
    // DuckDB does the per-row work: attributes come out as text (timestamps as RFC 3339 in UTC; a column
    // without a zone is read as UTC) and every unmapped column is folded into the data object by to_json.
    List<String> select = new ArrayList<>();
    for (String attr : List.of("id", "source", "type", "subject", "time", "datacontenttype", "dataschema")) {
      String m = mapping.get(attr);
      if (m == null) {
        select.add("NULL");
      } else if (isConstant(m)) {
        select.add(Sql.literal(constant(m)));
      } else if (types.get(m).startsWith("TIMESTAMP")) {
        select.add("strftime(" + Sql.identifier(m) + "::TIMESTAMP, '%Y-%m-%dT%H:%M:%S.%fZ')");
      } else {
        select.add(Sql.identifier(m) + "::VARCHAR");
      }
    }
    Set<String> mappedColumns = new java.util.HashSet<>();
    mapping.values().stream().filter(v -> !isConstant(v)).forEach(mappedColumns::add);
    List<String> dataFields = new ArrayList<>();
    for (String col : types.keySet()) {
      if (!mappedColumns.contains(col)) {
        dataFields.add(Sql.literal(col) + ": " + Sql.identifier(col));
      }
    }
    select.add(dataFields.isEmpty() ? "'{}'" : "to_json({" + String.join(", ", dataFields) + "})::VARCHAR");
    return "SELECT " + String.join(", ", select) + " FROM " + reader;
  }

  private boolean feedTable(Path file, Format format, EventIngestor.Sink sink, Rejects rejects, Options options) {
    return store.read(c -> {
      String query = tableSelect(c, file, format, options.mapping());
      Progress progress = options.progress().orElse((a, b, cc) -> {});
      long row = 0;
      try (PreparedStatement ps = c.prepareStatement(query);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          row++;
          long position = format == Format.CSV ? row + 1 : row;
          DecodedEvent d = EventDecoder.fromAttributes(rs.getString(1), rs.getString(2), rs.getString(3),
              rs.getString(4), rs.getString(5), rs.getString(8), rs.getString(6), rs.getString(7));
          accept(d, position, d.isValid() ? null : rawRow(rs), sink, rejects);
          if ((row & 0x3FFF) == 0) {
            progress.update(row, -1, -1);
          }
        }
      } catch (SQLException e) {
        throw TallyException.invalid(Problem.of("file", "cannot be read as " + format + " at row " + (row + 1) + ": "
            + e.getMessage(), file.toString()));
      }
      progress.update(row, -1, -1);
      return options.skipInvalid() || rejects.count() == 0;
    });
  }

  /** A rejected row as JSON, for the rejects file. */
  private static String rawRow(ResultSet rs) throws SQLException {
    ObjectNode n = Json.json().createObjectNode();
    String[] names = {"id", "source", "type", "subject", "time", "datacontenttype", "dataschema", "data"};
    for (int i = 0; i < names.length; i++) {
      n.put(names[i], rs.getString(i + 1));
    }
    return n.toString();
  }

  private static boolean isConstant(String mappingValue) {
    return mappingValue.length() >= 2 && mappingValue.startsWith("'") && mappingValue.endsWith("'");
  }

  private static String constant(String mappingValue) {
    return mappingValue.substring(1, mappingValue.length() - 1);
  }

  private static InputStream maybeGunzip(Path file, InputStream in) throws IOException {
    return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
  }

  /** Counts the bytes read, for progress. */
  private static final class CountingStream extends FilterInputStream {
    volatile long count;

    CountingStream(InputStream in) {
      super(new java.io.BufferedInputStream(in, 1 << 16));
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
