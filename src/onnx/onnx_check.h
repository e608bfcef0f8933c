#pragma once

#include <string>

#include <onnx/onnx_pb.h>

namespace edgeport {

// What `onnx.checker.check_model(model, full_check=True)` does: the checker,
// then ONNX shape inference in strict mode with type checks, which also fails
// when an inferred shape contradicts a declared one. Throws an Error that
// starts with `origin`. Inference writes into the model, hence the copy; a
// caller done with its model moves it in.
void check_onnx_model(onnx::ModelProto model, const std::string& origin);

}  // namespace edgeport
