package io.modelwork.tracking.video;

/**
 * One decoded frame: packed BGR bytes (row-major, 3 bytes a pixel, no padding), its 0-based index in the source and
 * its time stamp in seconds.
 */
public record VideoFrame(int index, double seconds, int width, int height, byte[] bgr) {
    public VideoFrame {
        if (bgr.length != width * height * 3)
            throw new IllegalArgumentException("frame of " + bgr.length + " bytes is not " + width + "×" + height + "×3");
    }

    /** The frame as an sRGB image (for galleries). */
    public java.awt.image.BufferedImage toImage() {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(bgr, 0, dst, 0, bgr.length);
        return img;
    }
}
