package dev.coffer.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.barrier.BarrierView;
import dev.coffer.logical.BackendContext;
import dev.coffer.logical.BackendFactory;
import dev.coffer.logical.LogicalBackend;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A test-only engine ({@code test-kv}): PUT stores the body at the path, GET returns it. */
public final class MemoryKvFactory implements BackendFactory {
    private static final ObjectMapper M = new ObjectMapper();

    @Override
    public String type() {
        return "test-kv";
    }

    @Override
    public Kind kind() {
        return Kind.SECRET;
    }

    @Override
    public LogicalBackend create(BackendContext context) {
        BarrierView storage = context.storage();
        return request -> switch (request.operation()) {
            case CREATE, UPDATE -> put(storage, request);
            case READ -> LogicalResponse.ok(storage.get(request.relativePath()).map(MemoryKvFactory::parse)
                    .orElseThrow(() -> new CofferException.NotFound("nothing at " + request.path())));
            default -> throw new CofferException.UnsupportedOperation("test-kv supports read and write only");
        };
    }

    private static LogicalResponse put(BarrierView storage, LogicalRequest request) {
        try {
            storage.put(request.relativePath(), M.writeValueAsBytes(request.data()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return LogicalResponse.noContent();
    }

    private static ObjectNode parse(byte[] bytes) {
        try {
            return (ObjectNode) M.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
