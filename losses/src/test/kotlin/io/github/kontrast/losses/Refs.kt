package io.github.kontrast.losses

/** Plain-double reference implementations of the softmax-family losses, written from the papers. */
object SoftmaxRefs {
  fun rows(a: Host) = (0 until a.rows).map { a.row(it) }

  /** Similarities as the papers write them (cosine is the dot product of normalised rows). */
  object Sim {
    val cosine: (DoubleArray, DoubleArray) -> Double = { a, b -> Ref.dot(Ref.normalize(a), Ref.normalize(b)) }
    val dot: (DoubleArray, DoubleArray) -> Double = Ref::dot
    val negSquaredEuclidean: (DoubleArray, DoubleArray) -> Double = { a, b -> -Ref.sqDist(a, b) }
  }

  /** Per-anchor NT-Xent over [z1; z2]. */
  fun ntXent(z1: Host, z2: Host, t: Double, sim: (DoubleArray, DoubleArray) -> Double = Sim.cosine): List<Double> {
    val z = rows(z1) + rows(z2)
    val b = z1.rows
    return z.indices.map { i ->
      val others = z.indices.filter { it != i }
      val logits = others.map { sim(z[i], z[it]) / t }.toDoubleArray()
      Ref.crossEntropy(logits, others.indexOf((i + b) % (2 * b)))
    }
  }

  /** Per-anchor SupCon (L_out); 0 for anchors without positives. */
  fun supCon(f: Host, labels: IntArray, t: Double, sim: (DoubleArray, DoubleArray) -> Double = Sim.cosine): List<Double> {
    val z = rows(f)
    return z.indices.map { i ->
      val others = z.indices.filter { it != i }
      val logits = others.map { sim(z[i], z[it]) / t }
      val m = logits.max()
      val lse = m + kotlin.math.ln(logits.sumOf { kotlin.math.exp(it - m) })
      val pos = others.filter { labels[it] == labels[i] }
      if (pos.isEmpty()) 0.0 else -pos.sumOf { sim(z[i], z[it]) / t - lse } / pos.size
    }
  }

  /** Per-query cross-entropy of q_i against keys, target i. */
  fun inBatch(q: Host, k: Host, t: Double, sim: (DoubleArray, DoubleArray) -> Double): List<Double> {
    val qs = rows(q)
    val ks = rows(k)
    return qs.indices.map { i -> Ref.crossEntropy(DoubleArray(ks.size) { j -> sim(qs[i], ks[j]) / t }, i) }
  }

  /** [inBatch] with cosine (normalised) or dot (raw) similarity. */
  fun inBatch(q: Host, k: Host, t: Double, normalize: Boolean): List<Double> =
    inBatch(q, k, t, if (normalize) Sim.cosine else Sim.dot)

  fun clip(img: Host, txt: Host, logScale: Double, maxScale: Double = 100.0, sim: (DoubleArray, DoubleArray) -> Double = Sim.cosine): List<Double> {
    val s = minOf(kotlin.math.exp(logScale), maxScale)
    val i2t = inBatch(img, txt, 1 / s, sim)
    val t2i = inBatch(txt, img, 1 / s, sim)
    return i2t.indices.map { (i2t[it] + t2i[it]) / 2 }
  }

  /** Document 004's sinkhorn, in doubles: scores [B][P] -> codes [B][P]. */
  fun sinkhorn(scores: List<DoubleArray>, eps: Double, iters: Int): List<DoubleArray> {
    val b = scores.size
    val p = scores[0].size
    val q = Array(p) { k -> DoubleArray(b) { i -> kotlin.math.exp(scores[i][k] / eps) } }
    var total = q.sumOf { it.sum() }
    q.forEach { r -> for (i in 0 until b) r[i] /= total }
    repeat(iters) {
      for (k in 0 until p) { val s = q[k].sum(); for (i in 0 until b) q[k][i] /= s * p }
      for (i in 0 until b) { val s = (0 until p).sumOf { q[it][i] }; for (k in 0 until p) q[k][i] /= s * b }
    }
    return (0 until b).map { i -> val s = (0 until p).sumOf { q[it][i] }; DoubleArray(p) { k -> q[k][i] / s } }
  }

  fun logSoftmax(x: DoubleArray): DoubleArray {
    val m = x.max()
    val lse = m + kotlin.math.ln(x.sumOf { kotlin.math.exp(it - m) })
    return DoubleArray(x.size) { x[it] - lse }
  }
}
