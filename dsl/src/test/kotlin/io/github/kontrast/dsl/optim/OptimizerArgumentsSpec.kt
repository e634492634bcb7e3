package io.github.kontrast.dsl.optim

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.tensorflow.Graph
import org.tensorflow.Operand
import org.tensorflow.ndarray.Shape
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

class OptimizerArgumentsSpec : FunSpec({
  test("hyper-parameters out of range fail with the argument's name, the expectation and the value") {
    shouldThrow<IllegalArgumentException> { sgd(-0.1) }.message shouldContain "learningRate: expected a finite number > 0, got -0.1"
    shouldThrow<IllegalArgumentException> { sgd(0.1, momentum = 1.0) }.message shouldContain "momentum: expected a number in [0, 1), got 1.0"
    shouldThrow<IllegalArgumentException> { sgd(0.1, nesterov = true) }.message shouldContain "nesterov: expected momentum > 0"
    shouldThrow<IllegalArgumentException> { adam(beta1 = -0.1) }.message shouldContain "beta1: expected a number in [0, 1), got -0.1"
    shouldThrow<IllegalArgumentException> { adam(beta2 = 1.0) }.message shouldContain "beta2"
    shouldThrow<IllegalArgumentException> { adam(epsilon = 0.0) }.message shouldContain "epsilon: expected a finite number > 0, got 0.0"
    shouldThrow<IllegalArgumentException> { adamW(weightDecay = -1.0) }.message shouldContain "weightDecay: expected a finite number >= 0, got -1.0"
    shouldThrow<IllegalArgumentException> { rmsprop(rho = 1.5) }.message shouldContain "rho: expected a number in [0, 1), got 1.5"
    shouldThrow<IllegalArgumentException> { lars(1.0, eta = 0.0) }.message shouldContain "eta: expected a finite number > 0, got 0.0"
    shouldThrow<IllegalArgumentException> { lars(Double.POSITIVE_INFINITY) }.message shouldContain "learningRate"
    shouldThrow<IllegalArgumentException> { adam(Double.NaN) }.message shouldContain "learningRate"
  }

  test("the factories' defaults (Java calls the same functions as Optimizers.*)") {
    adam().describe() shouldBe "Adam(lr=constant(0.001), beta1=0.9, beta2=0.999, epsilon=1.0E-7)"
    rmsprop().describe() shouldBe "RMSprop(lr=constant(0.001), rho=0.9, momentum=0.0, epsilon=1.0E-7, centered=false)"
    lars(0.3).describe() shouldBe "LARS(lr=constant(0.3), momentum=0.9, weightDecay=1.0E-6, eta=0.001, nesterov=false)"
    lars(0.3).schedule.at(5) shouldBe 0.3
  }

  test("bad gradient lists fail at graph-build time") {
    Graph().use { graph ->
      val tf = Ops.create(graph)
      val w = tf.variable(Shape.of(2, 3), TFloat32::class.java)
      val p = Parameter("w", w)
      val inputs = StepInputs(tf.constant(0.1f), tf.constant(1f))
      val slots = SlotFactory { parameter, _ -> tf.variable(parameter.variable.shape(), TFloat32::class.java) }
      val good: Operand<TFloat32> = tf.zeros(tf.constant(longArrayOf(2, 3)), TFloat32::class.java)
      val wrongShape: Operand<TFloat32> = tf.zeros(tf.constant(longArrayOf(3, 2)), TFloat32::class.java)

      shouldThrow<IllegalArgumentException> { adam().applyGradients(tf, emptyList(), inputs, slots) }
        .message shouldContain "gradients: expected at least one (parameter, gradient) pair, got none"
      shouldThrow<IllegalArgumentException> { sgd().applyGradients(tf, listOf(p to good, p to good), inputs, slots) }
        .message shouldContain "gradients: expected each parameter once, got 'w' twice"
      shouldThrow<IllegalArgumentException> { lars(0.1).applyGradients(tf, listOf(p to wrongShape), inputs, slots) }
        .message shouldContain "gradients: expected the gradient of 'w' shaped like the parameter [2, 3], got [3, 2]"
    }
  }
})
