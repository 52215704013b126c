package dev.tally.server.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Problem;
import dev.tally.core.json.Json;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Reading request bodies within a size limit, and their media types. */
public final class Bodies {
  /** Bodies of requests other than ingestion (meters, queries, tokens) are small. */
  public static final long SMALL_BODY = 1 << 20;

  private Bodies() {}

  /** The body's bytes; 413 if it is, or says it is, larger than {@code max}, before reading more than that. */
  public static byte[] read(Context ctx, long max) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > max) {
      throw tooLarge(max);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > max) {
          throw tooLarge(max);
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      // Reading fails when the client's transfer is broken (a malformed chunk size, a connection cut mid-body): the
      // request's fault, and nothing of it was used.
      throw HttpProblem.badRequest("the request body could not be read; nothing was stored",
          List.of(Problem.of("body", "could not be read: " + (e.getMessage() == null ? e.getClass().getSimpleName()
              : e.getMessage()))));
    }
  }

  /**
   * Reads and discards what is left of a request's body, up to {@code max} bytes; if more is left, or it cannot be
   * read, the answer carries {@code Connection: close} so that no client reuses the connection.
   */
  public static void drainUnread(Context ctx, long max) {
    try {
      InputStream in = ctx.req().getInputStream();
      byte[] buf = new byte[16 * 1024];
      long left = max;
      int n;
      while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
        left -= n;
      }
      if (left <= 0 && in.read() >= 0) {
        ctx.header("Connection", "close");
      }
    } catch (IOException | RuntimeException e) {
      ctx.header("Connection", "close");
    }
  }

  /**
   * Checks that a body is valid UTF-8, as JSON must be (RFC 8259). A lenient decoder would turn a bad sequence into
   * U+FFFD, so that two different ids could be stored as one; a strict one names the first bad byte instead.
   */
  public static void requireUtf8(byte[] body) {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    CharBuffer out = CharBuffer.allocate(8192);
    while (true) {
      CoderResult r = d.decode(in, out, true);
      if (r.isError()) {
        throw HttpProblem.badRequest("the body is not valid UTF-8; nothing was stored",
            List.of(Problem.of("body", "is not valid UTF-8: " + r.length() + " bad byte(s) at byte offset "
                + in.position() + " (JSON text must be UTF-8)")));
      }
      if (r.isUnderflow()) {
        CoderResult f = d.flush(out);
        if (f.isOverflow()) {
          out.clear();
          continue;
        }
        return;
      }
      out.clear();
    }
  }

  private static HttpProblem tooLarge(long max) {
    return new HttpProblem(413, "payload-too-large", "the request body is over the limit of " + max + " bytes",
        List.of(Problem.of("body", "is over the limit of " + max + " bytes; send fewer events per request")),
        java.util.Map.of());
  }

  /** The media type without parameters, lower-case; empty if absent. */
  public static String mediaType(Context ctx) {
    String ct = ctx.header("Content-Type");
    if (ct == null) {
      return "";
    }
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /** A small JSON body (an object), or 400/415 saying what is wrong with it. */
  public static JsonNode jsonObject(Context ctx) {
    String type = mediaType(ctx);
    if (!type.equals("application/json")) {
      throw new HttpProblem(415, "unsupported-media-type", "send this body as application/json",
          List.of(Problem.of("Content-Type", "must be application/json", type.isEmpty() ? "(none)" : type)),
          java.util.Map.of());
    }
    byte[] body = read(ctx, SMALL_BODY);
    requireUtf8(body);
    JsonNode node;
    try {
      node = Json.json().readTree(body);
    } catch (JsonProcessingException e) {
      throw HttpProblem.badRequest("the body is not valid JSON",
          List.of(Problem.of("body", "is not valid JSON: " + e.getOriginalMessage())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (node == null || !node.isObject()) {
      throw HttpProblem.badRequest("the body must be a JSON object",
          List.of(Problem.of("body", "must be a JSON object")));
    }
    return node;
  }
}
