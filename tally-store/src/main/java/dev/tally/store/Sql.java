package dev.tally.store;

/**
 * Quoting for the few places where SQL text must hold a value or a name that cannot be a bound parameter (DuckDB's
 * file readers' arguments, column names from a user's mapping, settings). Everything else binds its values.
 */
public final class Sql {
  private Sql() {}

  /** A string literal: {@code it's} becomes {@code 'it''s'}. */
  public static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** A quoted identifier: {@code a"b} becomes {@code "a""b"}, so any column name reads as itself. */
  public static String identifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
