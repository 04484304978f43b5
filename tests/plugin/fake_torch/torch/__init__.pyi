from torch._tensor import Tensor as Tensor
