package io.github.kontrast.samples

/** `./kontrast contrastive-loss`: document 000's four numbers. */
object ContrastiveLossWalkthrough : Walkthrough {
  override val name = "contrastive-loss"
  override val summary = "document 000: the margin contrastive loss and the four values it prints (0.0, 4.0, 2591.99, 0.0)"
  override fun run(args: Args): Int = ContrastiveLossDemo.run()
}
