package org.steno.recorder.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where segment files are written and committed: a file is written as {@code <key>.part} in the
 * spool, renamed when complete, its commit record written beside it, and both queued for upload.
 */
public final class SegmentSpool {

    private final SpoolUploader uploader;
    private final DiskGuard disk;

    public SegmentSpool(SpoolUploader uploader, DiskGuard disk) {
        this.uploader = uploader;
        this.disk = disk;
    }

    /** A fresh file to write the segment for {@code key} into; refuses when the disk is full. */
    public Path open(String key) throws IOException {
        disk.check();
        Path part = uploader.fileFor(key + ".part");
        Files.createDirectories(part.getParent());
        return part;
    }

    /** Completes the segment: the record's size and checksum are filled in from the file. */
    public SegmentRecord commit(Path part, SegmentRecord record) throws IOException {
        Path done = uploader.fileFor(record.key());
        Files.move(part, done, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        SegmentRecord full = new SegmentRecord(record.meetingId(), record.recordingId(), record.kind(),
                record.participantId(), record.displayName(), record.trackId(), record.codec(), record.container(),
                record.index(), record.key(), record.startMicros(), record.durationMicros(), Files.size(done),
                sha256(done), record.width(), record.height(), record.gaps(), record.source());
        String jsonKey = commitKey(record.key());
        Path json = uploader.fileFor(jsonKey + ".part");
        Files.write(json, Json.write(full));
        Files.move(json, uploader.fileFor(jsonKey), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        uploader.enqueue(record.key());
        uploader.enqueue(jsonKey);
        return full;
    }

    /** Writes and queues a small object (recording.json). */
    public void putSmall(String key, byte[] content) throws IOException {
        disk.check();
        Path part = uploader.fileFor(key + ".part");
        Files.createDirectories(part.getParent());
        Files.write(part, content);
        Files.move(part, uploader.fileFor(key), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        uploader.enqueue(key);
    }

    /** The commit record's key for a segment's media key: same name, {@code .json}. */
    public static String commitKey(String mediaKey) {
        int dot = mediaKey.lastIndexOf('.');
        return mediaKey.substring(0, dot) + ".json";
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public DiskGuard disk() {
        return disk;
    }

    public SpoolUploader uploader() {
        return uploader;
    }
}
