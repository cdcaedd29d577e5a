package dev.coffer.logical.transit;

import java.util.HexFormat;

/** The DER DigestInfo prefixes (RFC 8017 section 9.2, note 1) for PKCS#1 v1.5 signatures over a given digest. */
final class DigestInfo {
    private DigestInfo() {
    }

    static byte[] prefix(HashAlgorithm h) {
        String hex = switch (h) {
            case SHA2_224 -> "302d300d06096086480165030402040500041c";
            case SHA2_256 -> "3031300d060960864801650304020105000420";
            case SHA2_384 -> "3041300d060960864801650304020205000430";
            case SHA2_512 -> "3051300d060960864801650304020305000440";
            case SHA3_224 -> "302d300d06096086480165030402070500041c";
            case SHA3_256 -> "3031300d060960864801650304020805000420";
            case SHA3_384 -> "3041300d060960864801650304020905000430";
            case SHA3_512 -> "3051300d060960864801650304020a05000440";
        };
        return HexFormat.of().parseHex(hex);
    }
}
