"""numba kernels for convolution and pooling, each beside its numpy reference.

Kernels take plain numpy arrays and write into arrays the caller allocates; they know nothing of Tensors.
numba itself is imported only by :mod:`autograd.kernels._jit`.
"""
