package io.modelwork.asr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.audio.Audio;

/** A speech recogniser over 16 kHz mono audio. {@link #close()} frees its native handles. */
public interface AsrEngine extends AutoCloseable {
    /** Transcribes one clip (times relative to its start). */
    Transcript transcribe(Audio clip);

    /** The model reference for export: name, version, SHA-256, where it came from. */
    ObjectNode modelReference();

    @Override void close();
}
