package io.github.kontrast.dsl.plot

import io.github.kontrast.dsl.augment.Augmentation
import io.github.kontrast.dsl.augment.HostImage
import io.github.kontrast.dsl.augment.Normalize
import io.github.kontrast.dsl.augment.RandomResizedCrop
import io.github.kontrast.dsl.data.FloatHostArray
import org.jetbrains.letsPlot.Figure

/**
 * One image and [views] augmented views of it, as an [imageGrid]: "original" first, then "view 1",
 * "view 2", ... (the views [Augmentation.sample] draws from [seed], so the same call shows the same
 * pictures). A [Normalize] step is left out so that the pixels stay in [0, 1] and can be drawn; the
 * other steps draw the same random numbers as in training. Grey images go through [colormap], RGB
 * ones are drawn as they are. The original is shown resized to the views' size when they differ.
 */
@JvmOverloads
fun augmentationGallery(
  image: HostImage,
  augmentation: Augmentation,
  views: Int = 12,
  seed: Long = 0L,
  columns: Int = 7,
  colormap: Colormap = Colormap.GREYS,
): Figure {
  require(views > 0) { "views must be > 0, got $views" }
  require(image.channels == 1 || image.channels == 3) { "the image must have 1 or 3 channels to be drawn, got ${image.channels}" }
  val drawable = Augmentation(augmentation.ops.filter { it !is Normalize })
  val sampled = drawable.sample(image, views, seed)
  val h = sampled.shape[1]
  val w = sampled.shape[2]
  val original = if (image.height == h && image.width == w) image else RandomResizedCrop.of(h, w).crop(image, RandomResizedCrop.Box(0, 0, image.height, image.width))
  val all = FloatHostArray(original.data + sampled.data, intArrayOf(views + 1, h, w, image.channels))
  val captions = listOf(Caption("original")) + (1..views).map { Caption("view $it") }
  return imageGrid(all, captions, columns = minOf(columns, views + 1), colormap = colormap, cellWidth = 120, cellHeight = 136)
}
