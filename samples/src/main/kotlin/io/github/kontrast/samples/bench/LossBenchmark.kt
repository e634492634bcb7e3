package io.github.kontrast.samples.bench

import io.github.kontrast.losses.ClipLoss
import io.github.kontrast.losses.InfoNceLoss
import io.github.kontrast.losses.NtXentLoss
import org.tensorflow.Graph
import org.tensorflow.Operand
import org.tensorflow.Session
import org.tensorflow.ndarray.Shape
import org.tensorflow.ndarray.buffer.DataBuffers
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Placeholder
import org.tensorflow.types.TFloat32
import java.nio.file.Files
import java.nio.file.Paths
import kotlin.system.exitProcess

/** The losses of the loss suite, by the names bench.json records. */
enum class BenchLoss(val key: String) {
  NT_XENT("nt_xent"),
  INFO_NCE("info_nce"),
  CLIP("clip");

  /**
   * The loss on [n] embeddings of [d] (NT-Xent: two views of n/2 examples, so its matrix is
   * [n,n] as the others'), in the full form ([chunkRows] = 0) or in row blocks; returns the loss and
   * the inputs to differentiate. Defaults of each loss: cosine similarity.
   */
  fun build(tf: Ops, n: Int, d: Int, chunkRows: Int): Pair<Operand<TFloat32>, List<Operand<TFloat32>>> {
    fun input(rows: Int): Operand<TFloat32> = tf.placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(rows.toLong(), d.toLong())))
    return when (this) {
      NT_XENT -> {
        val (a, b) = input(n / 2) to input(n / 2)
        NtXentLoss.create().withChunkRows(chunkRows).call(tf, a, b) to listOf(a, b)
      }
      INFO_NCE -> {
        val (q, k) = input(n) to input(n)
        InfoNceLoss.create().withChunkRows(chunkRows).call(tf, q, k) to listOf(q, k)
      }
      CLIP -> {
        val (i, t) = input(n) to input(n)
        val scale = tf.placeholderWithDefault(tf.constant(ClipLoss.INITIAL_LOG_LOGIT_SCALE), Shape.scalar())
        ClipLoss.create().withChunkRows(chunkRows).call(tf, i, t, scale) to listOf(i, t, scale)
      }
    }
  }

  companion object {
    fun of(key: String): BenchLoss =
      entries.firstOrNull { it.key == key } ?: throw IllegalArgumentException("loss: expected one of ${entries.map { it.key }}, got '$key'")
  }
}

/**
 * What one measurement gives: the median wall time of forward + backward, the process's peak RSS,
 * and the loss value on the [BenchInputs] (the same in every run, and in the PyTorch script).
 */
data class LossTiming(val medianMs: Double, val peakRssBytes: Long, val lossValue: Double)

/**
 * Times [loss] forward and backward (one Session.run fetching the loss and its gradients with
 * respect to every input) on [BenchInputs] (input k = 0, 1, ... in the order [BenchLoss.build] returns
 * them; CLIP's logit scale at its default): [warmup] untimed runs, then [repeats] timed.
 */
fun timeLoss(loss: BenchLoss, n: Int, d: Int, chunkRows: Int, repeats: Int, warmup: Int): LossTiming {
  Graph().use { g ->
    val tf = Ops.create(g)
    val (value, inputs) = loss.build(tf, n, d, chunkRows)
    val grads = tf.gradients(value, inputs)
    val feeds = inputs.filter { it.shape().numDimensions() == 2 }.mapIndexed { k, x ->
      val rows = x.shape().size(0).toInt()
      val data = BenchInputs.uniform(k, rows * d)
      x to TFloat32.tensorOf(Shape.of(rows.toLong(), d.toLong()), DataBuffers.of(data, true, false))
    }
    try {
      Session(g).use { s ->
        var lossValue = Double.NaN
        fun step(): Double {
          val runner = s.runner()
          feeds.forEach { (x, t) -> runner.feed(x, t) }
          runner.fetch(value)
          grads.forEach { runner.fetch(it) }
          val start = System.nanoTime()
          runner.run().use { lossValue = (it.get(0) as TFloat32).getFloat().toDouble() }
          return (System.nanoTime() - start) / 1e6
        }
        repeat(warmup) { step() }
        val times = StepTimes(List(repeats) { step() })
        return LossTiming(times.median, peakRss(), lossValue)
      }
    } finally {
      feeds.forEach { it.second.close() }
    }
  }
}

/** The peak resident set size of this process (VmHWM), in bytes; -1 where /proc is not there. */
fun peakRss(): Long {
  val status = Paths.get("/proc/self/status")
  if (!Files.exists(status)) return -1
  val line = Files.readAllLines(status).firstOrNull { it.startsWith("VmHWM:") } ?: return -1
  return line.removePrefix("VmHWM:").trim().removeSuffix("kB").trim().toLong() * 1024
}

/**
 * One measurement in a JVM of its own, so that the peak RSS is this configuration's alone: the loss
 * suite starts it as `LossBenchmarkKt LOSS N D CHUNK_ROWS REPEATS WARMUP` and reads the one line
 * `median_ms peak_rss_bytes loss_value` it prints last.
 */
fun main(args: Array<String>) {
  if (args.size != 6) {
    System.err.println("usage: LOSS N D CHUNK_ROWS REPEATS WARMUP")
    exitProcess(2)
  }
  val t = timeLoss(BenchLoss.of(args[0]), args[1].toInt(), args[2].toInt(), args[3].toInt(), args[4].toInt(), args[5].toInt())
  println("${t.medianMs} ${t.peakRssBytes} ${t.lossValue}")
}
