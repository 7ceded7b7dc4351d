package org.steno.simulator.signal;

/** Something a deployment answered that stops a simulated participant; the message is one sentence for a person. */
public final class SimulationException extends Exception {
    public SimulationException(String message) {
        super(message);
    }
}
