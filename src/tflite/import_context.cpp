#include "tflite/import_context.h"

#include "core/error.h"
#include "core/ops/quantization.h"
#include "core/ops/reshape.h"
#include "core/ops/transpose.h"

namespace edgeport {

namespace layout = tflite_layout;

ImportContext::ImportContext(const TfliteModelView& model_in, Graph& graph_in)
    : model(model_in), graph(graph_in), held_(static_cast<std::size_t>(model_in.tensor_count())) {}

std::string ImportContext::layout_suffix(const Perm& perm) const {
  if (layout::is_identity(perm)) return "";
  if (perm == layout::nhwc()) return "_nchw";
  std::string suffix = "_perm";
  for (int axis : perm) suffix += std::to_string(axis);
  return suffix;
}

int ImportContext::add_node(const std::string& op, int tensor, const std::string& suffix, std::vector<int> inputs,
                            Attributes attrs) {
  return graph.add(op, names.fresh(model.tensor_name(tensor) + suffix), std::move(inputs), std::move(attrs));
}

void ImportContext::hold(int tensor, int value, const Perm& perm) {
  const Value& ir = graph.value(value);
  const Shape expected = model.shape(tensor);
  if (perm.size() != ir.shape.size() || layout::permute_shape(ir.shape, perm) != expected) {
    model.fail(model.tensor_label(tensor) + " has shape " + shape_to_string(expected) + ", but its operator computes " +
               shape_to_string(perm.size() == ir.shape.size() ? layout::permute_shape(ir.shape, perm) : ir.shape));
  }
  if (ir.dtype != model.dtype(tensor)) {
    model.fail(model.tensor_label(tensor) + " is " + std::string(dtype_name(model.dtype(tensor))) +
               ", but its operator computes " + std::string(dtype_name(ir.dtype)));
  }
  held_.at(static_cast<std::size_t>(tensor)).push_back({value, perm});
}

void ImportContext::defer_dequantize(int output_tensor, int source_tensor) { deferred_[output_tensor] = source_tensor; }

ImportContext::Perm ImportContext::natural_perm(int tensor) {
  const auto& holdings = held_.at(static_cast<std::size_t>(tensor));
  if (!holdings.empty()) return holdings.front().perm;
  return layout::identity(model.shape(tensor).size());
}

int ImportContext::constant_value(int tensor, const Perm& perm, int channel_dimension) {
  Tensor data = model.constant(tensor);
  if (channel_dimension >= 0) data.quant = model.quantization(tensor, channel_dimension);
  Tensor laid_out = layout::permute_tensor(data, layout::inverse(perm));
  // A constant is usually read in one layout only; it keeps the tensor's name.
  const int value = graph.add_constant(names.fresh(model.tensor_name(tensor)), std::move(laid_out));
  held_.at(static_cast<std::size_t>(tensor)).push_back({value, perm});
  return value;
}

int ImportContext::filter_value(int tensor, const Perm& perm, int channel_dimension) {
  for (const Holding& holding : held_.at(static_cast<std::size_t>(tensor))) {
    if (holding.perm == perm) return holding.value;
  }
  if (!model.is_constant(tensor)) model.fail(model.tensor_label(tensor) + " is an int8 filter without data");
  return constant_value(tensor, perm, channel_dimension);
}

int ImportContext::value_in(int tensor, const Perm& perm) {
  const Shape shape = model.shape(tensor);
  layout::check_permutation(perm, shape.size(), "the layout of " + model.tensor_label(tensor));
  const auto& holdings = held_.at(static_cast<std::size_t>(tensor));
  for (const Holding& holding : holdings) {
    if (holding.perm == perm) return holding.value;
  }
  if (model.is_constant(tensor)) return constant_value(tensor, perm);
  auto deferred = deferred_.find(tensor);
  if (deferred != deferred_.end()) {
    const int source = deferred->second;
    if (model.dtype(source) == DType::Float16) {
      Tensor widened = layout::permute_tensor(model.constant(source).to_float32(), layout::inverse(perm));
      const int value =
          graph.add_constant(names.fresh(model.tensor_name(tensor) + layout_suffix(perm)), std::move(widened));
      hold(tensor, value, perm);
      return value;
    }
    const int codes = value_in(source, perm);
    const int value = add_node(op::Dequantize, tensor, layout_suffix(perm), {codes});
    hold(tensor, value, perm);
    return value;
  }
  if (holdings.empty()) model.fail(model.tensor_label(tensor) + " is read before any operator produces it");

  const Holding from = holdings.front();
  const Shape target = layout::permute_shape(shape, layout::inverse(perm));
  // Both values list the tensor's elements in the order of their own axes;
  // when the non-unit axes come in the same order, a reshape suffices.
  auto element_order = [&](const Perm& held_perm) {
    Perm order;
    for (int tflite_axis : layout::inverse(held_perm)) {
      if (shape[static_cast<std::size_t>(tflite_axis)] != 1) order.push_back(tflite_axis);
    }
    return order;
  };
  Attributes attrs;
  int value;
  if (element_order(from.perm) == element_order(perm)) {
    attrs.set("shape", std::vector<std::int64_t>(target.begin(), target.end()));
    value = add_node(op::Reshape, tensor, layout_suffix(perm), {from.value}, std::move(attrs));
  } else {
    const Perm transpose = layout::compose(from.perm, layout::inverse(perm));
    attrs.set("perm", std::vector<std::int64_t>(transpose.begin(), transpose.end()));
    value = add_node(op::Transpose, tensor, layout_suffix(perm), {from.value}, std::move(attrs));
  }
  hold(tensor, value, perm);
  return value;
}

int ImportContext::order_keeping_value(int tensor) {
  for (const Holding& holding : held_.at(static_cast<std::size_t>(tensor))) {
    if (layout::keeps_element_order(graph.value(holding.value).shape, holding.perm)) return holding.value;
  }
  return value_in(tensor, layout::identity(model.shape(tensor).size()));
}

int ImportContext::broadcast_operand(int tensor, std::size_t rank, const Perm& perm) {
  const Shape shape = model.shape(tensor);
  if (shape.size() == rank) return value_in(tensor, perm);
  if (shape.size() > rank) model.fail(model.tensor_label(tensor) + " has more axes than its operator's output");
  Shape expanded(rank - shape.size(), 1);
  expanded.insert(expanded.end(), shape.begin(), shape.end());
  const Perm inverse = layout::inverse(perm);
  const Shape target = layout::permute_shape(expanded, inverse);
  const std::string name = model.tensor_name(tensor) + "_" + std::to_string(rank) + "d";
  const bool float16_constant = is_deferred(tensor) && model.dtype(deferred_.at(tensor)) == DType::Float16;
  if (model.is_constant(tensor) || float16_constant) {
    const Tensor data = float16_constant ? model.constant(deferred_.at(tensor)).to_float32() : model.constant(tensor);
    return graph.add_constant(names.fresh(name), layout::permute_tensor(data.reshaped(expanded), inverse));
  }
  const int source = order_keeping_value(tensor);
  Attributes reshape;
  if (layout::keeps_element_order(target, perm)) {
    reshape.set("shape", std::vector<std::int64_t>(target.begin(), target.end()));
    return graph.add(op::Reshape, names.fresh(name), {source}, std::move(reshape));
  }
  reshape.set("shape", std::vector<std::int64_t>(expanded.begin(), expanded.end()));
  const int expanded_value = graph.add(op::Reshape, names.fresh(name + "_tflite_order"), {source}, std::move(reshape));
  Attributes transpose;
  transpose.set("perm", std::vector<std::int64_t>(inverse.begin(), inverse.end()));
  return graph.add(op::Transpose, names.fresh(name), {expanded_value}, std::move(transpose));
}

}  // namespace edgeport
