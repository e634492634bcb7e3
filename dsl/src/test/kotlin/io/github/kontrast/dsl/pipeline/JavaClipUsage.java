package io.github.kontrast.dsl.pipeline;

import io.github.kontrast.dsl.engine.Verbosity;
import io.github.kontrast.dsl.layers.Activations;
import io.github.kontrast.dsl.layers.MaskedMeanPooling;
import io.github.kontrast.dsl.layers.Padding;
import io.github.kontrast.dsl.layers.PositionalEmbedding;
import io.github.kontrast.dsl.layers.Sequential;
import io.github.kontrast.dsl.layers.TransformerBlock;
import io.github.kontrast.dsl.optim.Optimizers;
import io.github.kontrast.dsl.text.Tokenizer;

/** ClipSpec's model from plain Java: builders and ordinary objects, no Kotlin-only features. */
public final class JavaClipUsage {
  private JavaClipUsage() {}

  public static ClipModel build(Tokenizer tokenizer) {
    Sequential image = Sequential.builder()
        .name("image_encoder")
        .conv2d(16, 3, Activations.relu, 1, Padding.SAME).maxPool(2).flatten().dense(32, Activations.relu)
        .build();
    Sequential text = Sequential.builder()
        .name("text_encoder")
        .embedding(tokenizer.getVocabularySize(), 16)
        .add(new PositionalEmbedding())
        .add(new TransformerBlock(2, 32))
        .add(new MaskedMeanPooling())
        .build();
    return Clip.builder()
        .seed(5)
        .verbosity(Verbosity.SILENT)
        .image(new ClipImageTower().input(8, 8, 3).encoder(image).projection(16))
        .text(new ClipTextTower().tokenizer(tokenizer).encoder(text).projection(16))
        .optimizer(Optimizers.adam(3e-3))
        .build();
  }
}
