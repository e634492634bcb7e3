package io.github.kontrast.samples

import picocli.CommandLine.Command

/** `./kontrast contrastive-loss`: document 000's four numbers. */
@Command(name = "contrastive-loss", description = ["document 000: the margin contrastive loss and the four values it prints (0.0, 4.0, 2591.99, 0.0)"])
class ContrastiveLossWalkthrough : Walkthrough() {
  override fun call(): Int = ContrastiveLossDemo.run()
}
