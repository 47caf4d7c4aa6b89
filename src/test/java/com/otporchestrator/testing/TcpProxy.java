package com.otporchestrator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain TCP forwarder on a fixed local port, to make a real store unreachable and back: {@link #cut()}
 * closes the listener and every open connection (clients see resets, then refused connections),
 * {@link #restore()} listens again on the same port. {@link #stall()} keeps every connection open but forwards nothing
 * (a peer that hangs: requests get no answer until {@link #resume()}).
 */
public final class TcpProxy implements AutoCloseable {
  private final int port;
  private final String targetHost;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
  private volatile ServerSocket listener;
  private volatile boolean stalled;

  public TcpProxy(String targetHost, int targetPort) {
    this.port = TestNode.freePort();
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    restore();
  }

  public int port() {
    return port;
  }

  public synchronized void restore() {
    if (listener != null) return;
    try {
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      listener = server;
      Thread.ofVirtual().name("proxy-accept-" + port).start(() -> accept(server));
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on " + port, e);
    }
  }

  /** From now on nothing is forwarded either way, on open connections and new ones, until {@link #resume()}. */
  public void stall() {
    stalled = true;
  }

  public void resume() {
    stalled = false;
  }

  /** Client connections accepted and not closed yet (by either side). */
  public int openConnections() {
    return open.get();
  }

  public synchronized void cut() {
    ServerSocket server = listener;
    listener = null;
    closeQuietly(server);
    sockets.forEach(TcpProxy::closeQuietly);
    sockets.clear();
  }

  private void accept(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(targetHost, targetPort);
        sockets.add(client);
        sockets.add(upstream);
        open.incrementAndGet();
        java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean(true);
        Runnable closed = () -> {
          if (counted.getAndSet(false)) open.decrementAndGet();
        };
        Thread.ofVirtual().start(() -> pump(client, upstream, closed));
        Thread.ofVirtual().start(() -> pump(upstream, client, closed));
      } catch (IOException e) {
        // listener closed, or the target refused: the client's socket is dropped
      }
    }
  }

  private void pump(Socket from, Socket to, Runnable closed) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        while (stalled) Thread.sleep(10);
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
      closed.run();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) return;
    try {
      closeable.close();
    } catch (Exception ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    cut();
  }
}
