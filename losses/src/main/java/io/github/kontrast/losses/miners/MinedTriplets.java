package io.github.kontrast.losses.miners;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Triplets chosen by a {@link TripletMiner}, as distances that broadcast against each other:
 * anchor-positive distances, anchor-negative distances, and a 0/1 mask of the triplets that exist
 * (an anchor without a positive or a negative in the batch has none). The loss of a triplet is
 * f(anchorPositive - anchorNegative), counted where {@code valid} is 1; {@code valid} has the full
 * shape of that difference.
 */
public record MinedTriplets(
    Operand<TFloat32> anchorPositive, Operand<TFloat32> anchorNegative, Operand<TFloat32> valid) {}
