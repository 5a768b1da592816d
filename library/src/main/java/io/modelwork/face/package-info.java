/**
 * Face recognition ({@code face.arcface}): detection with five landmarks (YuNet, or the faceplugin 240×320 detector
 * with its 68-point landmarks reduced to five), alignment by a least-squares similarity transform to the ArcFace
 * 112×112 template, L2-normalised embeddings (the faceplugin 512-d ArcFace-style model, MobileFaceNet 128-d, or the
 * user's own ArcFace ONNX) compared by cosine similarity, identification and verification metrics, and the category
 * steps built on them.
 *
 * <p>May import {@code core}, {@code report}, {@code spi}, {@code shared}, {@code onnx}, {@code vision},
 * {@code assets}, {@code audio.PackageAssets} (until it moves to {@code assets}) and commons-math3; never
 * {@code session} or another category.
 */
package io.modelwork.face;
