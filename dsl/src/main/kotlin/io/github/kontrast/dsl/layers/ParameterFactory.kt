package io.github.kontrast.dsl.layers

import org.tensorflow.op.core.Variable
import org.tensorflow.types.TFloat32

/**
 * Creates the graph variable for one layer parameter. The engine implements it: it owns every
 * variable, computes initial values from the model seed and saves them in checkpoints.
 */
fun interface ParameterFactory {
  /** @param path a unique slash-separated name, e.g. "encoder/conv2d/kernel" */
  fun create(path: String, spec: ParamSpec): Variable<TFloat32>
}
