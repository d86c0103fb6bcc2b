package io.usermesh.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP relay in front of one test-bed site that records the request line of every request
 * usermesh sends, so tests can count REST writes. A fault ({@link #fail}) makes it answer matching
 * requests itself, switchable at runtime.
 */
final class CountingProxy extends SiteFront {

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> faulted = new CopyOnWriteArrayList<>();
    private volatile Fault fault;

    /** A canned answer for every request whose request line contains {@code fragment}. */
    private record Fault(String fragment, String response) {
    }

    CountingProxy(String siteUrl) throws IOException {
        super(siteUrl, "counting-proxy");
    }

    /** Request lines such as "POST /wp-json/wp/v2/users/5?context=edit". */
    List<String> requests() {
        return List.copyOf(requests);
    }

    long writes() {
        return requests.stream().filter(r -> r.startsWith("POST ") || r.startsWith("PUT ")
                || r.startsWith("PATCH ") || r.startsWith("DELETE ")).count();
    }

    /**
     * From now on, answers every request whose request line contains {@code fragment} with this
     * status and JSON body itself, without passing it to the site (it is still recorded in
     * {@link #requests()}, and in {@link #faulted()}). Replaces any earlier fault.
     */
    void fail(String fragment, int status, String jsonBody) {
        byte[] body = jsonBody.getBytes(StandardCharsets.UTF_8);
        fault = new Fault(fragment, "HTTP/1.1 " + status + " Fault\r\nContent-Type: application/json; charset=UTF-8\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n" + jsonBody);
    }

    /** Relays everything to the site again. */
    void heal() {
        fault = null;
    }

    /** Request lines the fault answered. */
    List<String> faulted() {
        return List.copyOf(faulted);
    }

    /**
     * Reads the request line, records it, then either answers with the fault or relays the
     * connection to the site. PHP's built-in server closes after each response, so each connection
     * carries one request. When the site does not accept the connection, the client's is closed too.
     */
    @Override
    void serve(Socket client) {
        byte[] head;
        try {
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            InputStream in = client.getInputStream();
            String line = null;
            while (line == null) {
                int n = in.read(buffer);
                if (n < 0) {
                    client.close();
                    return;
                }
                read.write(buffer, 0, n);
                String text = read.toString(StandardCharsets.ISO_8859_1);
                int eol = text.indexOf("\r\n");
                if (eol >= 0) {
                    line = text.substring(0, eol);
                }
            }
            String request = line.lastIndexOf(' ') > 0 ? line.substring(0, line.lastIndexOf(' ')) : line;
            requests.add(request);
            head = read.toByteArray();
            Fault current = fault;
            if (current != null && request.contains(current.fragment())) {
                faulted.add(request);
                OutputStream out = client.getOutputStream();
                out.write(current.response().getBytes(StandardCharsets.UTF_8));
                out.flush();
                client.close();
                return;
            }
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        Socket upstream;
        try {
            upstream = new Socket(address, targetPort);
            upstream.getOutputStream().write(head);
            upstream.getOutputStream().flush();
        } catch (IOException siteDown) {
            closeQuietly(client);
            return;
        }
        Thread back = new Thread(() -> copy(upstream, client));
        back.setDaemon(true);
        back.start();
        copy(client, upstream);
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException closed) {
            // either side went away
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }


}
