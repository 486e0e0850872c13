"""``autograd.linalg``, as ``torch.linalg``: norms, determinants, inverses, solves, products and singular values of
(batches of) matrices, whose trailing two dims are the matrix (*, m, n).

The ops live in ``autograd/ops`` (linalg_norms.py, linalg_inverse.py, linalg_svd.py, linalg.py); this module is
their public namespace.
"""

from autograd.ops.linalg import linalg_cross as cross
from autograd.ops.linalg import matmul, vecdot
from autograd.ops.linalg_inverse import det, inv, matrix_power, slogdet, solve
from autograd.ops.linalg_norms import matrix_norm, norm, vector_norm
from autograd.ops.linalg_svd import svdvals

__all__ = ["cross", "det", "inv", "matmul", "matrix_norm", "matrix_power", "norm", "slogdet", "solve", "svdvals",
           "vecdot", "vector_norm"]
