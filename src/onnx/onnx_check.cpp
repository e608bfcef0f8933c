#include "onnx/onnx_check.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include "core/error.h"

namespace edgeport {

void check_onnx_model(onnx::ModelProto model, const std::string& origin) {
  auto one_line = [](std::string text) {
    for (char& c : text) {
      if (c == '\n') c = ' ';
    }
    return text;
  };
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& failure) {
    throw Error(origin + ": rejected by the ONNX checker: " + one_line(failure.what()));
  }
  try {
    const onnx::ShapeInferenceOptions strict(/*check_type_val=*/true, /*strict_mode_val=*/1,
                                             /*data_prop_val=*/true);
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), strict);
  } catch (const std::exception& failure) {
    throw Error(origin + ": rejected by ONNX shape inference: " + one_line(failure.what()));
  }
}

}  // namespace edgeport
