#include "tflite/operator_site.h"

namespace edgeport {

void OperatorSite::fail(const std::string& problem) const {
  context.model.fail(context.model.operator_label(index) + ": " + problem);
}

int OperatorSite::input(std::size_t position) const {
  if (position >= inputs.size() || inputs[position] < 0) fail("input " + std::to_string(position) + " is missing");
  return inputs[position];
}

int OperatorSite::optional_input(std::size_t position) const {
  return position < inputs.size() ? inputs[position] : -1;
}

void OperatorSite::expect_counts(std::size_t min_inputs, std::size_t max_inputs) const {
  if (inputs.size() < min_inputs || inputs.size() > max_inputs) {
    fail("has " + std::to_string(inputs.size()) + " inputs, expected " + std::to_string(min_inputs) +
         (max_inputs != min_inputs ? " to " + std::to_string(max_inputs) : ""));
  }
  if (outputs.size() != 1) fail("has " + std::to_string(outputs.size()) + " outputs, expected 1");
}

void OperatorSite::expect_rank(int tensor, std::size_t expected) const {
  if (rank(tensor) != expected) {
    fail(model().tensor_label(tensor) + " has rank " + std::to_string(rank(tensor)) + ", expected " +
         std::to_string(expected));
  }
}

void OperatorSite::expect_float(int tensor) const {
  if (model().dtype(tensor) != DType::Float32) {
    fail(model().tensor_label(tensor) + " is " + std::string(dtype_name(model().dtype(tensor))) +
         "; only float32 activations are supported (not fully integer models)");
  }
}

std::vector<std::int64_t> OperatorSite::integers(int tensor) const {
  if (!model().is_constant(tensor)) fail(model().tensor_label(tensor) + " must be a constant");
  const Tensor data = model().constant(tensor);
  std::vector<std::int64_t> values;
  if (data.dtype() == DType::Int32) {
    for (std::int32_t v : data.values<std::int32_t>()) values.push_back(v);
  } else if (data.dtype() == DType::Int64) {
    for (std::int64_t v : data.values<std::int64_t>()) values.push_back(v);
  } else {
    fail(model().tensor_label(tensor) + " must hold int32 or int64 values");
  }
  return values;
}

}  // namespace edgeport
