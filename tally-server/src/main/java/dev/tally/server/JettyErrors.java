package dev.tally.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives itself, before a request reaches Tally's routes (an illegal URI such as one holding
 * {@code %00}, headers over the size limit, a malformed request line), in the same problem+json shape as every other
 * error, and with {@code Connection: close}: Jetty closes such a connection after answering, and a client told so
 * opens a new one instead of sending its next request into a closed socket.
 */
final class JettyErrors extends ErrorHandler {
  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemResponses.MEDIA_TYPE);
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(body(code, message)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, ProblemResponses.MEDIA_TYPE));
    fields.put(new HttpField(HttpHeader.CONNECTION, "close"));
    return ByteBuffer.wrap(body(status, reason));
  }

  private static byte[] body(int status, String message) {
    ObjectNode n = Json.json().createObjectNode();
    n.put("type", ProblemResponses.TYPE_BASE + (status >= 500 ? "internal" : "bad-request"));
    String reason = HttpStatus.getMessage(status);
    n.put("title", reason == null ? "HTTP " + status : reason);
    n.put("status", status);
    n.put("detail", "the request was refused before it reached Tally: " + (message == null || message.isBlank()
        ? reason : message) + "; nothing was stored");
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }
}
