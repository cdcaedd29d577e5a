package dev.coffer.logical.transit;

import dev.coffer.CofferException;
import dev.coffer.logical.BackendContext;
import dev.coffer.logical.LogicalBackend;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import java.util.Arrays;
import java.util.List;

/**
 * The transit secrets engine: cryptography as a service with named keys that never leave the server (unless
 * made exportable). This class only routes; the work is in the endpoint classes.
 */
public final class TransitBackend implements LogicalBackend {
    private final PolicyStore store;
    private final KeyEndpoints keys;
    private final CryptoEndpoints crypto;
    private final SigningEndpoints signing;
    private final UtilityEndpoints utility;

    public TransitBackend(BackendContext context) {
        this.store = new PolicyStore(context.storage(), context.clock(), context.random());
        this.keys = new KeyEndpoints(store);
        this.crypto = new CryptoEndpoints(store, context.random());
        this.signing = new SigningEndpoints(store);
        this.utility = new UtilityEndpoints(context.random());
    }

    /** Only {@code encrypt/:name} has an existence check: encrypting to a missing key creates it (a CREATE). */
    @Override
    public Boolean exists(LogicalRequest request) {
        String[] p = request.relativePath().split("/");
        if (p.length == 2 && p[0].equals("encrypt") && !p[1].isEmpty()) {
            return store.find(p[1]).isPresent();
        }
        return null;
    }

    @Override
    public LogicalResponse handle(LogicalRequest req) {
        String path = req.relativePath();
        List<String> p = Arrays.asList(path.endsWith("/") ? path.substring(0, path.length() - 1).split("/")
                : path.split("/"));
        Operation op = req.operation();
        boolean write = op == Operation.CREATE || op == Operation.UPDATE;
        String head = p.get(0);
        if (head.equals("keys")) {
            return handleKeys(req, p, op);
        }
        if (!write) {
            throw unsupported(path, op);
        }
        return switch (head) {
            case "encrypt" -> crypto.encrypt(req, name(p, 1, 2));
            case "decrypt" -> crypto.decrypt(req, name(p, 1, 2));
            case "rewrap" -> crypto.rewrap(req, name(p, 1, 2));
            case "datakey" -> crypto.datakey(req, arg(p, 1, "a data key type (plaintext or wrapped)"), name(p, 2, 3));
            case "hmac" -> signing.hmac(req, name(p, 1, 3), optional(p, 2));
            case "sign" -> signing.sign(req, name(p, 1, 3), optional(p, 2));
            case "verify" -> signing.verify(req, name(p, 1, 3), optional(p, 2));
            case "hash" -> utility.hash(req, p.size() > 2 ? tooLong(path) : optional(p, 1));
            case "random" -> utility.random(req, p.subList(1, p.size()));
            default -> throw new CofferException.NotFound("no transit endpoint at \"" + path + "\"");
        };
    }

    private LogicalResponse handleKeys(LogicalRequest req, List<String> p, Operation op) {
        if (p.size() == 1) {
            if (op == Operation.LIST) {
                return keys.list();
            }
            throw unsupported("keys", op);
        }
        String name = p.get(1);
        PolicyStore.checkName(name);
        boolean write = op == Operation.CREATE || op == Operation.UPDATE;
        if (p.size() == 2) {
            return switch (op) {
                case READ -> keys.read(name);
                case CREATE, UPDATE -> keys.create(req, name);
                case DELETE -> keys.delete(name);
                default -> throw unsupported("keys/" + name, op);
            };
        }
        if (p.size() == 3 && write) {
            switch (p.get(2)) {
                case "config": return keys.config(req, name);
                case "rotate": return keys.rotate(name);
                case "trim": return keys.trim(req, name);
                default: break;
            }
        }
        if (p.size() == 3 && List.of("config", "rotate", "trim").contains(p.get(2))) {
            throw unsupported(String.join("/", p), op);
        }
        throw new CofferException.NotFound("no transit endpoint at \"" + String.join("/", p) + "\"");
    }

    /** The key name at {@code index}; the path may have at most {@code maxSegments} segments. */
    private static String name(List<String> p, int index, int maxSegments) {
        if (p.size() > maxSegments) {
            tooLong(String.join("/", p));
        }
        String n = arg(p, index, "a key name");
        PolicyStore.checkName(n);
        return n;
    }

    private static String arg(List<String> p, int index, String what) {
        if (p.size() <= index || p.get(index).isEmpty()) {
            throw new CofferException.BadRequest("the path \"" + String.join("/", p) + "\" needs " + what + " after \""
                    + String.join("/", p.subList(0, Math.min(index, p.size()))) + "/\"");
        }
        return p.get(index);
    }

    private static String optional(List<String> p, int index) {
        return p.size() > index && !p.get(index).isEmpty() ? p.get(index) : null;
    }

    private static String tooLong(String path) {
        throw new CofferException.NotFound("no transit endpoint at \"" + path + "\"");
    }

    private static CofferException unsupported(String path, Operation op) {
        return new CofferException.UnsupportedOperation("transit path \"" + path + "\" does not support the "
                + op.capability() + " operation");
    }

    @Override
    public void close() {
        store.close();
    }
}
