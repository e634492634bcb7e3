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

  /** A float32 or int32 tensor as a host array of its shape. */
  fun read(t: Tensor): HostArray {
    val dims = t.shape().asArray().map { it.toInt() }.toIntArray()
    return when (t) {
      is TFloat32 -> FloatHostArray(read(t), dims)
      is TInt32 -> IntArray(t.size().toInt()).let { out -> t.copyTo(DataBuffers.of(out, false, false)); IntHostArray(out, dims) }
      else -> throw IllegalArgumentException("cannot read a tensor of type ${t.dataType()} to the host")
    }
  }

  /** Stacks batches of one output along the first dimension. */
  fun concat(parts: List<HostArray>): HostArray {
    require(parts.isNotEmpty()) { "nothing to concatenate" }
    val rowShape = parts[0].shape.drop(1).toIntArray()
    val rows = parts.sumOf { it.rows }
    val shape = intArrayOf(rows) + rowShape
    return when (parts[0]) {
      is FloatHostArray -> {
        val out = FloatArray(parts.sumOf { (it as FloatHostArray).data.size })
        var at = 0
        parts.forEach { val d = (it as FloatHostArray).data; System.arraycopy(d, 0, out, at, d.size); at += d.size }
        FloatHostArray(out, shape)
      }
      is IntHostArray -> {
        val out = IntArray(parts.sumOf { (it as IntHostArray).data.size })
        var at = 0
        parts.forEach { val d = (it as IntHostArray).data; System.arraycopy(d, 0, out, at, d.size); at += d.size }
        IntHostArray(out, shape)
      }
    }
  }
}
