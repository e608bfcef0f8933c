#include "core/tensor.h"

#include <cmath>
#include <cstring>
#include <new>
#include <string>

#include "core/error.h"

namespace edgeport {

std::int64_t shape_numel(const Shape& shape) {
  for (std::int64_t extent : shape) {
    if (extent < 0) throw Error("shape " + shape_to_string(shape) + " has a negative dimension");
    if (extent == 0) return 0;
  }
  std::uint64_t count = 1;
  for (std::int64_t extent : shape) {
    if (static_cast<std::uint64_t>(extent) > kMaxTensorBytes / count) {
      throw Error("shape " + shape_to_string(shape) + " has more elements than a tensor can hold (" +
                  std::to_string(kMaxTensorBytes >> 30) + " GiB)");
    }
    count *= static_cast<std::uint64_t>(extent);
  }
  return static_cast<std::int64_t>(count);
}

std::size_t shape_nbytes(const Shape& shape, DType dtype) {
  const auto count = static_cast<std::uint64_t>(shape_numel(shape));
  const std::uint64_t element = dtype_size(dtype);
  if (count > kMaxTensorBytes / element) {
    throw Error("a " + std::string(dtype_name(dtype)) + " tensor of shape " + shape_to_string(shape) +
                " is larger than a tensor can be (" + std::to_string(kMaxTensorBytes >> 30) + " GiB)");
  }
  return static_cast<std::size_t>(count * element);
}

std::string shape_to_string(const Shape& shape) {
  constexpr std::size_t kShown = 8;
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size() && i < kShown; ++i) {
    if (i) text += ",";
    text += std::to_string(shape[i]);
  }
  if (shape.size() > kShown) text += ",... (" + std::to_string(shape.size()) + " dimensions)";
  return text + "]";
}

bool QuantParams::symmetric() const {
  for (std::int32_t zero : zero_point) {
    if (zero != 0) return false;
  }
  return true;
}

Tensor::Tensor(DType dtype, Shape shape)
    : dtype_(dtype), shape_(std::move(shape)) {
  const std::size_t size = shape_nbytes(shape_, dtype_);
  try {
    bytes_ = std::make_shared<std::vector<std::uint8_t>>(size, 0);
  } catch (const std::bad_alloc&) {
    throw Error("out of memory for a " + std::string(dtype_name(dtype_)) + " tensor of shape " +
                shape_to_string(shape_) + " (" + std::to_string(size >> 20) + " MiB)");
  }
}

Tensor::Tensor(DType dtype, Shape shape, std::vector<std::uint8_t> bytes)
    : dtype_(dtype), shape_(std::move(shape)), bytes_(std::make_shared<std::vector<std::uint8_t>>(std::move(bytes))) {
  const std::size_t expected = shape_nbytes(shape_, dtype_);
  if (bytes_->size() != expected) {
    throw Error("tensor of shape " + shape_to_string(shape_) + " " + std::string(dtype_name(dtype_)) +
                " needs " + std::to_string(expected) + " bytes, got " + std::to_string(bytes_->size()));
  }
}

Tensor::Tensor(const Tensor& other) : quant(other.quant), dtype_(other.dtype_), shape_(other.shape_) {
  if (other.view_) {
    bytes_ = std::make_shared<std::vector<std::uint8_t>>(other.view_, other.view_ + other.view_bytes_);
  } else {
    bytes_ = other.bytes_;
  }
}

Tensor& Tensor::operator=(const Tensor& other) {
  if (this != &other) {
    Tensor copy(other);
    *this = std::move(copy);
  }
  return *this;
}

void Tensor::assign(const Tensor& other) {
  if (this == &other) {
    if (view_) bytes_ = std::make_shared<std::vector<std::uint8_t>>(view_, view_ + view_bytes_);
    view_ = nullptr;
    view_bytes_ = 0;
    return;
  }
  quant = other.quant;
  dtype_ = other.dtype_;
  shape_ = other.shape_;
  view_ = nullptr;
  view_bytes_ = 0;
  // Reuses this tensor's buffer when no other tensor shares it: a session
  // writing into the same outputs run after run allocates nothing.
  if (bytes_ && bytes_.use_count() == 1) {
    bytes_->assign(other.raw(), other.raw() + other.nbytes());
  } else {
    bytes_ = std::make_shared<std::vector<std::uint8_t>>(other.raw(), other.raw() + other.nbytes());
  }
}

std::uint8_t* Tensor::raw() {
  if (view_) return view_;
  if (!bytes_) return nullptr;
  if (bytes_.use_count() > 1) bytes_ = std::make_shared<std::vector<std::uint8_t>>(*bytes_);
  return bytes_->data();
}

Tensor Tensor::view(DType dtype, Shape shape, std::uint8_t* bytes) {
  Tensor tensor;
  tensor.dtype_ = dtype;
  tensor.shape_ = std::move(shape);
  tensor.view_ = bytes;
  tensor.view_bytes_ = shape_nbytes(tensor.shape_, dtype);
  return tensor;
}

std::int64_t Tensor::dim(int axis) const {
  const int normalized = axis < 0 ? axis + rank() : axis;
  if (normalized < 0 || normalized >= rank()) {
    throw Error("axis " + std::to_string(axis) + " out of range for shape " + shape_to_string(shape_));
  }
  return shape_[static_cast<std::size_t>(normalized)];
}

void Tensor::check_dtype(DType expected) const {
  if (dtype_ != expected) {
    throw Error("tensor holds " + std::string(dtype_name(dtype_)) + ", accessed as " +
                std::string(dtype_name(expected)));
  }
}

void Tensor::check_count(std::size_t count) const {
  if (count != static_cast<std::size_t>(numel())) {
    throw Error("tensor of shape " + shape_to_string(shape_) + " given " + std::to_string(count) + " values");
  }
}

namespace {

template <typename T>
void widen(const std::uint8_t* source, float* target, std::int64_t count) {
  for (std::int64_t i = 0; i < count; ++i) {
    T value;
    std::memcpy(&value, source + i * sizeof(T), sizeof(T));
    target[i] = static_cast<float>(value);
  }
}

}  // namespace

Tensor Tensor::to_float32() const {
  Tensor result(DType::Float32, shape_);
  float* target = result.data<float>();
  const std::int64_t count = numel();
  const std::uint8_t* source = raw();
  switch (dtype_) {
    case DType::Float32: std::memcpy(target, source, nbytes()); break;
    case DType::Float64: widen<double>(source, target, count); break;
    case DType::Int64: widen<std::int64_t>(source, target, count); break;
    case DType::Int32: widen<std::int32_t>(source, target, count); break;
    case DType::Int16: widen<std::int16_t>(source, target, count); break;
    case DType::Int8: widen<std::int8_t>(source, target, count); break;
    case DType::UInt8:
    case DType::Bool: widen<std::uint8_t>(source, target, count); break;
    case DType::Float16:
    case DType::BFloat16:
      for (std::int64_t i = 0; i < count; ++i) {
        std::uint16_t bits;
        std::memcpy(&bits, source + i * 2, 2);
        target[i] = dtype_ == DType::Float16 ? half_to_float(bits) : bfloat16_to_float(bits);
      }
      break;
  }
  return result;
}

Tensor Tensor::to_float16(const std::string& name) const {
  const Tensor values = to_float32();
  Tensor result(DType::Float16, shape_);
  const float* source = values.data<float>();
  for (std::int64_t i = 0; i < numel(); ++i) {
    if (std::isfinite(source[i]) && std::isinf(half_to_float(float_to_half(source[i])))) {
      throw Error(name + ": value " + std::to_string(source[i]) +
                  " is beyond float16's range (largest finite 65504); store this model's weights as float32 or int8");
    }
    const std::uint16_t bits = float_to_half(source[i]);
    std::memcpy(result.raw() + i * 2, &bits, 2);
  }
  return result;
}

Tensor Tensor::dequantized() const {
  if (!quant) throw Error("tensor of shape " + shape_to_string(shape_) + " has no quantization parameters");
  Tensor codes = to_float32();
  const QuantParams& params = *quant;
  params.check(shape_, "quantization parameters");
  std::int64_t outer = 1;
  std::int64_t channels = 1;
  std::int64_t inner = 1;
  if (params.per_channel()) {
    for (int i = 0; i < params.axis; ++i) outer *= shape_[static_cast<std::size_t>(i)];
    channels = dim(params.axis);
    for (int i = params.axis + 1; i < rank(); ++i) inner *= shape_[static_cast<std::size_t>(i)];
  } else {
    inner = numel();
  }
  float* values = codes.data<float>();
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::int64_t c = 0; c < channels; ++c) {
      const float scale = params.scale[static_cast<std::size_t>(c)];
      const auto zero = static_cast<float>(params.zero_point[static_cast<std::size_t>(c)]);
      float* block = values + (o * channels + c) * inner;
      for (std::int64_t i = 0; i < inner; ++i) block[i] = scale * (block[i] - zero);
    }
  }
  return codes;
}

Tensor Tensor::reshaped(Shape shape) const {
  if (shape_numel(shape) != numel()) {
    throw Error("cannot reshape " + shape_to_string(shape_) + " to " + shape_to_string(shape));
  }
  Tensor result = *this;
  result.shape_ = std::move(shape);
  return result;
}

std::optional<std::string> QuantParams::mismatch(const Shape& shape) const {
  std::size_t expected = 1;
  if (per_channel()) {
    if (static_cast<std::size_t>(axis) >= shape.size()) {
      return "quantization axis " + std::to_string(axis) + " is outside shape " + shape_to_string(shape);
    }
    expected = static_cast<std::size_t>(shape[static_cast<std::size_t>(axis)]);
  }
  if (scale.size() == expected && zero_point.size() == expected) return std::nullopt;
  return std::to_string(scale.size()) + " scales and " + std::to_string(zero_point.size()) + " zero points, expected " +
         std::to_string(expected) + " for shape " + shape_to_string(shape);
}

void QuantParams::check(const Shape& shape, const std::string& what) const {
  if (const std::optional<std::string> problem = mismatch(shape)) throw Error(what + ": " + *problem);
}

namespace {

template <typename Word>
void permute_words(const Tensor& input, const std::vector<std::int64_t>& perm, Tensor& output) {
  const Shape& in_shape = input.shape();
  const std::size_t rank = in_shape.size();
  std::vector<std::int64_t> in_strides(rank, 1);
  for (std::size_t i = rank; i-- > 1;) in_strides[i - 1] = in_strides[i] * in_shape[i];
  std::vector<std::int64_t> read_strides(rank);
  for (std::size_t i = 0; i < rank; ++i) read_strides[i] = in_strides[static_cast<std::size_t>(perm[i])];
  const Shape& out_shape = output.shape();
  const auto* source = reinterpret_cast<const Word*>(input.raw());
  auto* target = reinterpret_cast<Word*>(output.raw());
  std::vector<std::int64_t> index(rank, 0);
  std::int64_t offset = 0;
  for (std::int64_t n = 0, count = output.numel(); n < count; ++n) {
    target[n] = source[offset];
    for (std::size_t axis = rank; axis-- > 0;) {
      offset += read_strides[axis];
      if (++index[axis] < out_shape[axis]) break;
      offset -= read_strides[axis] * out_shape[axis];
      index[axis] = 0;
    }
  }
}

}  // namespace

void permute_into(const Tensor& input, const std::vector<std::int64_t>& perm, Tensor& output) {
  const Shape& shape = input.shape();
  std::vector<bool> seen(shape.size(), false);
  Shape permuted_shape;
  for (std::int64_t axis : perm) {
    if (axis < 0 || static_cast<std::size_t>(axis) >= shape.size() || seen[static_cast<std::size_t>(axis)]) {
      throw Error("permutation " + shape_to_string(perm) + " does not fit shape " + shape_to_string(shape));
    }
    seen[static_cast<std::size_t>(axis)] = true;
    permuted_shape.push_back(shape[static_cast<std::size_t>(axis)]);
  }
  if (perm.size() != shape.size()) {
    throw Error("permutation " + shape_to_string(perm) + " does not fit shape " + shape_to_string(shape));
  }
  if (output.shape() != permuted_shape || output.dtype() != input.dtype()) {
    throw Error("permuted output of shape " + shape_to_string(output.shape()) + " does not match " +
                shape_to_string(permuted_shape));
  }
  if (output.numel() == 0) return;
  switch (dtype_size(input.dtype())) {
    case 1: permute_words<std::uint8_t>(input, perm, output); break;
    case 2: permute_words<std::uint16_t>(input, perm, output); break;
    case 4: permute_words<std::uint32_t>(input, perm, output); break;
    case 8: permute_words<std::uint64_t>(input, perm, output); break;
    default: throw Error("cannot permute elements of " + std::to_string(dtype_size(input.dtype())) + " bytes");
  }
}

Tensor Tensor::permuted(const std::vector<std::int64_t>& perm) const {
  Shape shape;
  for (std::int64_t axis : perm) {
    shape.push_back(axis >= 0 && axis < rank() ? shape_[static_cast<std::size_t>(axis)] : 0);
  }
  Tensor result(dtype_, shape);
  permute_into(*this, perm, result);
  if (quant) {
    result.quant = quant;
    if (quant->per_channel()) {
      for (std::size_t i = 0; i < perm.size(); ++i) {
        if (perm[i] == quant->axis) result.quant->axis = static_cast<int>(i);
      }
    }
  }
  return result;
}

}  // namespace edgeport
