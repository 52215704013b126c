package dev.tally.server;

import io.javalin.http.Context;
import java.util.concurrent.atomic.AtomicLong;

/** A short id per request, in the access log and in every problem's {@code instance}, to match the two. */
final class RequestIds {
  private static final String ATTRIBUTE = "tally.requestId";
  private static final AtomicLong NEXT = new AtomicLong();
  // Distinguishes runs, so ids from two server lifetimes in one log do not collide.
  private static final String RUN = Long.toString(System.nanoTime() & 0xFFFFF, 36);

  private RequestIds() {}

  static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    if (id == null) {
      id = RUN + "-" + NEXT.incrementAndGet();
      ctx.attribute(ATTRIBUTE, id);
    }
    return id;
  }
}
