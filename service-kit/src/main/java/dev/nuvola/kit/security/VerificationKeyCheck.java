package dev.nuvola.kit.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * smallrye-jwt reads its key only when the first token arrives; a missing key would go unnoticed until then.
 * This says so at start, in the log, naming the setting to fix.
 */
public class VerificationKeyCheck {
    private static final Logger LOG = Logger.getLogger(VerificationKeyCheck.class);

    void atStart(@Observes StartupEvent event,
                 @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> location) {
        if (location.isEmpty()) {
            LOG.error("no JWT verification key configured (NUVOLA_JWT_PUBLIC_KEY): every request that needs a role"
                    + " will be refused");
            return;
        }
        String where = location.get();
        boolean file = !where.contains(":") || where.startsWith("file:");
        Path path = Path.of(where.startsWith("file:") ? where.substring("file:".length()) : where);
        if (file && path.isAbsolute() && !Files.isReadable(path)) {
            LOG.errorf("the JWT verification key %s is not readable (NUVOLA_JWT_PUBLIC_KEY): every request that"
                    + " needs a role will be answered 503 until it is", where);
        }
    }
}
