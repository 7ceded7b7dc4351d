package org.steno.server.lifecycle;

import org.steno.server.config.Setting;

/** A component could not start for a reason the user can fix; the message names the setting. */
public class StartupException extends Exception {

    private static final long serialVersionUID = 1L;

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }

    public static StartupException portInUse(Setting setting, String host, int port, Throwable cause) {
        return new StartupException(setting.label() + ": port " + port + " on " + host
                + " is already in use; stop what holds it or choose another port", cause);
    }
}
