package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.layers.Activations
import io.github.kontrast.dsl.layers.Sequential

/**
 * The MLP heads of the self-supervised methods (projectors, predictors): `layers` dense layers,
 * every one but the last `hidden` wide with ReLU, the last `output` wide and linear. With
 * `batchNorm` a batch norm sits before each hidden ReLU (MoCo v3, SimSiam, SwAV), and
 * `lastBatchNorm` adds one after the output layer (MoCo v3's and SimSiam's projectors). A dense
 * layer followed by a batch norm has no bias, as in MoCo v3's code: the norm's beta takes its place.
 *
 * What each paper uses, at ImageNet scale (the methods' defaults here are narrower, for 28x28 images):
 * - SimCLR v1: `mlp(2048, 128)`, 2 layers, no batch norm;
 * - MoCo v3: projector `mlp(4096, 256, layers = 3, batchNorm = true, lastBatchNorm = true)`,
 *   predictor `mlp(4096, 256, batchNorm = true)`;
 * - SimSiam: projector `mlp(2048, 2048, layers = 3, batchNorm = true, lastBatchNorm = true)`,
 *   predictor `mlp(512, 2048, batchNorm = true)` (a bottleneck);
 * - SwAV: `mlp(2048, 128, batchNorm = true)`.
 */
object ProjectionHeads {
  /** An MLP head as described on [ProjectionHeads]; [name] names it in summaries and variable paths. */
  @JvmStatic
  @JvmOverloads
  fun mlp(
    hidden: Int,
    output: Int,
    layers: Int = 2,
    batchNorm: Boolean = false,
    lastBatchNorm: Boolean = false,
    name: String = "projector",
  ): Sequential {
    require(hidden > 0) { "hidden: expected a width > 0, got $hidden" }
    require(output > 0) { "output: expected a width > 0, got $output" }
    require(layers >= 1) { "layers: expected at least 1 dense layer, got $layers" }
    val b = Sequential.builder().name(name)
    repeat(layers - 1) {
      if (batchNorm) {
        b.dense(hidden, Activations.linear, false).batchNorm().activation(Activations.relu) // the norm's beta is the bias
      } else {
        b.dense(hidden, Activations.relu)
      }
    }
    if (lastBatchNorm) b.dense(output, Activations.linear, false).batchNorm() else b.dense(output)
    return b.build()
  }
}
