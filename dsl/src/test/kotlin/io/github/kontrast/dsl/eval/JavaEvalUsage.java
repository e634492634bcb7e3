package io.github.kontrast.dsl.eval;

import io.github.kontrast.dsl.data.FloatHostArray;
import io.github.kontrast.dsl.data.IntHostArray;
import io.github.kontrast.dsl.data.LabeledImages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The evaluations from plain Java, compiled by javac and checked in EvalApiSpec. */
public final class JavaEvalUsage {
  private JavaEvalUsage() {}

  /** k-NN, linear probe, PCA and the collapse measure on [images] through an embedding function that flattens them. */
  public static Map<String, Object> run(LabeledImages train, LabeledImages test) {
    EmbeddingFunction flatten = images -> new FloatHostArray(images.getData(), new int[] {images.getRows(), images.getRowLength()});
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("knn", KnnClassifier.create().withK(5).withTemperature(0.1).evaluate(flatten, train, test));
    LinearProbeResult probe = LinearProbe.create().withEpochs(10).withBatchSize(16).withSgd(0.1, 0.9).withSeed(3).evaluate(flatten, train, test);
    out.put("probe", probe.getAccuracy());
    FloatHostArray embeddings = flatten.embed(test.getImages());
    out.put("pca", Pca.fit(embeddings, 2).getExplainedVarianceRatio()[0]);
    List<String> warnings = new ArrayList<>();
    CollapseMonitor monitor = new CollapseMonitor(test.getImages(), flatten).withThreshold(0.1).withWarnings(warnings::add);
    out.put("std", CollapseMonitor.embeddingStd(embeddings));
    out.put("monitor", monitor.getKey());
    return out;
  }
}
