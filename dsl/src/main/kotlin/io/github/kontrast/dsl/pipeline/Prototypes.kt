package io.github.kontrast.dsl.pipeline

import org.tensorflow.Operand
import org.tensorflow.op.Op
import org.tensorflow.op.core.Variable
import org.tensorflow.types.TFloat32

/**
 * SwAV's prototypes (Caron et al. 2020): a trainable [dim] x [count] matrix whose columns are
 * unit vectors ("[scope]/kernel", starting as random unit vectors). The scores of normalised
 * projections z [B, dim] are z times the matrix, [B, count]: cosine similarities. After every
 * training step an after-step op scales each column back to unit length, as SwAV normalises its
 * prototypes at every iteration.
 */
internal class Prototypes(g: PipelineGraph, val dim: Int, val count: Int, scope: String) {
  init {
    require(count > 0) { "prototypes: expected a number of prototypes > 0, got $count" }
  }

  val kernel: Variable<TFloat32> = g.variables.variable("$scope/kernel", intArrayOf(dim, count), unitVectorInitializer(axis = 0), trainable = true)

  init {
    g.afterStep { ops ->
      val normalised = ops.withControlDependencies(listOf<Op>(ops.assign(kernel, unitVectors(ops, kernel, axis = 0))))
      normalised.withName("$scope.normalise").noOp()
    }
  }

  /** The scores of [z] ([B, dim], already unit rows) against every prototype: [B, count]. */
  fun scores(g: PipelineGraph, z: Operand<TFloat32>): Operand<TFloat32> = g.tf.linalg.matMul(z, kernel)
}
