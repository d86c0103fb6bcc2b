package io.usermesh.transfer;

import io.usermesh.detection.Listing;
import io.usermesh.model.UserState;
import io.usermesh.wordpress.WordPressClient;
import io.usermesh.wordpress.WpUser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes every user of a site to a file, page by page, with a progress line per page. */
public final class Exporter {

    private final WordPressClient client;
    private final PrintWriter progress;

    public Exporter(WordPressClient client, PrintWriter progress) {
        this.client = client;
        this.progress = progress;
    }

    /**
     * Returns how many users were written. The file appears only when the whole listing was read:
     * a site failing halfway leaves no partial export behind.
     */
    public int export(Path file, UserFile.Format format) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path partial = Files.createTempFile(dir, "." + file.getFileName(), ".partial");
        int[] written = {0};
        try {
            try (UserFile.Sink sink = UserFile.create(partial, format)) {
                Listing.eachPage(client, page -> {
                    for (WpUser user : page.users()) {
                        try {
                            sink.write(UserState.of(user));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        written[0]++;
                    }
                    progress.printf("export: %s page %d/%d (%d users)%n", client.site().id(), page.page(),
                            Math.max(page.totalPages(), 1), written[0]);
                    progress.flush();
                });
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return written[0];
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
