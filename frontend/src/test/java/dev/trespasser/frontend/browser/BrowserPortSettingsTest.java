package dev.trespasser.frontend.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.frontend.FrontendConfig;
import dev.trespasser.frontend.FrontendServer;
import dev.trespasser.peers.tls.LocalCertificateAuthority;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FRONTEND_WEB_PORT, FRONTEND_ALLOWED_ORIGINS and the TLS files: defaults, and refusals that name the setting. */
class BrowserPortSettingsTest {

    @Test
    void defaultsArePort8080SameOriginOnlyAndPlaintext() {
        FrontendConfig config = FrontendConfig.fromEnv(Map.of("FRONTEND_DEV_MODE", "true"));
        assertEquals(new FrontendConfig.BrowserSettings(8080, List.of()), config.browser());
        assertEquals(Optional.empty(), config.tls());
    }

    @Test
    void allowedOriginsAreExactOriginsInLowerCase() {
        FrontendConfig config = config(Map.of(
                "FRONTEND_ALLOWED_ORIGINS", " https://Play.Example.com, http://localhost:5173,https://[::1]:8443 ,"));
        assertEquals(
                List.of("https://play.example.com", "http://localhost:5173", "https://[::1]:8443"),
                config.browser().allowedOrigins());
        for (String bad : List.of(
                "*",
                "null",
                "play.example.com",
                "https://play.example.com/",
                "https://play.example.com/app",
                "https://*.example.com",
                "ftp://play.example.com",
                "https://user@play.example.com")) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> config(Map.of("FRONTEND_ALLOWED_ORIGINS", bad)), bad);
            assertTrue(e.getMessage().contains("FRONTEND_ALLOWED_ORIGINS"), e.getMessage());
        }
    }

    @Test
    void aCertificateWithoutItsKeyOrAKeyWithoutItsCertificateStopsStartUp() {
        IllegalArgumentException noKey = assertThrows(
                IllegalArgumentException.class, () -> config(Map.of("FRONTEND_TLS_CERT_FILE", "/etc/tls/tls.crt")));
        assertTrue(noKey.getMessage().contains("FRONTEND_TLS_KEY_FILE is missing"), noKey.getMessage());
        IllegalArgumentException noCertificate = assertThrows(
                IllegalArgumentException.class, () -> config(Map.of("FRONTEND_TLS_KEY_FILE", "/etc/tls/tls.key")));
        assertTrue(
                noCertificate.getMessage().contains("FRONTEND_TLS_CERT_FILE is missing"), noCertificate.getMessage());
    }

    @Test
    void unreadableOrInvalidPemStopsStartUpNamingTheFile(@TempDir Path tmp) throws Exception {
        LocalCertificateAuthority ca = LocalCertificateAuthority.create(tmp.resolve("ca"), "test CA");
        LocalCertificateAuthority.IssuedCertificate good = ca.issue("frontend", List.of("localhost"), List.of());
        LocalCertificateAuthority.IssuedCertificate other = ca.issue("other", List.of("other"), List.of());
        Path garbage = Files.writeString(tmp.resolve("garbage.pem"), "not a pem file\n");
        Path brokenCertificate = Files.writeString(
                tmp.resolve("broken.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Path brokenKey = Files.writeString(
                tmp.resolve("broken.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Path sec1Key = Files.writeString(
                tmp.resolve("sec1.key"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        Path missing = tmp.resolve("missing.pem");

        assertRefused(missing, good.keyFile(), "FRONTEND_TLS_CERT_FILE", "cannot read");
        assertRefused(good.certificateFile(), missing, "FRONTEND_TLS_KEY_FILE", "cannot read");
        assertRefused(garbage, good.keyFile(), "FRONTEND_TLS_CERT_FILE", "no PEM certificate");
        assertRefused(brokenCertificate, good.keyFile(), "FRONTEND_TLS_CERT_FILE", "not a valid PEM certificate");
        assertRefused(good.certificateFile(), garbage, "FRONTEND_TLS_KEY_FILE", "no PEM private key");
        assertRefused(good.certificateFile(), brokenKey, "FRONTEND_TLS_KEY_FILE", "not a valid EC PKCS#8");
        assertRefused(good.certificateFile(), sec1Key, "FRONTEND_TLS_KEY_FILE", "not PKCS#8");
        assertRefused(good.certificateFile(), other.keyFile(), "FRONTEND_TLS_KEY_FILE", "not the private key");
    }

    /** Start-up fails on the files before it connects to anything (no Redis or om-core here). */
    private static void assertRefused(Path certificate, Path key, String setting, String reason) {
        FrontendConfig config = config(Map.of(
                "FRONTEND_TLS_CERT_FILE", certificate.toString(),
                "FRONTEND_TLS_KEY_FILE", key.toString(),
                "FRONTEND_PORT", "0",
                "FRONTEND_WEB_PORT", "0",
                "FRONTEND_METRICS_PORT", "0"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> FrontendServer.start(config, new PrometheusRegistry(), Clock.systemUTC())
                        .close());
        assertTrue(e.getMessage().contains(setting) && e.getMessage().contains(reason), e.getMessage());
    }

    private static FrontendConfig config(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(Map.of("FRONTEND_DEV_MODE", "true"));
        env.putAll(settings);
        return FrontendConfig.fromEnv(env);
    }
}
