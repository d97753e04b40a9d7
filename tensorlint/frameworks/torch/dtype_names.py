"""The names torch spells its dtypes with (`torch.float`, `torch.long`) and its legacy tensor types
(`torch.FloatTensor`), registered in the dtype table as the package is imported."""
from __future__ import annotations

from ..registry import DTYPES

TORCH_DTYPES = {
    "float32": "float32", "float": "float32", "float64": "float64", "double": "float64", "float16": "float16",
    "half": "float16", "bfloat16": "bfloat16", "int64": "int64", "long": "int64", "int32": "int32", "int": "int32",
    "int16": "int16", "short": "int16", "int8": "int8", "uint8": "uint8", "bool": "bool",
    "complex64": "complex64", "complex128": "complex128",
}
DTYPES.update({"torch." + k: v for k, v in TORCH_DTYPES.items()})
# legacy tensor types name a dtype too: `x.type(torch.FloatTensor)`, `x.type('torch.cuda.LongTensor')`
TENSOR_TYPES = {
    "FloatTensor": "float32", "DoubleTensor": "float64", "HalfTensor": "float16", "BFloat16Tensor": "bfloat16",
    "LongTensor": "int64", "IntTensor": "int32", "ShortTensor": "int16", "CharTensor": "int8", "ByteTensor": "uint8",
    "BoolTensor": "bool",
}
for _k, _v in TENSOR_TYPES.items():
    DTYPES["torch." + _k] = DTYPES["torch.cuda." + _k] = _v
