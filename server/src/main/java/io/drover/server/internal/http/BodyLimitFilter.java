package io.drover.server.internal.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Caps request bodies before they are parsed: a declared length over the cap is refused at once,
 * and a chunked body is cut off as soon as it passes the cap, so a huge upload costs the server at
 * most the cap in memory.
 */
@Provider
public final class BodyLimitFilter implements ContainerRequestFilter {
    private final long maxBytes;

    public BodyLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String declared = request.getHeaderString("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new jakarta.ws.rs.BadRequestException("Content-Length is not a number");
            }
            if (length > maxBytes) {
                throw new BodyTooLargeException(length, maxBytes);
            }
        }
        request.setEntityStream(new Limited(request.getEntityStream(), maxBytes));
    }

    /** The body passed the server's cap ({@code api.maxRequestBytes}); a 413. */
    public static final class BodyTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException(long size, long max) {
            super(
                    "request body "
                            + (size < 0 ? "is larger than" : "of " + size + " bytes is over")
                            + " the limit of "
                            + max
                            + " bytes (api.maxRequestSize); split a batch or shrink the payload");
        }
    }

    private static final class Limited extends FilterInputStream {
        private final long max;
        private long read;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > max) {
                throw new IOException(new BodyTooLargeException(-1, max));
            }
        }
    }
}
