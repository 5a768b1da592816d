/**
 * Video input for tracking: files in any FFmpeg codec, frame folders (MOTChallenge {@code img1/} layout) and
 * {@code rtsp://}/{@code http://} streams, all decoded by FFmpeg through JavaCV ({@link io.modelwork.tracking.video.VideoSource}).
 * May import {@code core} and JavaCV only.
 */
package io.modelwork.tracking.video;
