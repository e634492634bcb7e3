package io.github.kontrast.dsl.layers

/**
 * The geometry that max and average pooling share: window, strides (the window by default, as in
 * Keras), padding, and the output shape they give.
 *
 * @property poolHeight the window's height in pixels.
 * @property poolWidth the window's width in pixels.
 * @property strideHeight the vertical step between windows.
 * @property strideWidth the horizontal step between windows.
 * @property padding [Padding.VALID] keeps only whole windows, [Padding.SAME] pads the edges.
 */
abstract class Pool2D(
  val poolHeight: Int,
  val poolWidth: Int,
  val strideHeight: Int,
  val strideWidth: Int,
  val padding: Padding,
  name: String?,
) : Layer(name) {
  init {
    require(poolHeight > 0 && poolWidth > 0) { "pool size must be > 0, got ${poolHeight}x$poolWidth" }
    require(strideHeight > 0 && strideWidth > 0) { "strides must be > 0, got ${strideHeight}x$strideWidth" }
  }

  override fun outputShape(input: IntArray): IntArray {
    requireRank(input, 3, "[height, width, channels]")
    val h = windowOutput(input[0], poolHeight, strideHeight, padding)
    val w = windowOutput(input[1], poolWidth, strideWidth, padding)
    require(h > 0 && w > 0) { "$typeName pool ${poolHeight}x$poolWidth does not fit input ${input.contentToString()}" }
    return intArrayOf(h, w, input[2])
  }

  /** The window and strides as TF's NHWC lists. */
  protected val windowSizes: List<Long> get() = listOf(1L, poolHeight.toLong(), poolWidth.toLong(), 1L)
  protected val windowStrides: List<Long> get() = listOf(1L, strideHeight.toLong(), strideWidth.toLong(), 1L)
}
