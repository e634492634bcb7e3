package io.github.kontrast.losses.miners;

import org.tensorflow.op.Ops;

/**
 * Index tuples into a batch: what a {@link Miner} returns and what every pair or triplet loss
 * accepts, as PyTorch Metric Learning's indices tuples. {@link IndexPairs} hold positive and negative
 * pairs, {@link IndexTriplets} anchor/positive/negative triplets; each converts to the other, so a
 * pair loss takes triplets and a triplet loss takes pairs.
 */
public sealed interface Tuples permits IndexPairs, IndexTriplets {
  /** These tuples as pairs (a triplet (a, p, n) gives the pairs (a, p) and (a, n)). */
  IndexPairs pairs(Ops tf);

  /** These tuples as triplets (pairs give every positive and negative pair sharing an anchor). */
  IndexTriplets triplets(Ops tf);
}
