package io.github.kontrast.dsl.augment

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.BatchIterator
import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.LabeledImages
import io.github.kontrast.dsl.data.Mnist
import io.github.kontrast.dsl.engine.GraphBuilder
import io.github.kontrast.dsl.engine.Trainer
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.layers.Activations
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.optim.adam
import io.github.kontrast.dsl.pipeline.Encoders
import io.github.kontrast.losses.NtXentLoss
import org.tensorflow.Graph
import org.tensorflow.Session
import org.tensorflow.ndarray.Shape
import org.tensorflow.ndarray.buffer.DataBuffers
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Placeholder
import org.tensorflow.types.TFloat32
import org.tensorflow.types.TInt32
import java.util.SplittableRandom
import kotlin.math.exp

/**
 * Timing walkthrough for the augmentation decision (not a test: run it by hand). Prints:
 *  1. host images/s of the digits recipe (28x28x1) and of the SimCLR recipe (32x32x3), 1 and 2 workers;
 *  2. images/s of the same work as TensorFlow graph ops on this CPU (crop-and-resize, brightness,
 *     contrast, a 3x3 blur, clamping; parameters drawn on the host, as per-example seeding needs);
 *  3. a SimCLR-sized training step on 28x28 digits (a small CNN, then document 001's CNN, each with
 *     a 2-layer projection head, NT-Xent, batch 256 = 512 images), fed by views made on the fly and
 *     by views made beforehand, alternated, with the time the training loop spent waiting for a batch.
 *
 * `java -cp <dsl test classpath> io.github.kontrast.dsl.augment.AugmentationBench [images] [rounds]`
 */
object AugmentationBench {
  @JvmStatic
  fun main(args: Array<String>) {
    val count = args.getOrNull(0)?.toInt() ?: 5120
    val rounds = args.getOrNull(1)?.toInt() ?: 3
    val mnist = Mnist.load(download = false)
    println("data: ${mnist.source}; ${Runtime.getRuntime().availableProcessors()} CPUs")
    val train = mnist.train.take(count)

    println("\n1. host augmentation alone (two views per image, images/s = views made per second)")
    val rgb = syntheticRgb(count, 32)
    for (workers in listOf(1, 2)) {
      val digits = hostRate(train.views(Augmentations.digits(), seed = 1).withPrefetch(0).withWorkers(workers), rounds)
      val simclr = hostRate(rgb.views(Augmentations.simclr(32, kernelSize = 3), seed = 1).withPrefetch(0).withWorkers(workers), rounds)
      println("   workers=$workers  digits 28x28x1: ${fmt(digits)} images/s   simclr 32x32x3: ${fmt(simclr)} images/s")
    }

    println("\n2. the same kind of work as TensorFlow graph ops on this CPU (batch 256 -> 512 views)")
    println("   graph ops: ${fmt(graphRate(train, 256, rounds))} images/s")

    println("\n3. SimCLR-sized step on 28x28 digits: batch 256 (512 images), encoder + projection head (128 relu, 64), NT-Xent, Adam")
    val fly = train.views(Augmentations.digits(), seed = 1)
    val fixedBatch = fly.withPrefetch(0).batch(IntArray(train.size) { it })
    val fixed = ArrayDataset(Batch.VIEW1 to fixedBatch[Batch.VIEW1], Batch.VIEW2 to fixedBatch[Batch.VIEW2])
    val encoders = listOf(
      "small CNN (conv 32, conv 64, dense 128)" to {
        Sequential.builder().name("small").conv2d(32, 3, Activations.relu).maxPool(2).conv2d(64, 3, Activations.relu).maxPool(2)
          .flatten().dense(128).build()
      },
      "document 001's CNN" to { Encoders.mnistTwin() },
    )
    for ((encoderName, encoder) in encoders) {
      println("   $encoderName")
      repeat(rounds) { r ->
        for ((name, ds) in listOf("on the fly (prefetch thread)" to fly, "made beforehand" to fixed)) {
          val t = timeTraining(ds, 256, encoder())
          println("     round ${r + 1} $name: ${fmt(t.msPerStep)} ms/step wall, median session step ${fmt(t.medianStep)} ms, " +
            "waited for batches ${fmt(t.waitMs)} ms in ${t.steps} steps (${fmt(100 * t.waitMs / t.totalMs)}%)")
        }
      }
    }
  }

  private fun fmt(x: Double) = String.format("%.1f", x)

  private fun syntheticRgb(n: Int, size: Int): LabeledImages {
    val r = SplittableRandom(3)
    // smooth colour blobs rather than noise, so blur and crops do real work on real-looking values
    val data = FloatArray(n * size * size * 3)
    for (i in 0 until n) {
      val cx = r.nextDouble() * size; val cy = r.nextDouble() * size; val c = DoubleArray(3) { r.nextDouble() }
      for (y in 0 until size) for (x in 0 until size) for (ch in 0 until 3) {
        val d = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (size * size / 8.0)
        data[((i * size + y) * size + x) * 3 + ch] = (c[ch] * exp(-d)).toFloat()
      }
    }
    return LabeledImages(FloatHostArray(data, intArrayOf(n, size, size, 3)), io.github.kontrast.dsl.data.IntHostArray(IntArray(n), intArrayOf(n)))
  }

  /** Views (two per image) per second over one pass at batch 256, best of [rounds] after a warm-up. */
  private fun hostRate(ds: ViewsDataset, rounds: Int): Double {
    fun pass(): Double {
      val t0 = System.nanoTime()
      ds.batches(256, shuffle = true, seed = 1, epoch = 0).use { it.forEach { } }
      return 2.0 * ds.size / ((System.nanoTime() - t0) / 1e9)
    }
    pass()
    return (0 until rounds).maxOf { pass() }
  }

  /**
   * Crop-and-resize to 28x28 from host-drawn boxes, brightness and contrast factors, a 3x3 blur
   * (one sigma for the batch: per-example kernels would cost more), clamping: one Session.run per
   * batch, fed the images and the parameters.
   */
  private fun graphRate(train: LabeledImages, batch: Int, rounds: Int): Double {
    Graph().use { g ->
      val tf = Ops.create(g)
      val images = tf.placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(-1, 28, 28, 1)))
      val boxes = tf.placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(-1, 4)))
      val boxIndex = tf.placeholder(TInt32::class.java, Placeholder.shape(Shape.of(-1)))
      val bright = tf.placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(-1, 1, 1, 1)))
      val contrast = tf.placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(-1, 1, 1, 1)))
      val crops = tf.image.cropAndResize(images, boxes, boxIndex, tf.constant(intArrayOf(28, 28)))
      val b = tf.math.mul(crops, bright)
      val mean = tf.math.mean(b, tf.constant(intArrayOf(1, 2, 3)), org.tensorflow.op.math.Mean.keepDims(true))
      val c = tf.math.add(tf.math.mul(tf.math.sub(b, mean), contrast), mean)
      val k = GaussianBlur.kernel(3, 1.0)
      val k2 = FloatArray(9) { k[it / 3] * k[it % 3] }
      val kernel = tf.constant(Shape.of(3, 3, 1, 1), DataBuffers.of(k2, true, false))
      val blurred = tf.nn.depthwiseConv2dNative(c, kernel, listOf(1L, 1L, 1L, 1L), "SAME")
      val out = tf.clipByValue(blurred, tf.constant(0f), tf.constant(1f))
      Session(g).use { s ->
        val r = SplittableRandom(5)
        val crop = RandomResizedCrop.of(28).withScale(0.3, 1.0)
        fun pass(): Double {
          val t0 = System.nanoTime()
          var made = 0
          var from = 0
          while (from < train.size) {
            val n = minOf(batch, train.size - from)
            val imgs = train.images.gather(IntArray(n) { from + it })
            val bx = FloatArray(2 * n * 4)
            for (i in 0 until 2 * n) {
              val box = crop.box(28, 28, r)
              bx[4 * i] = box.top / 27f; bx[4 * i + 1] = box.left / 27f
              bx[4 * i + 2] = (box.top + box.height - 1) / 27f; bx[4 * i + 3] = (box.left + box.width - 1) / 27f
            }
            val idx = IntArray(2 * n) { it % n }
            val bf = FloatArray(2 * n) { 0.6f + 0.8f * r.nextFloat() }
            val cf = FloatArray(2 * n) { 0.6f + 0.8f * r.nextFloat() }
            TFloat32.tensorOf(Shape.of(n.toLong(), 28, 28, 1), DataBuffers.of(imgs.data, true, false)).use { ti ->
              TFloat32.tensorOf(Shape.of(2L * n, 4), DataBuffers.of(bx, true, false)).use { tb ->
                TInt32.tensorOf(Shape.of(2L * n), DataBuffers.of(idx, true, false)).use { tx ->
                  TFloat32.tensorOf(Shape.of(2L * n, 1, 1, 1), DataBuffers.of(bf, true, false)).use { tbf ->
                    TFloat32.tensorOf(Shape.of(2L * n, 1, 1, 1), DataBuffers.of(cf, true, false)).use { tcf ->
                      s.runner().feed(images, ti).feed(boxes, tb).feed(boxIndex, tx).feed(bright, tbf).feed(contrast, tcf)
                        .fetch(out).run().close()
                    }
                  }
                }
              }
            }
            made += 2 * n
            from += n
          }
          return made / ((System.nanoTime() - t0) / 1e9)
        }
        pass()
        return (0 until rounds).maxOf { pass() }
      }
    }
  }

  class Timing(val steps: Int, val totalMs: Double, val waitMs: Double, val medianStep: Double) {
    val msPerStep get() = totalMs / steps
  }

  /** One epoch of SimCLR-style training on [ds]; the wall time, the median step and the time spent waiting for batches. */
  private fun timeTraining(ds: Dataset, batchSize: Int, encoderModel: Sequential): Timing {
    val g = GraphBuilder(42)
    val tf = g.tf
    val v1 = g.floatInput(Batch.VIEW1, intArrayOf(28, 28, 1))
    val v2 = g.floatInput(Batch.VIEW2, intArrayOf(28, 28, 1))
    val encoder = encoderModel.instantiate(g.variables, intArrayOf(28, 28, 1), scope = "encoder")
    val head = Sequential.builder().name("projection").dense(128, Activations.relu).dense(64).build()
      .instantiate(g.variables, intArrayOf(128), scope = "projection")
    // one pass over both views, as SimCLR implementations batch them
    val both = tf.concat(listOf(v1, v2), tf.constant(0))
    val z = head.apply(g.forward, encoder.apply(g.forward, both))
    val halves = tf.split(tf.constant(0), z, 2L)
    val loss = NtXentLoss.create().call(tf, halves.output()[0], halves.output()[1])
    val waiting = WaitTimer(ds)
    g.compile(loss, optimizer = adam(1e-3)).use { compiled ->
      Trainer(compiled).use { t ->
        t.verbosity = Verbosity.SILENT
        val t0 = System.nanoTime()
        val h = t.fit(waiting, epochs = 1, batchSize = batchSize)
        val total = (System.nanoTime() - t0) / 1e6
        return Timing(h.stepMillis.size, total, waiting.waitedMs, h.stepMillisMedian())
      }
    }
  }

  /** [source] with the time its consumer spends in hasNext and next added up. */
  private class WaitTimer(private val source: Dataset) : Dataset {
    var waitedNanos = 0L
    val waitedMs get() = waitedNanos / 1e6
    override val size get() = source.size
    override fun batch(indices: IntArray) = source.batch(indices)
    override fun batches(batchSize: Int, shuffle: Boolean, seed: Long, epoch: Int, dropLast: Boolean): BatchIterator {
      val inner = source.batches(batchSize, shuffle, seed, epoch, dropLast)
      return object : BatchIterator {
        override fun hasNext(): Boolean { val t = System.nanoTime(); try { return inner.hasNext() } finally { waitedNanos += System.nanoTime() - t } }
        override fun next(): Batch { val t = System.nanoTime(); try { return inner.next() } finally { waitedNanos += System.nanoTime() - t } }
        override fun close() = inner.close()
      }
    }
  }
}
