package org.steno.conference.tap;

/** Receives the decrypted RTP payloads of every track of a meeting (the recorder). Must not block. */
@FunctionalInterface
public interface PacketListener {

    void onPacket(MediaPacket packet);
}
