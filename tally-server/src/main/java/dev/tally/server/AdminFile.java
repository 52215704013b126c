package dev.tally.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * How the CLI reaches a running server's admin routes: the file {@value #NAME} in the data directory, readable by
 * its owner only (0600), holding the server's loopback URL and a random admin token.
 *
 * <p>Why: DuckDB lets one process hold a store, so while {@code tally serve} runs, {@code tally key create} cannot
 * open it; it reads this file and asks the server instead. Whoever can read the data directory could read the data
 * anyway, so the file grants nothing new; the server deletes it on shutdown, and admin routes answer loopback callers
 * only.
 *
 * @param url the server's base URL on loopback
 * @param token the admin bearer token
 */
public record AdminFile(URI url, String token) {
  /** The file's name in the data directory. */
  public static final String NAME = "server-admin.json";

  public AdminFile {
    requireNonNull(url, "url is null");
    requireNonNull(token, "token is null");
  }

  /** Reads the admin file of a data directory, if there is one. */
  public static Optional<AdminFile> read(Path dataDir) {
    Path file = dataDir.resolve(NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode n = Json.json().readTree(Files.readString(file, StandardCharsets.UTF_8));
      return Optional.of(new AdminFile(URI.create(n.get("url").asText()), n.get("token").asText()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("the admin file " + file + " is unreadable (" + e.getMessage()
          + "); if no server is running, delete it", e);
    }
  }

  /** Writes this file into a data directory, owner-only, atomically. */
  void write(Path dataDir) {
    ObjectNode n = Json.json().createObjectNode();
    n.put("url", url.toString());
    n.put("token", token);
    Path file = dataDir.resolve(NAME);
    try {
      Path tmp = dataDir.resolve(NAME + ".tmp");
      Files.deleteIfExists(tmp);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(tmp);
      }
      Files.writeString(tmp, n.toString(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the admin file " + file, e);
    }
  }

  /** Deletes the admin file of a data directory if it is this one (another server may have replaced it). */
  void delete(Path dataDir) {
    try {
      if (read(dataDir).filter(this::equals).isPresent()) {
        Files.deleteIfExists(dataDir.resolve(NAME));
      }
    } catch (IOException | RuntimeException e) {
      // Nothing to clean up then; a stale file is recognised by the CLI when the server does not answer.
    }
  }
}
