package io.github.kontrast.samples

import io.github.kontrast.dsl.engine.Checkpoint
import java.nio.file.Path

/**
 * For [InterruptSpec]: writes a 16 MB checkpoint to `args[0]` over and over, as a training's
 * epoch ends would, under an [InterruptNotice], printing "written N" after each, until it is
 * interrupted. Most of its time is spent inside a write.
 */
object CheckpointWriterMain {
  const val VALUES = 4_000_000

  @JvmStatic
  fun main(args: Array<String>) {
    val path = Path.of(args[0])
    val weights = mapOf("w" to Checkpoint.Tensor(intArrayOf(VALUES), FloatArray(VALUES) { it.toFloat() }))
    InterruptNotice { "writer: interrupted" }.use {
      var n = 0
      while (true) {
        n++
        Checkpoint(n.toLong(), n, weights).write(path)
        println("written $n")
      }
    }
  }
}
