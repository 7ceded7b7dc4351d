package org.steno.server.config;

/** A setting the user gave cannot be used. The message is one sentence naming the setting. */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    public static ConfigException of(Setting setting, String problem) {
        return new ConfigException(setting.label() + ": " + problem);
    }
}
