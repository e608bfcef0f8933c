// IR Slice <-> SLICE, whose begin and size per tensor axis are listed in
// the order the input tensor already holds its axes.
#include "core/ops/slice.h"
#include "tflite/builtin_options.h"
#include "tflite/import_registry.h"
#include "tflite/lowering_registry.h"
#include "tflite/ops/version_conditions.h"

namespace edgeport {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;
using Perm = tflite_layout::Perm;

void lower_slice(LoweringContext& context, const Node& node) {
  const int input = node.inputs.at(0);
  const std::vector<SliceRange> ranges = slice_ranges(node, context.graph.value(input).shape);
  const Perm perm = context.natural_perm(input);
  const int x = context.tensor_for(input, perm);
  std::vector<std::int64_t> begin, size;
  for (int axis : perm) {
    begin.push_back(ranges[static_cast<std::size_t>(axis)].begin);
    size.push_back(ranges[static_cast<std::size_t>(axis)].count);
  }
  const int begin_tensor = context.int32_constant(node.name + "/begin", begin);
  const int size_tensor = context.int32_constant(node.name + "/size", size);
  const int y = context.define(node.outputs.at(0), perm);
  context.builder.add_operator(
      BuiltinOperator::SLICE, {x, begin_tensor, size_tensor}, {y},
      builtin_options(tflite::BuiltinOptions::SliceOptions, [](auto& fbb) { return tflite::CreateSliceOptions(fbb); }));
}

// SLICE's begin and size (-1: to the end) per tensor axis become the IR's
// starts, ends and axes in the layout the input is held in.
void import_slice(OperatorSite& site) {
  site.expect_counts(3, 3);
  const int x_tensor = site.input(0);
  site.expect_float(x_tensor);
  const Shape shape = site.shape(x_tensor);
  const std::vector<std::int64_t> begin = site.integers(site.input(1));
  const std::vector<std::int64_t> size = site.integers(site.input(2));
  if (begin.size() != shape.size() || size.size() != shape.size()) {
    site.fail("begin and size must hold " + std::to_string(shape.size()) + " values, one per axis");
  }
  const Perm perm = site.context.natural_perm(x_tensor);
  std::vector<std::int64_t> starts, ends, axes;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const std::int64_t count = size[i] == -1 ? shape[i] - begin[i] : size[i];
    if (begin[i] < 0 || count < 0 || begin[i] + count > shape[i]) {
      site.fail("begin " + std::to_string(begin[i]) + " and size " + std::to_string(size[i]) + " leave axis " +
                std::to_string(i) + " of extent " + std::to_string(shape[i]));
    }
    starts.push_back(begin[i]);
    ends.push_back(begin[i] + count);
    axes.push_back(perm[i]);
  }
  Attributes attrs;
  attrs.set("starts", starts);
  attrs.set("ends", ends);
  attrs.set("axes", axes);
  const int y =
      site.context.add_node(op::Slice, site.output(), "", {site.context.value_in(x_tensor, perm)}, std::move(attrs));
  site.context.hold(site.output(), y, perm);
}

int slice_version(const TfliteVersionQuery& query) {
  const TfliteTensorSpec* input = query.input(0);
  if (rank_of(input) > 4) return 5;
  if (is(input, TensorType::INT16)) return 4;
  if (is(input, TensorType::STRING)) return 3;
  return int8_version(query);
}

const TfliteLoweringRegistration lowering({op::Slice}, lower_slice);
const TfliteImportRegistration import({BuiltinOperator::SLICE}, {op::Slice}, import_slice);
const TfliteVersionRegistration rule({BuiltinOperator::SLICE}, slice_version);

}  // namespace
}  // namespace edgeport
