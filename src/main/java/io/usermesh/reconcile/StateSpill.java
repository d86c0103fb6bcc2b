package io.usermesh.reconcile;

import io.usermesh.model.Json;
import io.usermesh.model.UserState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The listed users' states of one site, written to a temporary file as they are listed and read back
 * one at a time while planning: a reconciliation's heap then holds an index per user (see
 * {@link SiteUsers}), not the users. The file is created readable by its owner only and unlinked at
 * once (it lives as long as it is open), so nothing is left behind, even by a killed run.
 */
final class StateSpill implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;
    /** A reference packs the record's offset (high 40 bits) and length (low 24 bits). */
    private static final int LENGTH_BITS = 24;

    private final FileChannel channel;
    private final ByteBuffer pending = ByteBuffer.allocate(BUFFER);
    private long written;

    StateSpill() {
        try {
            Path file = Files.createTempFile("usermesh-reconcile-", ".states"); // rw------- on POSIX
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                Files.delete(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit(); // a system that cannot unlink an open file
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the reconciliation's temporary file", e);
        }
    }

    /** Appends a state; returns the reference that {@link #read} takes. */
    long write(UserState state) {
        byte[] bytes = Json.write(state).getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= 1 << LENGTH_BITS) {
            throw new IllegalArgumentException("a user of " + bytes.length + " bytes is too large to reconcile");
        }
        long ref = (written << LENGTH_BITS) | bytes.length;
        try {
            if (bytes.length > pending.remaining()) {
                flush();
            }
            if (bytes.length > pending.capacity()) {
                channel.write(ByteBuffer.wrap(bytes), written);
            } else {
                pending.put(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reconciliation's temporary file", e);
        }
        written += bytes.length;
        return ref;
    }

    /** Writes out what is buffered; called before the first read. */
    void flush() throws IOException {
        pending.flip();
        long at = written - pending.remaining();
        while (pending.hasRemaining()) {
            at += channel.write(pending, at);
        }
        pending.clear();
    }

    UserState read(long ref) {
        int length = (int) (ref & ((1 << LENGTH_BITS) - 1));
        long offset = ref >>> LENGTH_BITS;
        ByteBuffer bytes = ByteBuffer.allocate(length);
        try {
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, offset + bytes.position()) < 0) {
                    throw new IOException("the temporary file ends early");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the reconciliation's temporary file", e);
        }
        return Json.read(new String(bytes.array(), StandardCharsets.UTF_8), UserState.class);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
