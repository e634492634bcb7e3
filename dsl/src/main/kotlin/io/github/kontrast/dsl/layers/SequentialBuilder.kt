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
  /** The identity, f(x) = x (the default of every layer that takes an activation). */
  val linear: Activation get() = Activations.linear
  /** max(0, x). */
  val relu: Activation get() = Activations.relu
  /** The hyperbolic tangent. */
  val tanh: Activation get() = Activations.tanh
  /** 1 / (1 + exp(-x)). */
  val sigmoid: Activation get() = Activations.sigmoid
  /** GELU, x times the standard normal CDF of x (the transformers' activation). */
  val gelu: Activation get() = Activations.gelu
  /** log(1 + exp(x)). */
  val softplus: Activation get() = Activations.softplus
  /** ELU: x for x > 0, exp(x) - 1 otherwise. */
  val elu: Activation get() = Activations.elu
  /** SELU: ELU scaled by Klambauer et al.'s constants, self-normalising. */
  val selu: Activation get() = Activations.selu
  /** x for x > 0, [alpha] * x otherwise (default 0.3, Keras' value). */
  fun leakyRelu(alpha: Float = 0.3f): Activation = Activations.leakyRelu(alpha)

  /** Sets [name], the model name; returns this builder. */
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

  /** Max pooling over [poolSize] x [poolSize] windows, [strides] apart (default: the window, no overlap); see [MaxPool2D]. */
  @JvmOverloads
  fun maxPool(poolSize: Int, strides: Int = poolSize, padding: Padding = Padding.VALID, name: String? = null): SequentialBuilder =
    add(MaxPool2D(poolSize, poolSize, strides, strides, padding, name))

  /** Average pooling over [poolSize] x [poolSize] windows, [strides] apart (default: the window, no overlap); see [AvgPool2D]. */
  @JvmOverloads
  fun avgPool(poolSize: Int, strides: Int = poolSize, padding: Padding = Padding.VALID, name: String? = null): SequentialBuilder =
    add(AvgPool2D(poolSize, poolSize, strides, strides, padding, name))

  /** Zeroes each element with probability [rate] in training (inverted dropout); see [Dropout]. */
  @JvmOverloads
  fun dropout(rate: Float, name: String? = null): SequentialBuilder = add(Dropout(rate, name))

  /** Kotlin reads `dropout(0.4)` as a Double; accept it. */
  @JvmOverloads
  fun dropout(rate: Double, name: String? = null): SequentialBuilder = add(Dropout(rate.toFloat(), name))

  /** The mean over height and width of each channel: `[H, W, C]` -> `[C]`; see [GlobalAveragePooling2D]. */
  @JvmOverloads
  fun globalAveragePooling(name: String? = null): SequentialBuilder = add(GlobalAveragePooling2D(name))

  /** All per-example dimensions in one: `[H, W, C]` -> `[H * W * C]`; see [Flatten]. */
  @JvmOverloads
  fun flatten(name: String? = null): SequentialBuilder = add(Flatten(name))

  /** A fully connected layer of [units] outputs, y = activation(x W + b); see [Dense]. */
  @JvmOverloads
  fun dense(
    units: Int,
    activation: Activation = Activations.linear,
    useBias: Boolean = true,
    kernelInitializer: Initializer = Initializers.glorotUniform(),
    biasInitializer: Initializer = Initializers.zeros(),
    name: String? = null,
  ): SequentialBuilder = add(Dense(units, activation, useBias, kernelInitializer, biasInitializer, name))

  /** Batch normalization with moving-average [momentum] and [epsilon] (Keras' defaults 0.99, 1e-3); see [BatchNorm]. */
  @JvmOverloads
  fun batchNorm(momentum: Float = 0.99f, epsilon: Float = 1e-3f, name: String? = null): SequentialBuilder =
    add(BatchNorm(momentum, epsilon, name = name))

  /** A lookup table from ids in 0 until [inputDim] to vectors of [outputDim]; see [Embedding]. */
  @JvmOverloads
  fun embedding(inputDim: Int, outputDim: Int, initializer: Initializer = Initializers.uniform(), name: String? = null): SequentialBuilder =
    add(Embedding(inputDim, outputDim, initializer, name))

  /** [activation] applied on its own, as a layer; see [ActivationLayer]. */
  @JvmOverloads
  fun activation(activation: Activation, name: String? = null): SequentialBuilder = add(ActivationLayer(activation, name))

  /** The [Sequential] of the layers added so far, in order, named [name]. */
  fun build(): Sequential = Sequential(layers, name)
}

/** Kotlin: `sequential { conv2d(32, 3, activation = relu); flatten(); dense(10) }`. */
fun sequential(block: SequentialBuilder.() -> Unit): Sequential = SequentialBuilder().apply(block).build()
