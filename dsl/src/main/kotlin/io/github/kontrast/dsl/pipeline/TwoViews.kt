package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.layers.ElementType
import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.layers.SequentialInstance
import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * The start of every two-view graph: inputs [Batch.VIEW1] and [Batch.VIEW2] of [shape], both
 * through [preprocessing] and one [encoder] instance (shared weights). h1 is declared as the
 * pipeline's embedding, so `embed` and `export` use the encoder alone; heads are applied to both
 * views with [both].
 */
internal class TwoViews(val g: PipelineGraph, shape: IntArray, encoder: Sequential, private val preprocessing: Preprocessing) {
  init {
    require(encoder.inputType == ElementType.FLOAT) { "the encoder must read float images, its first layer reads ${encoder.inputType}" }
  }

  /** The second view, preprocessed (the first one is inside [h1]'s graph). */
  val view2: Operand<TFloat32>

  /** The encoder instance, applied to both views. */
  val encoder: SequentialInstance = g.encoder(encoder, shape)

  /** The representations of the two views, `[B]` + [representation]. */
  val h1: Operand<TFloat32>
  val h2: Operand<TFloat32>

  /** The raw first view, for encoders applied besides [encoder] (MoCo's momentum copy). */
  val view1Raw: Operand<TFloat32>

  init {
    view1Raw = g.floatInput(Batch.VIEW1, shape)
    val raw2 = g.floatInput(Batch.VIEW2, shape)
    h1 = g.embedding(Batch.VIEW1, this.encoder, preprocessing)
    view2 = preprocessing.apply(g.tf, raw2)
    h2 = this.encoder.apply(g.forward, view2)
  }

  /** The per-example size of h. */
  val representation: IntArray get() = encoder.outputShape

  /** The first view preprocessed, for a second encoder (MoCo's momentum copy); the same ops as inside [h1]. */
  fun view1(): Operand<TFloat32> = preprocessing.apply(g.tf, view1Raw)

  /** [head] created once for inputs of `input` and applied to both [x1] and [x2]. */
  fun both(head: SequentialInstance, x1: Operand<TFloat32>, x2: Operand<TFloat32>): Pair<Operand<TFloat32>, Operand<TFloat32>> =
    head.apply(g.forward, x1) to head.apply(g.forward, x2)

  /** A head instance under its own name, checked to end in one vector per example. */
  fun head(model: Sequential, input: IntArray, role: String): SequentialInstance {
    val out = try {
      model.outputShape(input)
    } catch (e: IllegalArgumentException) {
      throw IllegalArgumentException("the $role '${model.name}' cannot take ${ModelSummary.shape(input)}: ${e.message}", e)
    }
    require(out.size == 1) { "the $role '${model.name}' must end in one vector per example, it ends in ${ModelSummary.shape(out)}" }
    return g.encoder(model, input)
  }
}
