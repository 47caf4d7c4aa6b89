package com.otporchestrator.sandbox;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** What the sandbox did, readable from any thread so tests can assert on it. */
public final class SandboxCounters {
  private final AtomicLong allocations = new AtomicLong();
  private final AtomicLong noNumbersAnswers = new AtomicLong();
  private final AtomicLongArray finishesByStatus = new AtomicLongArray(6);
  private final AtomicLong finishRepeats = new AtomicLong();
  private final AtomicLong injectedFailures = new AtomicLong();
  private final AtomicLong slowReplies = new AtomicLong();
  private final AtomicLong smsCreated = new AtomicLong();
  private final AtomicLong pushesAttempted = new AtomicLong();
  private final AtomicLong pushesAcknowledged = new AtomicLong();

  /** GET_NUMBER requests answered with a number (including replies delayed past a client's timeout). */
  public long allocations() { return allocations.get(); }

  public long noNumbersAnswers() { return noNumbersAnswers.get(); }

  /** First FINISH_ACTIVATION of an activation with this status (1, 3, 4 or 5); repeats are counted apart. */
  public long finishes(int status) {
    return status >= 0 && status < finishesByStatus.length() ? finishesByStatus.get(status) : 0;
  }

  /** FINISH_ACTIVATION of an already finished activation, answered SUCCESS again. */
  public long finishRepeats() { return finishRepeats.get(); }

  /** Requests answered with HTTP 500 on purpose. */
  public long injectedFailures() { return injectedFailures.get(); }

  public long slowReplies() { return slowReplies.get(); }

  /** SMS the sandbox decided to deliver, generated or given to {@code sendSms}. */
  public long smsCreated() { return smsCreated.get(); }

  /** PUSH_SMS requests sent, retries included. */
  public long pushesAttempted() { return pushesAttempted.get(); }

  /** PUSH_SMS requests the receiver answered with {"status":"SUCCESS"}. */
  public long pushesAcknowledged() { return pushesAcknowledged.get(); }

  void allocated() { allocations.incrementAndGet(); }
  void answeredNoNumbers() { noNumbersAnswers.incrementAndGet(); }
  void finished(int status) { finishesByStatus.incrementAndGet(status); }
  void finishRepeated() { finishRepeats.incrementAndGet(); }
  void failedOnPurpose() { injectedFailures.incrementAndGet(); }
  void repliedSlowly() { slowReplies.incrementAndGet(); }
  void createdSms() { smsCreated.incrementAndGet(); }
  void pushAttempted() { pushesAttempted.incrementAndGet(); }
  void pushAcknowledged() { pushesAcknowledged.incrementAndGet(); }
}
