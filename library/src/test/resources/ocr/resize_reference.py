"""Writes resize_reference.bin, the cv2.resize (INTER_LINEAR, 8-bit BGR) cases BgrImageResizeTest checks value for
value: per case four little-endian int32 (src h, src w, dst h, dst w), the source bytes, the resized bytes.

  python resize_reference.py resize_reference.bin      (OpenCV 5.0, NumPy)
"""
import struct, sys
import cv2, numpy as np

rng = np.random.default_rng(11)
cases = [(19, 61, 48, 155), (27, 83, 48, 100), (40, 60, 20, 30), (37, 90, 12, 31), (13, 9, 48, 33), (48, 50, 48, 70),
         (33, 77, 48, 112), (60, 40, 16, 12), (25, 31, 48, 59)]
with open(sys.argv[1], "wb") as f:
    for i, (H, W, h, w) in enumerate(cases):
        img = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)
        if i % 2: img = cv2.GaussianBlur(img, (5, 5), 0)
        f.write(struct.pack("<4i", H, W, h, w)); f.write(img.tobytes()); f.write(cv2.resize(img, (w, h)).tobytes())
