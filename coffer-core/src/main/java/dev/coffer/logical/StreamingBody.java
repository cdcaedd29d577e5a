package dev.coffer.logical;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body written straight to the client, never held in memory whole (a snapshot archive). Whoever
 * receives it closes it, whether or not it was written, so temp files behind it go away.
 */
public interface StreamingBody extends AutoCloseable {

    /** The Content-Type of the bytes, e.g. {@code application/gzip}. */
    String contentType();

    /** Writes the whole body; may be called at most once. Does not close {@code out}. */
    void writeTo(OutputStream out) throws IOException;

    @Override
    void close();
}
