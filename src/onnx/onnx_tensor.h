#pragma once

#include <string>

#include <onnx/onnx_pb.h>

#include "core/tensor.h"

namespace edgeport {

// ONNX TensorProto element type of an IR dtype; throws for dtypes ONNX lacks.
onnx::TensorProto_DataType onnx_dtype(DType dtype);
// IR dtype of an ONNX element type; `what` names the tensor in the Error.
DType dtype_from_onnx(int element_type, const std::string& what);

// An initializer holding the tensor's values (raw little-endian bytes).
onnx::TensorProto tensor_to_onnx(const Tensor& tensor, const std::string& name);

// The values of an initializer or Constant. Checks dims, element count and
// data size, and rejects external and segmented data; `origin` starts every
// error message (file and tensor).
Tensor tensor_from_onnx(const onnx::TensorProto& proto, const std::string& origin);

}  // namespace edgeport
