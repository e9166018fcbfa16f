/**
 * The transformer towers' forward and backward passes written out in ND4J operations, so a training step runs the
 * forward once, keeps what the backward needs (as PyTorch's autograd does) and releases it after the backward.
 *
 * <p>DL4J's SameDiff layers recompute their whole forward inside {@code backpropGradient} and allocate every
 * intermediate afresh; these classes do neither. They know nothing of parameter names or DL4J: the model package
 * hands them weight and gradient views ({@link org.carotspark.model.backprop.BlockWeights}) and owns the layout.
 * Every array a class keeps is its own and goes back to the tower's {@link org.carotspark.model.backprop.ScratchArrays}
 * in {@code release()}; arrays it returns belong to the caller.
 */
package org.carotspark.model.backprop;
