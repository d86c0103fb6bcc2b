package io.usermesh.transfer;

/** A user file that cannot be read or written as asked; the message names the file and line. */
public final class TransferException extends RuntimeException {

    public TransferException(String message) {
        super(message);
    }

    public TransferException(String message, Throwable cause) {
        super(message, cause);
    }
}
