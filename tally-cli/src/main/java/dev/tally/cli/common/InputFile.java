package dev.tally.cli.common;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The FILE argument of the commands that apply a declaration file ({@code meters apply}, {@code catalog apply}). */
public final class InputFile {
  private InputFile() {}

  /** The file's text, UTF-8; a file that cannot be read is the user's problem, named FILE. */
  public static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw TallyException.invalid(Problem.of("FILE", "cannot be read: " + e.getMessage(), file.toString()));
    }
  }
}
