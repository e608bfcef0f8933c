#include "tflite/ops/filter_import.h"

namespace edgeport {
namespace {

// An int8 filter read directly by a hybrid op must be symmetric, with its
// scales (if several) along the output channels.
void check_hybrid_filter(const OperatorSite& site, int tensor, int channel_dimension) {
  const std::optional<QuantParams> quant = site.model().quantization(tensor, channel_dimension);
  if (!quant) site.fail(site.model().tensor_label(tensor) + " is int8 without quantization parameters");
  if (!quant->symmetric()) {
    site.fail(site.model().tensor_label(tensor) + " has nonzero zero points, which TFLite's hybrid kernels ignore");
  }
  if (quant->per_channel() && quant->axis != channel_dimension) {
    site.fail(site.model().tensor_label(tensor) + " is quantized along an axis other than its output channels");
  }
}

}  // namespace

ImportedFilter import_filter(const OperatorSite& site, int tensor, const tflite_layout::Perm& perm,
                             int channel_dimension) {
  const DType type = site.model().dtype(tensor);
  if (type == DType::Float32) return {site.context.value_in(tensor, perm), false};
  if (type != DType::Int8) {
    site.fail(site.model().tensor_label(tensor) + " is " + std::string(dtype_name(type)) +
              ", not a float32 or int8 filter");
  }
  check_hybrid_filter(site, tensor, channel_dimension);
  return {site.context.filter_value(tensor, perm, channel_dimension), true};
}

std::vector<int> weighted_op_inputs(const OperatorSite& site, int x, const ImportedFilter& filter, Attributes& attrs) {
  if (filter.hybrid) attrs.set("hybrid", std::int64_t{1});
  std::vector<int> inputs{x, filter.value};
  const int bias = site.optional_input(2);
  if (bias < 0) return inputs;
  site.expect_float(bias);
  inputs.push_back(site.context.value_in(bias, tflite_layout::identity(site.rank(bias))));
  return inputs;
}

}  // namespace edgeport
