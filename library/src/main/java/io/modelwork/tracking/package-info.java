/**
 * The video-tracking category ({@code tracking.bytetrack}): steps, state and export. Sub-packages: {@code video}
 * (FFmpeg decoding), {@code detect} (ONNX detectors), {@code track} (ByteTrack, greedy IoU), {@code metrics}
 * (TrackEval-exact HOTA/CLEAR/Identity). May import {@code core}, {@code report}, {@code spi}, {@code shared},
 * {@code tune}, {@code metrics}, {@code onnx}, {@code assets} and its sub-packages; never {@code session} or another category.
 */
package io.modelwork.tracking;
