package io.github.kontrast.dsl.augment

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.floats.plusOrMinus
import io.kotest.matchers.ints.shouldBeInRange
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import java.util.SplittableRandom
import kotlin.math.exp
import kotlin.math.ln

/** Every step against values worked out by hand on tiny images. */
class AugmentOpsSpec : FunSpec({
  fun grey(h: Int, w: Int, vararg v: Float) = HostImage(h, w, 1, v)
  fun rgb(h: Int, w: Int, vararg v: Float) = HostImage(h, w, 3, v)
  fun close(actual: FloatArray, expected: FloatArray, tol: Float = 1e-5f) {
    actual.size shouldBe expected.size
    actual.forEachIndexed { i, a -> a shouldBe (expected[i] plusOrMinus tol) }
  }
  val always = SplittableRandom(1)

  test("a flip mirrors each row, and keeps the channels of a pixel together") {
    HorizontalFlip.of(1.0).apply(grey(2, 3, 1f, 2f, 3f, 4f, 5f, 6f), always).data.toList() shouldBe listOf(3f, 2f, 1f, 6f, 5f, 4f)
    HorizontalFlip.of(1.0).apply(rgb(1, 2, 1f, 2f, 3f, 4f, 5f, 6f), always).data.toList() shouldBe listOf(4f, 5f, 6f, 1f, 2f, 3f)
  }

  test("a 2x2 box of a 4x4 image enlarged to 4x4 is bilinear with pixel centres at +0.5") {
    // v(y, x) = 10y + x; the box holds rows 1-2, columns 1-2: [[11, 12], [21, 22]]. Enlarging 2 -> 4
    // puts output pixels at source positions -0.25, 0.25, 0.75, 1.25, clamped to the edge, so the
    // weights of the second source pixel are t = 0, 0.25, 0.75, 1 and v = 11 + 10 t_row + t_col.
    val image = HostImage(4, 4, 1, FloatArray(16) { (10 * (it / 4) + it % 4).toFloat() })
    val out = RandomResizedCrop.of(4).crop(image, RandomResizedCrop.Box(1, 1, 2, 2))
    close(
      out.data,
      floatArrayOf(
        11f, 11.25f, 11.75f, 12f,
        13.5f, 13.75f, 14.25f, 14.5f,
        18.5f, 18.75f, 19.25f, 19.5f,
        21f, 21.25f, 21.75f, 22f,
      ),
    )
  }

  test("a non-linear box: the 2x2 checkerboard enlarged to 4x4") {
    // bilinear of [[0, 1], [1, 0]]: (1 - ty) tx + ty (1 - tx) with t = 0, 1/4, 3/4, 1
    val out = RandomResizedCrop.of(4).crop(grey(2, 2, 0f, 1f, 1f, 0f), RandomResizedCrop.Box(0, 0, 2, 2))
    val t = floatArrayOf(0f, 0.25f, 0.75f, 1f)
    close(out.data, FloatArray(16) { val ty = t[it / 4]; val tx = t[it % 4]; (1 - ty) * tx + ty * (1 - tx) })
  }

  test("shrinking widens the triangle filter by the factor, as PIL does (antialiasing)") {
    // 4 -> 2: centres at 1 and 3 in source units, filter support 2, weights tri((x + 0.5 - c) / 2):
    // output 0 takes pixels 0, 1, 2 with 0.75, 0.75, 0.25 -> (0*3 + 1*3 + 2*1) / 7 = 5/7;
    // output 1 takes pixels 1, 2, 3 with 0.25, 0.75, 0.75 -> (1 + 6 + 9) / 7 = 16/7
    val out = RandomResizedCrop.of(1, 2).crop(grey(1, 4, 0f, 1f, 2f, 3f), RandomResizedCrop.Box(0, 0, 1, 4))
    close(out.data, floatArrayOf(5f / 7f, 16f / 7f))
    // an RGB box keeps its channels apart
    val colour = RandomResizedCrop.of(1, 1).crop(rgb(1, 2, 1f, 0f, 0f, 0f, 0f, 1f), RandomResizedCrop.Box(0, 0, 1, 2))
    close(colour.data, floatArrayOf(0.5f, 0f, 0.5f))
  }

  test("the random box lies within the image with its area fraction and ratio in range") {
    val crop = RandomResizedCrop.of(28).withScale(0.2, 1.0)
    val random = SplittableRandom(7)
    repeat(2000) {
      val b = crop.box(28, 28, random)
      (b.top + b.height) shouldBeInRange b.height..28
      (b.left + b.width) shouldBeInRange b.width..28
      // rounding each side to whole pixels moves area and ratio a little: allow half a pixel per side
      val area = b.height.toDouble() * b.width / (28 * 28)
      (0.2 * (1 - 1.0 / 28) * (1 - 1.0 / 28) - area) shouldBeLessThan 0.03
      val logRatio = ln(b.width.toDouble() / b.height)
      (kotlin.math.abs(logRatio) - ln(4.0 / 3.0)) shouldBeLessThan 2 * 0.5 / minOf(b.width, b.height)
    }
  }

  test("scale 1 and ratio 1 take the whole image; a ratio no box can have falls back to the centre cut") {
    val image = HostImage(5, 5, 1, FloatArray(25) { it.toFloat() })
    val whole = RandomResizedCrop.of(5).withScale(1.0, 1.0).withRatio(1.0, 1.0)
    whole.box(5, 5, SplittableRandom(3)) shouldBe RandomResizedCrop.Box(0, 0, 5, 5)
    whole.apply(image.copy(), SplittableRandom(3)).data.toList() shouldBe image.data.toList()
    // ratio 10..20 on a 28x28 image: no draw fits, so width 28 and height round(28 / 10) = 3, centred: top (28 - 3) / 2 = 12
    RandomResizedCrop.of(28).withScale(0.9, 1.0).withRatio(10.0, 20.0).box(28, 28, SplittableRandom(1)) shouldBe
      RandomResizedCrop.Box(12, 0, 3, 28)
    // a crop at p = 0 resizes the whole image instead
    RandomResizedCrop.of(5).withProbability(0.0).apply(image.copy(), SplittableRandom(9)).data.toList() shouldBe image.data.toList()
  }

  test("brightness, contrast and saturation follow torchvision's blend formulas, clamped to [0, 1]") {
    val b = grey(1, 3, 0.2f, 0.5f, 0.8f)
    ColorJitter.brighten(b, 1.5f)
    close(b.data, floatArrayOf(0.3f, 0.75f, 1f)) // 0.8 * 1.5 = 1.2 is clamped
    // contrast 0.5 around the mean 0.4: 0.5 v + 0.2
    val c = grey(2, 2, 0f, 0.2f, 0.4f, 1f)
    ColorJitter.contrast(c, 0.5f)
    close(c.data, floatArrayOf(0.2f, 0.3f, 0.4f, 0.7f))
    // on RGB the mean is the mean luma: pixels (1, 0, 0) and (0, 0, 1) have lumas 0.299 and 0.114
    val cc = rgb(1, 2, 1f, 0f, 0f, 0f, 0f, 1f)
    ColorJitter.contrast(cc, 0f)
    close(cc.data, FloatArray(6) { (0.299f + 0.114f) / 2 })
    // saturation 0 gives each pixel's luma, 2 pushes away from it
    val s = rgb(1, 1, 0.2f, 0.4f, 0.6f)
    ColorJitter.saturate(s, 0f)
    close(s.data, floatArrayOf(0.363f, 0.363f, 0.363f)) // 0.299*0.2 + 0.587*0.4 + 0.114*0.6
    val s2 = rgb(1, 1, 0.2f, 0.4f, 0.6f)
    ColorJitter.saturate(s2, 2f)
    close(s2.data, floatArrayOf(0.037f, 0.437f, 0.837f)) // 2 v - 0.363
  }

  test("a hue shift of a third of a turn takes red to green to blue; half a turn gives the complement") {
    fun shifted(shift: Float, vararg pixel: Float) = pixel.copyOf().also { Colour.shiftHue(it, shift) }
    close(shifted(1f / 3f, 1f, 0f, 0f), floatArrayOf(0f, 1f, 0f))
    close(shifted(1f / 3f, 0f, 1f, 0f), floatArrayOf(0f, 0f, 1f))
    close(shifted(-1f / 3f, 1f, 0f, 0f), floatArrayOf(0f, 0f, 1f))
    close(shifted(0.5f, 1f, 0f, 0f), floatArrayOf(0f, 1f, 1f))
    // (0.8, 0.4, 0.2): hue 1/18 turn, s 0.75, v 0.8; plus 1/6 turn -> hue 4/18 = sector 1 with f = 1/3:
    // r = v (1 - s f) = 0.6, g = v = 0.8, b = v (1 - s) = 0.2
    close(shifted(1f / 6f, 0.8f, 0.4f, 0.2f), floatArrayOf(0.6f, 0.8f, 0.2f))
    close(shifted(0.3f, 0.5f, 0.5f, 0.5f), floatArrayOf(0.5f, 0.5f, 0.5f)) // grey has no hue
  }

  test("colour jitter on one channel: saturation and hue do nothing, brightness scales every pixel by one factor") {
    val image = grey(2, 2, 0.1f, 0.3f, 0.5f, 0.7f)
    val unchanged = ColorJitter.of(0.0, 0.0, saturation = 0.9, hue = 0.5).apply(image.copy(), SplittableRandom(5))
    unchanged.data.toList() shouldBe image.data.toList()
    repeat(20) { seed ->
      val out = ColorJitter.of(0.4, 0.0).apply(image.copy(), SplittableRandom(seed.toLong())).data
      val factor = out[0] / 0.1f
      factor shouldBe (1f plusOrMinus 0.4f + 1e-6f)
      close(out, floatArrayOf(0.1f * factor, 0.3f * factor, 0.5f * factor, minOf(1f, 0.7f * factor)), 1e-5f)
    }
  }

  test("grayscale uses the 0.299, 0.587, 0.114 luma in all three channels, and leaves one channel alone") {
    val out = RandomGrayscale.of(1.0).apply(rgb(1, 3, 1f, 0f, 0f, 0f, 1f, 0f, 0.2f, 0.4f, 0.6f), always)
    close(out.data, floatArrayOf(0.299f, 0.299f, 0.299f, 0.587f, 0.587f, 0.587f, 0.363f, 0.363f, 0.363f))
    RandomGrayscale.of(1.0).apply(grey(1, 2, 0.3f, 0.9f), always).data.toList() shouldBe listOf(0.3f, 0.9f)
  }

  test("the blur kernel sums to 1 and matches exp(-x^2 / 2 sigma^2) by hand") {
    for (size in listOf(1, 3, 5, 23)) for (sigma in listOf(0.1, 0.7, 2.0)) {
      GaussianBlur.kernel(size, sigma).sum() shouldBe (1f plusOrMinus 1e-6f)
    }
    // size 3, sigma 1: weights e^-1/2, 1, e^-1/2 over their sum
    val e = exp(-0.5).toFloat()
    close(GaussianBlur.kernel(3, 1.0), floatArrayOf(e / (1 + 2 * e), 1 / (1 + 2 * e), e / (1 + 2 * e)), 1e-7f)
  }

  test("a 3x3 impulse blurred with the 3x3 kernel, borders reflected") {
    // k = (a, b, a) with a = e^-1/2 / (1 + 2 e^-1/2), b = 1 / (1 + 2 e^-1/2). Reflection maps row -1 to
    // row 1, so a border pixel sees the centre through both outer taps: corner (2a)^2, edge 2a b, centre b^2
    val e = exp(-0.5)
    val a = (e / (1 + 2 * e)).toFloat()
    val b = (1 / (1 + 2 * e)).toFloat()
    val out = GaussianBlur.blur(grey(3, 3, 0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f), GaussianBlur.kernel(3, 1.0))
    val corner = 4 * a * a
    val edge = 2 * a * b
    close(out.data, floatArrayOf(corner, edge, corner, edge, b * b, edge, corner, edge, corner), 1e-6f)
    // a constant image stays constant, RGB channels stay apart
    val flat = GaussianBlur.blur(HostImage(4, 5, 3, FloatArray(60) { listOf(0.2f, 0.5f, 0.9f)[it % 3] }), GaussianBlur.kernel(5, 1.3))
    close(flat.data, FloatArray(60) { listOf(0.2f, 0.5f, 0.9f)[it % 3] })
    GaussianBlur.reflect(-1, 5) shouldBe 1
    GaussianBlur.reflect(5, 5) shouldBe 3
    GaussianBlur.reflect(-6, 3) shouldBe 2 // reflections repeat for a kernel wider than the image
    GaussianBlur.reflect(4, 1) shouldBe 0
  }

  test("solarize inverts values at or above the threshold") {
    Solarize.of(0.5f, 1.0).apply(grey(1, 4, 0.2f, 0.5f, 0.6f, 0.9f), always).data.toList() shouldBe listOf(0.2f, 0.5f, 1f - 0.6f, 1f - 0.9f)
  }

  test("normalize subtracts the mean and divides by the std of each channel") {
    val out = Normalize.of(floatArrayOf(0.5f, 0f, 1f), floatArrayOf(0.5f, 2f, 0.25f)).apply(rgb(1, 1, 1f, 1f, 0.5f), always)
    close(out.data, floatArrayOf(1f, 0.5f, -2f))
    shouldThrow<IllegalArgumentException> { Normalize.imagenet().outputShape(ImageShape(28, 28, 1)) }.message shouldContain
      "Normalize has 3 means and stds but the image has 1 channel(s)"
  }

  test("p = 0 never changes an image, p = 1 always does, p = 0.5 about half the time") {
    val image = rgb(2, 2, 0.9f, 0.1f, 0.3f, 0.6f, 0.7f, 0.2f, 0.1f, 0.8f, 0.95f, 0.55f, 0.35f, 0.05f)
    // blur sigma from 1: at 0.1 the outer taps weigh e^-50 and the blur changes nothing
    val ops: (Double) -> List<ImageOp> = { p ->
      listOf(
        HorizontalFlip.of(p), ColorJitter.of(0.4, 0.4, 0.4, 0.1, p), RandomGrayscale.of(p),
        GaussianBlur.of(3, minSigma = 1.0, p = p), Solarize.of(0.5f, p), RandomResizedCrop.of(2).withScale(0.25, 0.25).withProbability(p),
      )
    }
    for ((never, always) in ops(0.0).zip(ops(1.0))) {
      repeat(100) { seed ->
        never.apply(image.copy(), SplittableRandom(seed.toLong())).data.toList() shouldBe image.data.toList()
        always.apply(image.copy(), SplittableRandom(seed.toLong())).data.toList() shouldNotBe image.data.toList()
      }
    }
    val flips = (0 until 1000).count { HorizontalFlip.of(0.5).apply(image.copy(), SplittableRandom(it.toLong())).data[0] != 0.9f }
    flips shouldBeInRange 450..550 // 1000 fair draws: 3 standard deviations is 47
  }

  test("bad arguments are rejected naming them") {
    shouldThrow<IllegalArgumentException> { HorizontalFlip.of(1.5) }.message shouldContain "p must be a probability in [0, 1], got 1.5"
    shouldThrow<IllegalArgumentException> { RandomResizedCrop.of(28).withScale(0.0, 1.0) }.message shouldContain "scale must be a range within (0, 1]"
    shouldThrow<IllegalArgumentException> { RandomResizedCrop.of(28).withRatio(2.0, 1.0) }.message shouldContain "ratio must be a range"
    shouldThrow<IllegalArgumentException> { GaussianBlur.of(4) }.message shouldContain "kernelSize must be a positive odd number, got 4"
    shouldThrow<IllegalArgumentException> { ColorJitter.of(0.4, 0.4, hue = 0.7) }.message shouldContain "hue must be in [0, 0.5], got 0.7"
    shouldThrow<IllegalArgumentException> { Normalize.of(floatArrayOf(0.5f), floatArrayOf(0f)) }.message shouldContain "std must be positive"
    shouldThrow<IllegalArgumentException> {
      RandomResizedCrop.of(4).crop(grey(3, 3, *FloatArray(9)), RandomResizedCrop.Box(1, 1, 3, 3))
    }.message shouldContain "box must lie within the 3x3 image"
  }
})
