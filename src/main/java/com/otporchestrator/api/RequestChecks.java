package com.otporchestrator.api;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.TooLongFormFieldException;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.TooManyFormFieldsException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;

/**
 * Router steps that turn a client's malformed query string or body into a 4xx before any handler reads them.
 * Vert.x decodes both lazily and throws plain runtime exceptions (a bad %-escape, a form field with no name, a
 * multipart body on a GET); without these steps they would surface as 500s from whichever handler read first.
 */
public final class RequestChecks {
  private static final String READING_BODY = "otp.readingBody";

  private RequestChecks() {}

  /** Fails the request with a 400 when its query string does not decode (a bad %-escape such as {@code %zz}). */
  public static void queryString(RoutingContext ctx) {
    try {
      ctx.request().params();
    } catch (IllegalArgumentException e) {
      ctx.fail(DomainException.invalid("the query string is malformed: " + e.getMessage()));
      return;
    }
    ctx.next();
  }

  /**
   * A body handler whose failures are the client's: any failure while it reads and decodes the body (a form the
   * decoder rejects, an unsupported charset, a multipart body on a GET) becomes a 400, or a 413 for a form field or a
   * form over the limits. Follow it with {@link #bodyRead}.
   */
  public static Handler<RoutingContext> readingBody(long limitBytes) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(limitBytes);
    return ctx -> {
      ctx.put(READING_BODY, Boolean.TRUE);
      body.handle(ctx);
    };
  }

  /** Marks the end of body reading: a later failure is the server's own. */
  public static void bodyRead(RoutingContext ctx) {
    ctx.remove(READING_BODY);
    ctx.next();
  }

  /** The failure to answer with: a failure while the body was read is turned into the client's fault. */
  static Throwable asClientFault(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (!Boolean.TRUE.equals(ctx.get(READING_BODY)) || failure == null
        || failure instanceof DomainException || failure instanceof HttpException) {
      return failure;
    }
    if (failure instanceof TooLongFormFieldException || failure instanceof TooManyFormFieldsException) {
      return new DomainException(Kind.PAYLOAD_TOO_LARGE, "the form body is over the limits: " + message(failure));
    }
    return DomainException.invalid("the request body cannot be read: " + message(failure));
  }

  private static String message(Throwable failure) {
    String message = failure.getMessage();
    if (message == null) return failure.getClass().getSimpleName();
    return message.length() > 200 ? message.substring(0, 200) + "..." : message;
  }
}
