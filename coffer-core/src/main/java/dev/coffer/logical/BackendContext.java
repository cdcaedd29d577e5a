package dev.coffer.logical;

import dev.coffer.barrier.BarrierView;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * What an engine gets from the core: its mount entry, its own storage (a barrier view confined to the
 * mount), time and randomness (injectable for tests), and core services an engine may need (the token store
 * for the token auth method, for instance).
 */
public record BackendContext(MountEntry mount, BarrierView storage, Clock clock, SecureRandom random,
                             CoreServices services) {
}
