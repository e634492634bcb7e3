package io.github.kontrast.dsl.engine

import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.HostArray
import io.github.kontrast.dsl.data.IntHostArray
import org.tensorflow.Tensor
import org.tensorflow.ndarray.Shape
import org.tensorflow.ndarray.buffer.DataBuffers
import org.tensorflow.types.TFloat32
import org.tensorflow.types.TInt32

/** Copies between host arrays and tensors, one copy each way. */
internal object Tensors {
  fun shape(dims: IntArray): Shape = Shape.of(*LongArray(dims.size) { dims[it].toLong() })

  /** A new tensor holding [a]; the caller closes it. */
  fun of(a: HostArray): Tensor = when (a) {
    // (array, readOnly, makeCopy) so no vararg overload is picked and no extra copy is made
    is FloatHostArray -> TFloat32.tensorOf(shape(a.shape), DataBuffers.of(a.data, true, false))
    is IntHostArray -> TInt32.tensorOf(shape(a.shape), DataBuffers.of(a.data, true, false))
  }

  fun floats(data: FloatArray, shape: IntArray): TFloat32 = TFloat32.tensorOf(shape(shape), DataBuffers.of(data, true, false))

  /** The values of a float tensor, row-major. */
  fun read(t: TFloat32): FloatArray {
    val out = FloatArray(t.size().toInt())
    t.copyTo(DataBuffers.of(out, false, false))
    return out
  }
}
