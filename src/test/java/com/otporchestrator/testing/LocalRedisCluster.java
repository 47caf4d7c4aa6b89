package com.otporchestrator.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A throw-away Redis Cluster of three masters and no replicas, started from the machine's
 * {@code redis-server} and formed with {@code redis-cli --cluster create}: loopback only, free
 * ports, no persistence, one temporary directory per node. {@link #close()} kills the processes it
 * started and deletes the directories; a shutdown hook does the same if the JVM exits first.
 * Missing binaries are a failure with a clear message, never a skip: CI runs where they exist.
 */
public final class LocalRedisCluster implements AutoCloseable {
  private static final int MASTERS = 3;

  private final List<Integer> ports = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::destroy, "redis-cluster-teardown");
  private boolean closed;

  private LocalRedisCluster() {}

  /** Starts three masters and waits until every node reports {@code cluster_state:ok}. */
  public static LocalRedisCluster start() {
    String server = binary("redis-server");
    String cli = binary("redis-cli");
    LocalRedisCluster cluster = new LocalRedisCluster();
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      for (int i = 0; i < MASTERS; i++) cluster.startNode(server);
      cluster.create(cli);
      cluster.awaitOk();
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code REDIS_URL} for the service: every node, comma-separated. */
  public String url() {
    return ports.stream().map(p -> "redis://127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  public List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** Sends one command straight to the node on {@code port} and answers its reply (String, Long, List or null). */
  public Object command(int port, String... args) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      for (String arg : args) {
        byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
        request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        request.writeBytes(bytes);
        request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
      }
      out.write(request.toByteArray());
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new IllegalStateException("Redis on port " + port + ": " + e.getMessage(), e);
    }
  }

  /** The port of the master that owns {@code key}'s slot. */
  public int ownerOf(String key) {
    long slot = (Long) command(ports.get(0), "CLUSTER", "KEYSLOT", key);
    for (Object range : (List<?>) command(ports.get(0), "CLUSTER", "SLOTS")) {
      List<?> r = (List<?>) range;
      if (slot >= (Long) r.get(0) && slot <= (Long) r.get(1)) return ((Long) ((List<?>) r.get(2)).get(1)).intValue();
    }
    throw new IllegalStateException("no owner for slot " + slot);
  }

  private void startNode(String server) {
    int port = freePortPair();
    Path dir;
    try {
      dir = Files.createTempDirectory("otp-redis-cluster-" + port + "-");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a directory for Redis: " + e.getMessage(), e);
    }
    dirs.add(dir);
    ports.add(port);
    ProcessBuilder builder = new ProcessBuilder(server, "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000",
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString(),
        "--logfile", dir.resolve("redis.log").toString())
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile());
    try {
      processes.add(builder.start());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + server + ": " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        if ("PONG".equals(command(port, "PING"))) return;
      } catch (IllegalStateException notYet) {
        // still starting
      }
      if (!processes.get(processes.size() - 1).isAlive()) {
        throw new IllegalStateException("redis-server on port " + port + " exited: " + log(dir));
      }
      if (System.nanoTime() > deadline) throw new IllegalStateException("redis-server on port " + port + " did not answer PING: " + log(dir));
      pause(50);
    }
  }

  private void create(String cli) {
    List<String> command = new ArrayList<>(List.of(cli, "--cluster", "create"));
    ports.forEach(p -> command.add("127.0.0.1:" + p));
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output;
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("redis-cli --cluster create did not finish in 60 s: " + output);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed (" + process.exitValue() + "): " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cli + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every node agrees the cluster is ok and sees all three masters. */
  private void awaitOk() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = "";
    while (System.nanoTime() < deadline) {
      boolean ok = true;
      for (int port : ports) {
        last = String.valueOf(command(port, "CLUSTER", "INFO"));
        ok &= last.contains("cluster_state:ok") && last.contains("cluster_known_nodes:" + MASTERS)
            && last.contains("cluster_slots_ok:16384");
        ok &= ((List<?>) command(port, "CLUSTER", "SLOTS")).size() == MASTERS;
      }
      if (ok) return;
      pause(100);
    }
    throw new IllegalStateException("the cluster did not reach cluster_state:ok in 30 s; last CLUSTER INFO: " + last);
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    destroy();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  /** Kills exactly the processes started here, then deletes their directories. */
  private void destroy() {
    for (Process process : processes) process.destroy();
    for (Process process : processes) {
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    for (Path dir : dirs) deleteRecursively(dir);
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException ignored) {
      // best effort: it is a temporary directory
    }
  }

  /** The absolute path of {@code name} on PATH; a clear failure when it is not installed. */
  static String binary(String name) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        File candidate = new File(dir, name);
        if (candidate.isFile() && candidate.canExecute()) return candidate.getAbsolutePath();
      }
    }
    for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
      File candidate = new File(dir, name);
      if (candidate.isFile() && candidate.canExecute()) return candidate.getAbsolutePath();
    }
    throw new IllegalStateException(name + " is not installed (not on PATH, nor in /usr/bin or /usr/local/bin): "
        + "the Redis Cluster tests start a local cluster from redis-server and redis-cli (Redis 7; "
        + "e.g. apt-get install redis-server, which also installs redis-tools)");
  }

  /** A free port whose cluster bus port (+10000) is free too. */
  private static int freePortPair() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 55_000);
      if (free(port) && free(port + 10_000)) return port;
    }
    throw new IllegalStateException("no free port pair for a Redis Cluster node");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String log(Path dir) {
    try {
      Path log = dir.resolve("redis.log");
      Path stdout = dir.resolve("stdout.log");
      return (Files.exists(log) ? Files.readString(log) : "") + (Files.exists(stdout) ? Files.readString(stdout) : "");
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = readLine(in);
    return switch (type) {
      case '+' -> line;
      case '-' -> throw new IllegalStateException("Redis error: " + line);
      case ':' -> Long.parseLong(line);
      case '$' -> {
        int length = Integer.parseInt(line);
        if (length < 0) yield null;
        byte[] bytes = in.readNBytes(length);
        readLine(in);
        yield new String(bytes, StandardCharsets.UTF_8);
      }
      case '*' -> {
        int length = Integer.parseInt(line);
        if (length < 0) yield null;
        List<Object> items = new ArrayList<>(length);
        for (int i = 0; i < length; i++) items.add(read(in));
        yield items;
      }
      case -1 -> throw new IOException("connection closed");
      default -> throw new IOException("unexpected reply type " + (char) type);
    };
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\r') {
        in.read();
        break;
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
