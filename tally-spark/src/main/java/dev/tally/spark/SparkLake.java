package dev.tally.spark;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.Meter;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.core.meters.MeterDefinitions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A lake written by {@code tally export parquet}, read through Hadoop's file systems, so that the root may be a local
 * directory, {@code hdfs://} or an object store ({@code s3a://bucket/lake}) alike.
 *
 * <p>Layout: see {@code dev.tally.store.export.LakeExport}; this class knows the paths, the definitions beside the
 * data and how to read one tenant's data set.
 */
public final class SparkLake {
  private final SparkSession spark;
  private final String root;

  public SparkLake(SparkSession spark, String root) {
    this.spark = requireNonNull(spark, "spark is null");
    requireNonNull(root, "root is null");
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
  }

  public SparkSession spark() {
    return spark;
  }

  /** The tenant's meter definitions, as of the last export. */
  public List<Meter> meters(String tenant) {
    Optional<String> text = readText(root + "/definitions/tenant=" + tenant + "/meters.json");
    if (text.isEmpty()) {
      throw new TallyException(ErrorCode.NOT_FOUND, "no tenant '" + tenant + "' in the lake at " + root
          + " (no definitions/tenant=" + tenant + "/meters.json): was it exported?");
    }
    try {
      List<Meter> out = new ArrayList<>();
      for (JsonNode n : Json.json().readTree(text.get())) {
        out.add(MeterDefinitions.parseOne(n));
      }
      return out;
    } catch (IOException e) {
      throw new TallyException(ErrorCode.INVALID_INPUT, "meters.json of tenant '" + tenant + "' in " + root
          + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The meter, or the same NOT_FOUND error the store gives. */
  public Meter meter(String tenant, String slug) {
    return meters(tenant).stream().filter(m -> m.slug().equals(slug)).findFirst()
        .orElseThrow(() -> new TallyException(ErrorCode.NOT_FOUND, "no meter '" + slug + "'"));
  }

  /**
   * One meter's values for a tenant (with the partition column {@code date}), or empty if none were exported. The
   * schema is the export's, given rather than inferred, so that no Parquet footer is read before the query runs.
   */
  public Optional<Dataset<Row>> meterValues(String tenant, Meter meter) {
    String dir = root + "/meter_values/tenant=" + tenant + "/meter=" + meter.slug();
    if (!exists(dir)) {
      return Optional.empty();
    }
    StructType schema = new StructType()
        .add("seq", DataTypes.LongType)
        .add("subject", DataTypes.StringType)
        .add("ts", DataTypes.TimestampType)
        .add("value", DataTypes.createDecimalType(38, 9))
        .add("svalue", DataTypes.StringType);
    for (int i = 0; i < meter.groupBy().size(); i++) {
      schema = schema.add("g_" + i, DataTypes.StringType);
    }
    schema = schema.add("date", DataTypes.DateType);
    return Optional.of(spark.read().schema(schema).option("basePath", dir).parquet(dir));
  }

  /** One tenant's rows of a data set ({@code events}, {@code cost_charges}, ...), or empty if none were exported. */
  public Optional<Dataset<Row>> tenantData(String set, String tenant) {
    return dataset(root + "/" + set + "/tenant=" + tenant);
  }

  private Optional<Dataset<Row>> dataset(String dir) {
    if (!exists(dir)) {
      return Optional.empty();
    }
    return Optional.of(spark.read().option("basePath", dir).parquet(dir));
  }

  private Configuration hadoop() {
    return spark.sparkContext().hadoopConfiguration();
  }

  private boolean exists(String path) {
    try {
      Path p = new Path(path);
      return p.getFileSystem(hadoop()).exists(p);
    } catch (IOException e) {
      throw new TallyException(ErrorCode.UNAVAILABLE, "cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** A small text file of the lake, if it exists. */
  public Optional<String> readText(String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(hadoop());
      if (!fs.exists(p)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(p)) {
        return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new TallyException(ErrorCode.UNAVAILABLE, "cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  public String root() {
    return root;
  }
}
