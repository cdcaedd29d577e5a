package dev.coffer.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Lets picocli create commands that take the {@link CliContext} in their constructor. */
final class ContextFactory implements CommandLine.IFactory {
    private final CliContext ctx;

    ContextFactory(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        Constructor<K> constructor;
        try {
            constructor = type.getDeclaredConstructor(CliContext.class);
        } catch (NoSuchMethodException e) {
            return CommandLine.defaultFactory().create(type);
        }
        constructor.setAccessible(true);
        return constructor.newInstance(ctx);
    }
}
