package dev.tally.cli.server;

import dev.tally.server.AdminFile;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Chooses how to administer a data directory: through the running server if its admin file is there and the
 * server answers, else directly on the store (which then fails clearly if some other process holds it).
 */
final class Admins {
  private Admins() {}

  static Admin connect(Path dataDir) {
    Optional<AdminFile> file = AdminFile.read(dataDir);
    if (file.isPresent()) {
      RemoteAdmin remote = new RemoteAdmin(file.get());
      if (remote.reachable()) {
        return remote;
      }
    }
    return new LocalAdmin(dataDir);
  }
}
