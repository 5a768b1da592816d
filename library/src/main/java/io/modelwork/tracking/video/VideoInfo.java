package io.modelwork.tracking.video;

/**
 * What attach reports about a video source: where it is, its kind (file, frames, stream), container format, codec,
 * frame rate, frame count (as the container states it; -1 when unknown, e.g. a live stream), size and duration.
 */
public record VideoInfo(String source, String kind, String format, String codec, double fps, int frames, int width,
                        int height, double seconds) {
}
