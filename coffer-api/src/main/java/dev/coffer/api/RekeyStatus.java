package dev.coffer.api;

import java.util.List;

/** Answer of {@code sys/rekey/init}: progress of a rekey and the share layout it will produce. */
public record RekeyStatus(String nonce, boolean started, int t, int n, int progress, int required,
                          List<String> pgpFingerprints, boolean backup, boolean verificationRequired) {
}
