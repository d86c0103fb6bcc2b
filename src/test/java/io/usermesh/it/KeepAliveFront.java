package io.usermesh.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A keep-alive front for one test-bed site, as a web server before php-fpm would be: it keeps the
 * client's connection open across requests, and hands each request to the site's PHP server (which
 * closes every connection) on a connection of its own. It counts the TCP connections clients open to
 * it and the requests they send, so a test can see whether usermesh reuses its connections.
 */
final class KeepAliveFront extends SiteFront {

    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    KeepAliveFront(String siteUrl) throws IOException {
        super(siteUrl, "keep-alive-front");
    }

    /** TCP connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** Requests received so far, over all connections. */
    int requests() {
        return requests.get();
    }

    @Override
    void accepted() {
        connections.incrementAndGet();
    }

    /** Requests one after the other on one client connection, until the client closes it or asks to. */
    @Override
    void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (running()) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                requests.incrementAndGet();
                if (header(head, "transfer-encoding") != null) {
                    throw new IOException("a chunked request body: not relayed by this front");
                }
                String length = header(head, "content-length");
                byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length.trim()));
                out.write(relay(withHeader(head, "Connection", "close"), body));
                out.flush();
                if ("close".equalsIgnoreCase(String.valueOf(header(head, "connection")).trim())) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or the site did: the connection ends
        }
    }

    /** One request on a new connection to the site; its answer, rewritten to keep the client's connection. */
    private byte[] relay(String head, byte[] body) throws IOException {
        try (Socket site = new Socket(address, targetPort)) {
            OutputStream up = site.getOutputStream();
            up.write(head.getBytes(StandardCharsets.ISO_8859_1));
            up.write(body);
            up.flush();
            byte[] answer = site.getInputStream().readAllBytes(); // the PHP server closes when done
            int split = indexOf(answer, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (split < 0) {
                throw new IOException("the site's answer has no end of headers");
            }
            String answerHead = new String(answer, 0, split + 2, StandardCharsets.ISO_8859_1);
            byte[] answerBody = java.util.Arrays.copyOfRange(answer, split + 4, answer.length);
            if ("chunked".equalsIgnoreCase(String.valueOf(header(answerHead, "transfer-encoding")).trim())) {
                answerBody = dechunk(answerBody);
            }
            StringBuilder rewritten = new StringBuilder();
            for (String line : answerHead.split("\r\n")) {
                String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT)
                        : "";
                if (!name.equals("connection") && !name.equals("content-length") && !name.equals("transfer-encoding")
                        && !name.equals("keep-alive")) {
                    rewritten.append(line).append("\r\n");
                }
            }
            rewritten.append("Content-Length: ").append(answerBody.length).append("\r\nConnection: keep-alive\r\n\r\n");
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
            all.write(answerBody);
            return all.toByteArray();
        }
    }

    /** The request line and headers, up to and including the blank line; null at the end of the stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1
                    : b == '\r' ? 1 : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1);
            }
        }
        return null;
    }

    /** The head with this header set (replacing any of that name). */
    private static String withHeader(String head, String name, String value) {
        StringBuilder out = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                continue;
            }
            out.append(line).append("\r\n");
        }
        return out.append(name).append(": ").append(value).append("\r\n\r\n").toString();
    }

    private static byte[] dechunk(byte[] chunked) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int eol = indexOf(java.util.Arrays.copyOfRange(chunked, at, chunked.length), "\r\n".getBytes(
                    StandardCharsets.ISO_8859_1));
            if (eol < 0) {
                throw new IOException("a chunk without its size line");
            }
            String size = new String(chunked, at, eol, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int n = Integer.parseInt(size, 16);
            at += eol + 2;
            if (n == 0) {
                return out.toByteArray();
            }
            out.write(chunked, at, n);
            at += n + 2;
        }
    }

    private static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= data.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

}
