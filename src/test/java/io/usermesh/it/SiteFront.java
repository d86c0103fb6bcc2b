package io.usermesh.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

/**
 * A server in front of one test-bed site, for tests that watch or bend what reaches the site. It
 * listens on the site's own loopback address (another port), so Debian's per-host WordPress config
 * still matches the Host header, and serves each client connection on a thread of its own.
 */
abstract class SiteFront implements AutoCloseable {

    /** The site's address, which the front listens on too. */
    final InetAddress address;
    /** The site's own port. */
    final int targetPort;
    private final ServerSocket server;
    private volatile boolean running = true;

    SiteFront(String siteUrl, String name) throws IOException {
        URI site = URI.create(siteUrl);
        this.address = InetAddress.getByName(site.getHost());
        this.targetPort = site.getPort();
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(address, 0), 50);
        Thread acceptor = new Thread(this::acceptLoop, name + "-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The URL a runner is given instead of the site's. */
    String url() {
        return "http://" + address.getHostAddress() + ":" + server.getLocalPort();
    }

    boolean running() {
        return running;
    }

    /** A client connection just accepted; by default nothing to do. */
    void accepted() {
    }

    /** Serves one client connection, until it ends. */
    abstract void serve(Socket client);

    private void acceptLoop() {
        while (running) {
            try {
                Socket client = server.accept();
                accepted();
                Thread t = new Thread(() -> serve(client));
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
    }
}
