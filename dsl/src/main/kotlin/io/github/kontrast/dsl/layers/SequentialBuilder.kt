package io.github.kontrast.dsl.layers

/**
 * Builds a [Sequential] one layer at a time. From Kotlin it is the receiver of `encoder { ... }`
 * blocks (`conv2d(128, 2, activation = relu)`); from Java it chains
 * (`Sequential.builder().conv2d(128, 2, Activations.relu).maxPool(2).build()`).
 */
class SequentialBuilder {
  private val layers = mutableListOf<Layer>()

  /** Model name shown in summaries and used as the variables' scope. */
  var name: String = "sequential"

  // the activations by name, so that DSL blocks can write `activation = relu`
  val linear: Activation get() = Activations.linear
  val relu: Activation get() = Activations.relu
  val tanh: Activation get() = Activations.tanh
  val sigmoid: Activation get() = Activations.sigmoid
  val gelu: Activation get() = Activations.gelu
  val softplus: Activation get() = Activations.softplus
  val elu: Activation get() = Activations.elu
  val selu: Activation get() = Activations.selu
  fun leakyRelu(alpha: Float = 0.3f): Activation = Activations.leakyRelu(alpha)

  fun name(name: String): SequentialBuilder = apply { this.name = name }

  /** Adds any layer, including one of your own. */
  fun add(layer: Layer): SequentialBuilder = apply { layers += layer }

  /** A square kernel with equal strides; use [add] with [Conv2D] for rectangular ones. */
  @JvmOverloads
  fun conv2d(
    filters: Int,
    kernelSize: Int,
    activation: Activation = Activations.linear,
    strides: Int = 1,
    padding: Padding = Padding.VALID,
    useBias: Boolean = true,
    kernelInitializer: Initializer = Initializers.glorotUniform(),
    biasInitializer: Initializer = Initializers.zeros(),
    name: String? = null,
  ): SequentialBuilder = add(
    Conv2D(filters, kernelSize, kernelSize, strides, strides, padding, activation, useBias, kernelInitializer, biasInitializer, name),
  )

  /** A transposed convolution (a decoder's learned upsampling), square kernel and equal strides; see [Conv2DTranspose]. */
  @JvmOverloads
  fun conv2dTranspose(
    filters: Int,
    kernelSize: Int,
    activation: Activation = Activations.linear,
    strides: Int = 1,
    padding: Padding = Padding.VALID,
    useBias: Boolean = true,
    kernelInitializer: Initializer = Initializers.glorotUniform(),
    biasInitializer: Initializer = Initializers.zeros(),
    name: String? = null,
  ): SequentialBuilder = add(
    Conv2DTranspose(filters, kernelSize, kernelSize, strides, strides, padding, activation, useBias, kernelInitializer, biasInitializer, name),
  )

  /** Repeats every pixel [size] x [size] times (or interpolates, with [UpSampling2D.Interpolation.BILINEAR]). */
  @JvmOverloads
  fun upSampling(size: Int, interpolation: UpSampling2D.Interpolation = UpSampling2D.Interpolation.NEAREST, name: String? = null): SequentialBuilder =
    add(UpSampling2D(size, size, interpolation, name))

  /** A new per-example shape with the same number of elements: `reshape(7, 7, 32)`; one dimension may be -1. */
  fun reshape(vararg shape: Int): SequentialBuilder = add(Reshape(shape))

  @JvmOverloads
  fun maxPool(poolSize: Int, strides: Int = poolSize, padding: Padding = Padding.VALID, name: String? = null): SequentialBuilder =
    add(MaxPool2D(poolSize, poolSize, strides, strides, padding, name))

  @JvmOverloads
  fun avgPool(poolSize: Int, strides: Int = poolSize, padding: Padding = Padding.VALID, name: String? = null): SequentialBuilder =
    add(AvgPool2D(poolSize, poolSize, strides, strides, padding, name))

  @JvmOverloads
  fun dropout(rate: Float, name: String? = null): SequentialBuilder = add(Dropout(rate, name))

  /** Kotlin reads `dropout(0.4)` as a Double; accept it. */
  @JvmOverloads
  fun dropout(rate: Double, name: String? = null): SequentialBuilder = add(Dropout(rate.toFloat(), name))

  @JvmOverloads
  fun globalAveragePooling(name: String? = null): SequentialBuilder = add(GlobalAveragePooling2D(name))

  @JvmOverloads
  fun flatten(name: String? = null): SequentialBuilder = add(Flatten(name))

  @JvmOverloads
  fun dense(
    units: Int,
    activation: Activation = Activations.linear,
    useBias: Boolean = true,
    kernelInitializer: Initializer = Initializers.glorotUniform(),
    biasInitializer: Initializer = Initializers.zeros(),
    name: String? = null,
  ): SequentialBuilder = add(Dense(units, activation, useBias, kernelInitializer, biasInitializer, name))

  @JvmOverloads
  fun batchNorm(momentum: Float = 0.99f, epsilon: Float = 1e-3f, name: String? = null): SequentialBuilder =
    add(BatchNorm(momentum, epsilon, name = name))

  @JvmOverloads
  fun embedding(inputDim: Int, outputDim: Int, initializer: Initializer = Initializers.uniform(), name: String? = null): SequentialBuilder =
    add(Embedding(inputDim, outputDim, initializer, name))

  @JvmOverloads
  fun activation(activation: Activation, name: String? = null): SequentialBuilder = add(ActivationLayer(activation, name))

  fun build(): Sequential = Sequential(layers, name)
}

/** Kotlin: `sequential { conv2d(32, 3, activation = relu); flatten(); dense(10) }`. */
fun sequential(block: SequentialBuilder.() -> Unit): Sequential = SequentialBuilder().apply(block).build()
