package io.kubeobserve.router.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A TCP proxy on a loopback port in front of a server: {@link #stop()} closes the port and cuts
 * every connection mid-request, as a stopped server does (new connections are refused);
 * {@link #start()} opens the same port again. With an {@link SSLContext} it terminates TLS, so a
 * plain-HTTP server is reached over HTTPS.
 */
public final class TcpProxy implements AutoCloseable {

  private final int targetPort;
  private final SSLContext tls;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger threads = new AtomicInteger();
  private volatile ServerSocket server;
  private int port;

  public TcpProxy(int targetPort, SSLContext tls) {
    this.targetPort = targetPort;
    this.tls = tls;
  }

  public static TcpProxy start(int targetPort) {
    TcpProxy proxy = new TcpProxy(targetPort, null);
    proxy.start();
    return proxy;
  }

  public static TcpProxy startTls(int targetPort, SSLContext tls) {
    TcpProxy proxy = new TcpProxy(targetPort, tls);
    proxy.start();
    return proxy;
  }

  public int port() {
    return port;
  }

  public synchronized void start() {
    try {
      ServerSocket socket = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
      port = socket.getLocalPort();
      server = socket;
      Thread acceptor = new Thread(() -> accept(socket), "proxy-accept-" + port);
      acceptor.setDaemon(true);
      acceptor.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot open proxy port " + port, e);
    }
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        // closed, or the target refused: the client sees its connection closed
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException e) {
        // cut
      } finally {
        close(from);
        close(to);
      }
    }, "proxy-pipe-" + threads.incrementAndGet());
    thread.setDaemon(true);
    thread.start();
  }

  private void close(Socket socket) {
    sockets.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  /** Refuses new connections and cuts the open ones. */
  public synchronized void stop() {
    ServerSocket current = server;
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        // closed
      }
    }
    sockets.forEach(this::close);
  }

  @Override
  public void close() {
    stop();
  }
}
