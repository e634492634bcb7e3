package io.github.kontrast.dsl.data

import java.util.SplittableRandom

/** The images of each class, for drawing partners of the same or of another class. */
internal class ClassIndex(private val labels: IntArray) {
  private val members: Map<Int, IntArray> =
    labels.indices.groupBy { labels[it] }.mapValues { it.value.toIntArray() }

  init {
    require(labels.isNotEmpty()) { "images must not be empty: there is nothing to pair" }
    require(members.size >= 2) {
      "images must have at least 2 classes to draw negatives, got only class ${members.keys.single()}"
    }
  }

  /** A uniformly drawn image of [label] (possibly the image being paired itself, as np.random.choice may draw it). */
  fun sameClass(label: Int, random: SplittableRandom): Int {
    val m = members.getValue(label)
    return m[random.nextInt(m.size)]
  }

  /** A uniformly drawn image of [label] other than [i] when the class has another one. */
  fun sameClassOther(i: Int, label: Int, random: SplittableRandom): Int {
    val m = members.getValue(label)
    if (m.size == 1) return i
    while (true) {
      val j = m[random.nextInt(m.size)]
      if (j != i) return j
    }
  }

  /** A uniformly drawn image of any class but [label] (rejection sampling: uniform over those images). */
  fun otherClass(label: Int, random: SplittableRandom): Int {
    while (true) {
      val k = random.nextInt(labels.size)
      if (labels[k] != label) return k
    }
  }

  companion object {
    /** Shuffles [a] in place (Fisher-Yates). */
    fun shuffle(a: IntArray, random: SplittableRandom) {
      for (i in a.size - 1 downTo 1) {
        val j = random.nextInt(i + 1)
        val t = a[i]; a[i] = a[j]; a[j] = t
      }
    }
  }
}
