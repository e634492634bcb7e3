package io.github.kontrast.losses

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import org.tensorflow.EagerSession
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

class SmokeSpec : FunSpec({
  test("tensorflow loads and adds") {
    EagerSession.create().use { s ->
      val tf = Ops.create(s)
      val x = tf.math.add(tf.constant(1f), tf.constant(2f))
      (x.asTensor() as TFloat32).getFloat() shouldBe 3f
    }
  }
})
