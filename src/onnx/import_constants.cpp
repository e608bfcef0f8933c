// Evaluates at import time the nodes whose inputs are all known: the shape
// arithmetic torch.onnx.export leaves around Reshape (Shape, Gather,
// Unsqueeze, Concat, ...), Constant, and element-wise math on constants.
// DequantizeLinear is never folded: the quantized form stays in the graph.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>

#include "core/error.h"
#include "onnx/import_shapes.h"
#include "onnx/onnx_importer.h"
#include "onnx/onnx_tensor.h"

namespace edgeport {
namespace {

// A constant computed at import beyond this many elements is a corrupt file,
// not a CNN's shape arithmetic.
constexpr std::int64_t kMaxFoldedElements = std::int64_t{1} << 26;

void check_fold_size(const OnnxImporter& importer, const Shape& shape) {
  std::int64_t count = 1;
  for (std::int64_t extent : shape) {
    if (extent < 0) importer.fail("negative extent in shape " + shape_to_string(shape));
    if (extent > 0 && count > kMaxFoldedElements / extent) importer.fail("folded shape " + shape_to_string(shape) + " is too large");
    count *= extent;
  }
}

std::vector<std::int64_t> strides_of(const Shape& shape) {
  std::vector<std::int64_t> strides(shape.size(), 1);
  for (std::size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  return strides;
}

// Copies element `from` of `source` to element `to` of `target` (same dtype).
void copy_element(const Tensor& source, std::int64_t from, Tensor& target, std::int64_t to) {
  const std::size_t size = dtype_size(source.dtype());
  std::memcpy(target.raw() + static_cast<std::size_t>(to) * size, source.raw() + static_cast<std::size_t>(from) * size,
              size);
}

double element_as_double(const Tensor& tensor, std::int64_t index) {
  switch (tensor.dtype()) {
    case DType::Float32: return tensor.data<float>()[index];
    case DType::Float64: return tensor.data<double>()[index];
    case DType::Int64: return static_cast<double>(tensor.data<std::int64_t>()[index]);
    case DType::Int32: return tensor.data<std::int32_t>()[index];
    case DType::Int16: return tensor.data<std::int16_t>()[index];
    case DType::Int8: return tensor.data<std::int8_t>()[index];
    case DType::UInt8:
    case DType::Bool: return tensor.data<std::uint8_t>()[index];
    default: return tensor.to_float32().data<float>()[index];
  }
}

std::int64_t element_as_int64(const Tensor& tensor, std::int64_t index) {
  if (tensor.dtype() == DType::Int64) return tensor.data<std::int64_t>()[index];
  return static_cast<std::int64_t>(element_as_double(tensor, index));
}

template <typename T>
void store(Tensor& tensor, std::int64_t index, T value) {
  tensor.data<T>()[index] = value;
}

// Stores a value converted as ONNX Cast does: float to integer truncates.
void store_converted(Tensor& target, std::int64_t index, const Tensor& source, std::int64_t from) {
  if (target.dtype() == DType::Int64 && source.dtype() == DType::Int64) {
    return store(target, index, source.data<std::int64_t>()[from]);
  }
  const double value = element_as_double(source, from);
  auto integral = [&](auto lowest, auto highest) {
    const double truncated = std::trunc(value);
    return std::isnan(truncated) ? 0.0 : std::clamp(truncated, static_cast<double>(lowest), static_cast<double>(highest));
  };
  switch (target.dtype()) {
    case DType::Float32: return store(target, index, static_cast<float>(value));
    case DType::Float64: return store(target, index, value);
    case DType::Int64:
      return store(target, index, static_cast<std::int64_t>(integral(-9.2233720368547758e18, 9.2233720368547748e18)));
    case DType::Int32:
      return store(target, index, static_cast<std::int32_t>(integral(std::numeric_limits<std::int32_t>::lowest(),
                                                                      std::numeric_limits<std::int32_t>::max())));
    case DType::Int16: return store(target, index, static_cast<std::int16_t>(integral(-32768, 32767)));
    case DType::Int8: return store(target, index, static_cast<std::int8_t>(integral(-128, 127)));
    case DType::UInt8: return store(target, index, static_cast<std::uint8_t>(integral(0, 255)));
    case DType::Bool: return store(target, index, static_cast<std::uint8_t>(value != 0.0));
    default: throw Error("cannot fold a cast to " + std::string(dtype_name(target.dtype())));
  }
}

void fold_constant(OnnxImporter& importer) {
  if (const onnx::TensorProto* value = importer.attr_tensor("value")) {
    return importer.bind_output_constant(0, tensor_from_onnx(*value, importer.origin_of(importer.node().output(0))));
  }
  if (importer.has_attribute("value_float")) {
    return importer.bind_output_constant(0, Tensor::from_vector<float>({}, {importer.attr_float("value_float", 0)}));
  }
  if (importer.has_attribute("value_floats")) {
    const std::vector<float> values = importer.attr_floats("value_floats", {});
    return importer.bind_output_constant(0, Tensor::from_vector<float>({static_cast<std::int64_t>(values.size())}, values));
  }
  if (importer.has_attribute("value_int")) {
    return importer.bind_output_constant(0, Tensor::from_vector<std::int64_t>({}, {importer.attr_int("value_int", 0)}));
  }
  if (importer.has_attribute("value_ints")) {
    const std::vector<std::int64_t> values = importer.attr_ints("value_ints", {});
    return importer.bind_output_constant(
        0, Tensor::from_vector<std::int64_t>({static_cast<std::int64_t>(values.size())}, values));
  }
  importer.fail("only tensor, float(s) and int(s) values are supported");
}

void fold_shape(OnnxImporter& importer) {
  const Shape& shape = importer.input_shape(0);
  const auto rank = static_cast<std::int64_t>(shape.size());
  auto clamp_axis = [rank](std::int64_t axis) { return std::clamp(axis < 0 ? axis + rank : axis, std::int64_t{0}, rank); };
  const std::int64_t start = clamp_axis(importer.attr_int("start", 0));
  const std::int64_t end = clamp_axis(importer.attr_int("end", rank));
  std::vector<std::int64_t> extents;
  for (std::int64_t axis = start; axis < end; ++axis) extents.push_back(shape[static_cast<std::size_t>(axis)]);
  importer.bind_output_constant(0, Tensor::from_vector<std::int64_t>({static_cast<std::int64_t>(extents.size())}, extents));
}

void fold_cast(OnnxImporter& importer) {
  const Tensor& input = *importer.constant_input(0);
  const DType target = dtype_from_onnx(static_cast<int>(importer.attr_int("to", 0)), "Cast target");
  Tensor result(target, input.shape());
  for (std::int64_t i = 0; i < input.numel(); ++i) store_converted(result, i, input, i);
  importer.bind_output_constant(0, std::move(result));
}

// Floor and Ceil of float constants: the output-size arithmetic torch.onnx.export
// writes for F.interpolate(..., recompute_scale_factor=True), as the published
// LaDeDa models call it.
void fold_rounding(OnnxImporter& importer) {
  const Tensor& input = *importer.constant_input(0);
  if (!is_floating(input.dtype())) importer.fail("needs a float operand");
  const bool floor = importer.node().op_type() == "Floor";
  Tensor result(input.dtype(), input.shape());
  for (std::int64_t i = 0; i < input.numel(); ++i) {
    const double value = element_as_double(input, i);
    store_converted(result, i, Tensor::from_vector<double>({}, {floor ? std::floor(value) : std::ceil(value)}), 0);
  }
  importer.bind_output_constant(0, std::move(result));
}

void fold_reshape(OnnxImporter& importer) {
  const Tensor& input = *importer.constant_input(0);
  std::vector<std::int64_t> spec;
  if (importer.node().op_type() == "Flatten") {
    const std::int64_t axis =
        importer.attr_int("axis", 1) < 0 ? importer.attr_int("axis", 1) + input.rank() : importer.attr_int("axis", 1);
    if (axis < 0 || axis > input.rank()) importer.fail("axis out of range");
    std::int64_t outer = 1;
    for (std::int64_t i = 0; i < axis; ++i) outer *= input.dim(static_cast<int>(i));
    spec = {outer, -1};
    if (input.numel() == 0) spec = {outer, 0};
  } else if (importer.node().op_type() == "Reshape") {
    spec = int64_values(importer, *importer.constant_input(1), "shape");
  }
  Shape shape;
  const std::string& op = importer.node().op_type();
  if (op == "Unsqueeze") {
    shape = unsqueezed_shape(importer, input.shape(), axes_operand(importer, 13));
  } else if (op == "Squeeze") {
    shape = squeezed_shape(importer, input.shape(), axes_operand(importer, 13));
  } else {
    shape = reshape_target(importer, input.shape(), spec, importer.attr_int("allowzero", 0) != 0);
  }
  importer.bind_output_constant(0, input.reshaped(shape));
}

void fold_concat(OnnxImporter& importer) {
  const Tensor& first = *importer.constant_input(0);
  const auto rank = static_cast<std::int64_t>(first.rank());
  const std::int64_t axis = normalize_axis(importer, importer.attr_int("axis", 0), rank);
  Shape shape = first.shape();
  shape[static_cast<std::size_t>(axis)] = 0;
  std::vector<const Tensor*> parts;
  for (int i = 0; i < importer.node().input_size(); ++i) {
    const Tensor& part = *importer.constant_input(static_cast<std::size_t>(i));
    if (part.dtype() != first.dtype() || part.rank() != first.rank()) importer.fail("inputs differ in type or rank");
    for (std::int64_t d = 0; d < rank; ++d) {
      if (d != axis && part.dim(static_cast<int>(d)) != first.dim(static_cast<int>(d))) {
        importer.fail("inputs differ off the concat axis");
      }
    }
    shape[static_cast<std::size_t>(axis)] += part.dim(static_cast<int>(axis));
    parts.push_back(&part);
  }
  Tensor result(first.dtype(), shape);
  std::int64_t outer = 1;
  for (std::int64_t d = 0; d < axis; ++d) outer *= shape[static_cast<std::size_t>(d)];
  const std::size_t element = dtype_size(first.dtype());
  std::uint8_t* out = result.raw();
  for (std::int64_t o = 0; o < outer; ++o) {
    for (const Tensor* part : parts) {
      const std::size_t block = static_cast<std::size_t>(part->numel() / std::max<std::int64_t>(outer, 1)) * element;
      if (part->numel() == 0) continue;
      std::memcpy(out, part->raw() + static_cast<std::size_t>(o) * block, block);
      out += block;
    }
  }
  importer.bind_output_constant(0, std::move(result));
}

void fold_gather(OnnxImporter& importer) {
  const Tensor& data = *importer.constant_input(0);
  const Tensor& indices = *importer.constant_input(1);
  if (data.rank() == 0) importer.fail("cannot gather from a scalar");
  const std::int64_t axis = normalize_axis(importer, importer.attr_int("axis", 0), data.rank());
  const std::int64_t extent = data.dim(static_cast<int>(axis));
  const std::vector<std::int64_t> index_values = int64_values(importer, indices, "indices");
  Shape shape(data.shape().begin(), data.shape().begin() + axis);
  shape.insert(shape.end(), indices.shape().begin(), indices.shape().end());
  shape.insert(shape.end(), data.shape().begin() + axis + 1, data.shape().end());
  check_fold_size(importer, shape);
  std::int64_t outer = 1;
  for (std::int64_t d = 0; d < axis; ++d) outer *= data.dim(static_cast<int>(d));
  const std::int64_t inner = data.numel() / std::max<std::int64_t>(outer * extent, 1);
  Tensor result(data.dtype(), shape);
  std::int64_t next = 0;
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::int64_t index : index_values) {
      if (index < -extent || index >= extent) {
        importer.fail("index " + std::to_string(index) + " is out of range for extent " + std::to_string(extent));
      }
      const std::int64_t source = index < 0 ? index + extent : index;
      for (std::int64_t i = 0; i < inner; ++i) copy_element(data, (o * extent + source) * inner + i, result, next++);
    }
  }
  importer.bind_output_constant(0, std::move(result));
}

void fold_slice(OnnxImporter& importer) {
  const Tensor& data = *importer.constant_input(0);
  const auto rank = static_cast<std::int64_t>(data.rank());
  std::vector<std::int64_t> starts, ends, axes, steps;
  if (importer.opset() < 10) {
    starts = importer.attr_ints("starts", {});
    ends = importer.attr_ints("ends", {});
    axes = importer.attr_ints("axes", {});
  } else {
    starts = int64_values(importer, *importer.constant_input(1), "starts");
    ends = int64_values(importer, *importer.constant_input(2), "ends");
    if (importer.has_input(3)) axes = int64_values(importer, *importer.constant_input(3), "axes");
    if (importer.has_input(4)) steps = int64_values(importer, *importer.constant_input(4), "steps");
  }
  if (axes.empty()) {
    for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<std::int64_t>(i));
  }
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size()) {
    importer.fail("starts, ends, axes and steps differ in length");
  }
  std::vector<std::int64_t> first(static_cast<std::size_t>(rank), 0), step(static_cast<std::size_t>(rank), 1);
  Shape shape = data.shape();
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const auto axis = static_cast<std::size_t>(normalize_axis(importer, axes[i], rank));
    const std::int64_t extent = data.shape()[axis];
    if (steps[i] == 0) importer.fail("slice step is 0");
    auto resolve = [extent](std::int64_t position, std::int64_t low, std::int64_t high) {
      if (position < 0) position += extent;
      return std::clamp(position, low, high);
    };
    std::int64_t begin, end;
    if (steps[i] > 0) {
      begin = resolve(starts[i], 0, extent);
      end = resolve(ends[i], 0, extent);
    } else {
      begin = resolve(starts[i], 0, extent - 1);
      end = resolve(ends[i], -1, extent - 1);
    }
    const std::int64_t count = steps[i] > 0 ? std::max<std::int64_t>(0, (end - begin + steps[i] - 1) / steps[i])
                                            : std::max<std::int64_t>(0, (begin - end - steps[i] - 1) / -steps[i]);
    first[axis] = begin;
    step[axis] = steps[i];
    shape[axis] = count;
  }
  Tensor result(data.dtype(), shape);
  const std::vector<std::int64_t> source_strides = strides_of(data.shape());
  for (std::int64_t index = 0; index < result.numel(); ++index) {
    std::int64_t rest = index;
    std::int64_t source = 0;
    for (std::size_t axis = shape.size(); axis-- > 0;) {
      const std::int64_t coordinate = rest % shape[axis];
      rest /= shape[axis];
      source += (first[axis] + coordinate * step[axis]) * source_strides[axis];
    }
    copy_element(data, source, result, index);
  }
  importer.bind_output_constant(0, std::move(result));
}

void fold_transpose(OnnxImporter& importer) {
  const Tensor& data = *importer.constant_input(0);
  const auto rank = static_cast<std::int64_t>(data.rank());
  std::vector<std::int64_t> reversed;
  for (std::int64_t i = rank; i-- > 0;) reversed.push_back(i);
  const std::vector<std::int64_t> perm = importer.attr_ints("perm", reversed);
  std::vector<std::int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i] != static_cast<std::int64_t>(i)) importer.fail("perm is not a permutation of the input axes");
  }
  if (static_cast<std::int64_t>(perm.size()) != rank) importer.fail("perm length does not match the input rank");
  Shape shape;
  for (std::int64_t axis : perm) shape.push_back(data.shape()[static_cast<std::size_t>(axis)]);
  const std::vector<std::int64_t> source_strides = strides_of(data.shape());
  Tensor result(data.dtype(), shape);
  for (std::int64_t index = 0; index < result.numel(); ++index) {
    std::int64_t rest = index;
    std::int64_t source = 0;
    for (std::size_t axis = shape.size(); axis-- > 0;) {
      source += (rest % shape[axis]) * source_strides[static_cast<std::size_t>(perm[axis])];
      rest /= shape[axis];
    }
    copy_element(data, source, result, index);
  }
  importer.bind_output_constant(0, std::move(result));
}

void fold_arithmetic(OnnxImporter& importer) {
  const Tensor& a = *importer.constant_input(0);
  const Tensor& b = *importer.constant_input(1);
  if (a.dtype() != b.dtype()) importer.fail("operands differ in type");
  const std::size_t rank = std::max(a.shape().size(), b.shape().size());
  Shape shape(rank, 1);
  auto extent = [rank](const Shape& s, std::size_t axis) {
    return axis < rank - s.size() ? std::int64_t{1} : s[axis - (rank - s.size())];
  };
  for (std::size_t axis = 0; axis < rank; ++axis) {
    const std::int64_t ea = extent(a.shape(), axis), eb = extent(b.shape(), axis);
    if (ea != eb && ea != 1 && eb != 1) importer.fail("operands do not broadcast");
    shape[axis] = ea == 1 ? eb : ea;
  }
  check_fold_size(importer, shape);
  const std::vector<std::int64_t> a_strides = strides_of(a.shape()), b_strides = strides_of(b.shape());
  const std::string& op = importer.node().op_type();
  const bool integral = !is_floating(a.dtype());
  Tensor result(a.dtype(), shape);
  for (std::int64_t index = 0; index < result.numel(); ++index) {
    std::int64_t rest = index, ia = 0, ib = 0;
    for (std::size_t axis = rank; axis-- > 0;) {
      const std::int64_t coordinate = rest % shape[axis];
      rest /= shape[axis];
      const std::size_t offset_a = axis - (rank - a.shape().size());
      const std::size_t offset_b = axis - (rank - b.shape().size());
      if (axis >= rank - a.shape().size() && a.shape()[offset_a] != 1) ia += coordinate * a_strides[offset_a];
      if (axis >= rank - b.shape().size() && b.shape()[offset_b] != 1) ib += coordinate * b_strides[offset_b];
    }
    if (integral) {
      const std::int64_t x = element_as_int64(a, ia), y = element_as_int64(b, ib);
      if (op == "Div" && y == 0) importer.fail("integer division by zero");
      const std::int64_t z = op == "Add" ? x + y : op == "Sub" ? x - y : op == "Mul" ? x * y : x / y;
      Tensor scalar = Tensor::from_vector<std::int64_t>({}, {z});
      store_converted(result, index, scalar, 0);
    } else {
      const double x = element_as_double(a, ia), y = element_as_double(b, ib);
      const double z = op == "Add" ? x + y : op == "Sub" ? x - y : op == "Mul" ? x * y : x / y;
      Tensor scalar = Tensor::from_vector<double>({}, {z});
      store_converted(result, index, scalar, 0);
    }
  }
  importer.bind_output_constant(0, std::move(result));
}

void fold_constant_of_shape(OnnxImporter& importer) {
  const std::vector<std::int64_t> shape = int64_values(importer, *importer.constant_input(0), "shape");
  Tensor fill = Tensor::from_vector<float>({1}, {0.0f});
  if (const onnx::TensorProto* value = importer.attr_tensor("value")) {
    fill = tensor_from_onnx(*value, importer.origin_of(importer.node().output(0)));
    if (fill.numel() != 1) importer.fail("value must hold one element");
  }
  check_fold_size(importer, shape);
  Tensor result(fill.dtype(), shape);
  for (std::int64_t i = 0; i < result.numel(); ++i) copy_element(fill, 0, result, i);
  importer.bind_output_constant(0, std::move(result));
}

void fold_identity(OnnxImporter& importer) { importer.alias_output(0, 0); }

using Folder = void (*)(OnnxImporter&);

const std::map<std::string, Folder>& folders() {
  static const std::map<std::string, Folder> table{
      {"Identity", fold_identity},   {"Cast", fold_cast},       {"Reshape", fold_reshape},
      {"Flatten", fold_reshape},     {"Unsqueeze", fold_reshape}, {"Squeeze", fold_reshape},
      {"Concat", fold_concat},       {"Gather", fold_gather},   {"Slice", fold_slice},
      {"Transpose", fold_transpose}, {"Add", fold_arithmetic},  {"Sub", fold_arithmetic},
      {"Mul", fold_arithmetic},      {"Div", fold_arithmetic},  {"ConstantOfShape", fold_constant_of_shape},
      {"Floor", fold_rounding},      {"Ceil", fold_rounding},
  };
  return table;
}

}  // namespace

bool fold_constant_node(OnnxImporter& importer) {
  const std::string& op = importer.node().op_type();
  if (op == "Constant") {
    fold_constant(importer);
    return true;
  }
  if (op == "Shape") {
    fold_shape(importer);
    return true;
  }
  auto found = folders().find(op);
  if (found == folders().end() || importer.node().input_size() == 0 || !importer.has_input(0) ||
      !importer.all_inputs_constant()) {
    return false;
  }
  found->second(importer);
  return true;
}

}  // namespace edgeport
