package dev.nuvola.devstack.kafka;

import java.io.IOException;

/**
 * Kafka's LoggingController logs through the Log4j API, while everything else in Kafka logs through slf4j. We
 * leave out log4j-core (it would compete with a service's logging), so on a class path without any Log4j API
 * provider, Log4j prints "ERROR Log4j API could not find a logging provider". In that case only, select Log4j's
 * built-in simple logger (errors to stderr). Where a provider exists, e.g. Quarkus's log4j2-jboss-logmanager,
 * nothing is changed.
 */
final class Log4jApi {
    private static final String FACTORY_PROPERTY = "log4j2.loggerContextFactory";

    private Log4jApi() {
    }

    static void quietWithoutProvider() {
        if (System.getProperty(FACTORY_PROPERTY) != null || hasProvider()) {
            return;
        }
        System.setProperty(FACTORY_PROPERTY, "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
    }

    private static boolean hasProvider() {
        ClassLoader loader = Log4jApi.class.getClassLoader();
        try {
            return loader.getResources("META-INF/services/org.apache.logging.log4j.spi.Provider").hasMoreElements()
                    || loader.getResources("META-INF/log4j-provider.properties").hasMoreElements();
        } catch (IOException e) {
            return true;
        }
    }
}
