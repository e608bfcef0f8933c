// IR Pad <-> PAD (zeros) or PADV2 (another value), with the paddings listed
// in the order the input tensor holds its axes.
#include "core/ops/pad.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"
#include "tflite/ops/pad_operator.h"
#include "tflite/ops/version_conditions.h"

namespace edgeport {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;
using Perm = tflite_layout::Perm;

void lower_pad(LoweringContext& context, const Node& node) {
  const int input = node.inputs.at(0);
  const std::size_t rank = context.graph.value(input).shape.size();
  const std::vector<std::int64_t> pads = node.attrs.get_ints("pads");
  const auto value = static_cast<float>(node.attrs.get_float("value", 0.0));
  const Perm perm = context.natural_perm(input);
  const int x = context.tensor_for(input, perm);
  std::vector<std::int64_t> paddings;
  for (int axis : perm) {
    paddings.push_back(pads.at(static_cast<std::size_t>(axis)));
    paddings.push_back(pads.at(static_cast<std::size_t>(axis) + rank));
  }
  const int paddings_tensor =
      context.int32_constant(node.name + "/paddings", paddings, {static_cast<std::int64_t>(rank), 2});
  const int y = context.define(node.outputs.at(0), perm);
  emit_pad(context, x, paddings_tensor, y, value, node.name);
}

// PADV2's fill value, 0 for PAD.
float imported_fill(const OperatorSite& site, bool with_value) {
  if (!with_value || site.optional_input(2) < 0) return 0.0f;
  const Tensor value = site.model().constant(site.input(2));
  if (value.dtype() != DType::Float32 || value.numel() != 1) site.fail("pad value must be one float32");
  return value.data<float>()[0];
}

void import_pad(OperatorSite& site, bool with_value) {
  site.expect_counts(2, with_value ? 3 : 2);
  const int x_tensor = site.input(0);
  site.expect_float(x_tensor);
  const std::size_t rank = site.rank(x_tensor);
  const std::vector<std::int64_t> paddings = site.integers(site.input(1));
  if (paddings.size() != 2 * rank) site.fail("paddings do not have shape [" + std::to_string(rank) + ", 2]");
  const float fill = imported_fill(site, with_value);
  const Perm perm = site.context.natural_perm(x_tensor);
  std::vector<std::int64_t> pads(2 * rank);
  for (std::size_t i = 0; i < rank; ++i) {
    if (paddings[2 * i] < 0 || paddings[2 * i + 1] < 0) site.fail("negative padding is not supported");
    pads[static_cast<std::size_t>(perm[i])] = paddings[2 * i];
    pads[static_cast<std::size_t>(perm[i]) + rank] = paddings[2 * i + 1];
  }
  Attributes attrs;
  attrs.set("pads", pads);
  attrs.set("value", static_cast<double>(fill));
  const int y =
      site.context.add_node(op::Pad, site.output(), "", {site.context.value_in(x_tensor, perm)}, std::move(attrs));
  site.context.hold(site.output(), y, perm);
}

int pad_version(const TfliteVersionQuery& query) {
  if (rank_of(query.input(0)) > 4) return 4;
  if (is(query.input(0), TensorType::INT16)) return 3;
  return int8_version(query);
}

const TfliteLoweringRegistration lowering({op::Pad}, lower_pad);
const TfliteImportRegistration pad_import({BuiltinOperator::PAD}, {op::Pad},
                                          [](OperatorSite& site) { import_pad(site, false); });
const TfliteImportRegistration padv2_import({BuiltinOperator::PADV2}, {op::Pad},
                                            [](OperatorSite& site) { import_pad(site, true); });
const TfliteVersionRegistration rule({BuiltinOperator::PAD, BuiltinOperator::PADV2}, pad_version);

}  // namespace
}  // namespace edgeport
