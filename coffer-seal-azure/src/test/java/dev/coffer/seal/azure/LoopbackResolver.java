package dev.coffer.seal.azure;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Resolves {@code localhost} and {@code *.localhost} to 127.0.0.1 (RFC 6761) and nothing else, so the fake
 * can live at a vault-like host name ({@code coffer-seal.localhost}) without touching the machine's DNS.
 */
final class LoopbackResolver extends AddressResolverGroup<InetSocketAddress> {

    static final LoopbackResolver INSTANCE = new LoopbackResolver();

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new InetSocketAddressResolver(executor, new InetNameResolver(executor) {
            @Override
            protected void doResolve(String host, Promise<InetAddress> promise) {
                try {
                    promise.setSuccess(loopback(host));
                } catch (UnknownHostException e) {
                    promise.setFailure(e);
                }
            }

            @Override
            protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
                try {
                    promise.setSuccess(List.of(loopback(host)));
                } catch (UnknownHostException e) {
                    promise.setFailure(e);
                }
            }
        });
    }

    private static InetAddress loopback(String host) throws UnknownHostException {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost") || name.endsWith(".localhost") || name.equals("127.0.0.1")) {
            return InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1});
        }
        throw new UnknownHostException(host + " (the test resolver knows only *.localhost)");
    }
}
