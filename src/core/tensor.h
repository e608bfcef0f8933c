#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/dtype.h"

namespace edgeport {

using Shape = std::vector<std::int64_t>;

// The largest tensor edgeport holds, 4 GiB. Element counts and byte sizes
// come from files and flags, so each is checked against it before any
// arithmetic that could wrap. ONNX and TFLite files stop at 2 GB, and the
// activations of the models edgeport targets are megabytes.
inline constexpr std::uint64_t kMaxTensorBytes = std::uint64_t{1} << 32;

// The element count; an Error for a negative extent or a count whose bytes
// could exceed kMaxTensorBytes (so the product never overflows).
std::int64_t shape_numel(const Shape& shape);
// The byte size of a tensor of this shape and dtype, checked as above.
std::size_t shape_nbytes(const Shape& shape, DType dtype);
// "[1,3,256,256]"; a shape of more than 8 dimensions is abbreviated, so that
// a hostile file cannot make an error message long.
std::string shape_to_string(const Shape& shape);

// Affine quantization: real = scale * (code - zero_point). With axis >= 0 there
// is one scale/zero point per index along that axis; axis == -1 is per-tensor.
struct QuantParams {
  std::vector<float> scale;
  std::vector<std::int32_t> zero_point;
  int axis = -1;

  bool per_channel() const { return axis >= 0; }
  bool symmetric() const;
  // What is wrong with these parameters for a tensor of `shape`, or nothing:
  // there must be one scale and one zero point per index of the axis (one of
  // each, per-tensor), and the axis must be one of the shape's.
  std::optional<std::string> mismatch(const Shape& shape) const;
  // Throws an Error "<what>: <mismatch>" when there is a mismatch.
  void check(const Shape& shape, const std::string& what) const;
};

template <typename T>
constexpr DType dtype_of();
template <> constexpr DType dtype_of<float>() { return DType::Float32; }
template <> constexpr DType dtype_of<double>() { return DType::Float64; }
template <> constexpr DType dtype_of<std::int64_t>() { return DType::Int64; }
template <> constexpr DType dtype_of<std::int32_t>() { return DType::Int32; }
template <> constexpr DType dtype_of<std::int16_t>() { return DType::Int16; }
template <> constexpr DType dtype_of<std::int8_t>() { return DType::Int8; }
template <> constexpr DType dtype_of<std::uint8_t>() { return DType::UInt8; }

// A dense, row-major, contiguous n-d array. It owns its bytes, except a view,
// which reads and writes memory owned elsewhere (the runtime's activation
// arena). Copies of an owning tensor share its bytes until one of them asks
// for mutable access (raw(), data(), values() on a non-const tensor), which
// gives that one its own copy first: copying a graph does not copy its
// weights. So a mutable pointer is only good until the tensor is next copied.
// Copying a view copies the bytes.
class Tensor {
 public:
  Tensor() = default;
  Tensor(DType dtype, Shape shape);
  Tensor(DType dtype, Shape shape, std::vector<std::uint8_t> bytes);
  Tensor(const Tensor& other);
  Tensor& operator=(const Tensor& other);
  Tensor(Tensor&& other) noexcept = default;
  Tensor& operator=(Tensor&& other) noexcept = default;

  // Becomes an owning copy of `other`, reusing this tensor's bytes.
  void assign(const Tensor& other);

  // A tensor over `bytes`, which must hold the shape's size and outlive it.
  static Tensor view(DType dtype, Shape shape, std::uint8_t* bytes);
  bool is_view() const { return view_ != nullptr; }

  template <typename T>
  static Tensor from_vector(Shape shape, const std::vector<T>& values) {
    Tensor tensor(dtype_of<T>(), std::move(shape));
    tensor.check_count(values.size());
    std::copy(values.begin(), values.end(), tensor.data<T>());
    return tensor;
  }

  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  std::int64_t dim(int axis) const;
  int rank() const { return static_cast<int>(shape_.size()); }
  std::int64_t numel() const { return shape_numel(shape_); }
  std::size_t nbytes() const { return view_ ? view_bytes_ : bytes_ ? bytes_->size() : 0; }

  std::uint8_t* raw();
  const std::uint8_t* raw() const { return view_ ? view_ : bytes_ ? bytes_->data() : nullptr; }

  template <typename T>
  T* data() {
    check_dtype(dtype_of<T>());
    return reinterpret_cast<T*>(raw());
  }
  template <typename T>
  const T* data() const {
    check_dtype(dtype_of<T>());
    return reinterpret_cast<const T*>(raw());
  }
  template <typename T>
  std::span<T> values() {
    return {data<T>(), static_cast<std::size_t>(numel())};
  }
  template <typename T>
  std::span<const T> values() const {
    return {data<T>(), static_cast<std::size_t>(numel())};
  }

  // Same values as float32, whatever the stored dtype. Quantized integer
  // tensors are converted code by code, not dequantized; see dequantized().
  Tensor to_float32() const;
  // Float32 values rounded to the nearest float16 (IEEE binary16). A finite
  // value that would round to infinity (|x| >= 65520) throws an Error naming
  // `name` and the value instead.
  Tensor to_float16(const std::string& name) const;
  // real values of a quantized tensor (requires quant), as float32.
  Tensor dequantized() const;
  // Same bytes, new shape with the same element count.
  Tensor reshaped(Shape shape) const;
  // Axis i of the result is axis perm[i] of this tensor; a per-channel axis
  // follows its axis.
  Tensor permuted(const std::vector<std::int64_t>& perm) const;

  std::optional<QuantParams> quant;

 private:
  void check_dtype(DType expected) const;
  void check_count(std::size_t count) const;

  DType dtype_ = DType::Float32;
  Shape shape_;
  std::shared_ptr<std::vector<std::uint8_t>> bytes_;
  std::uint8_t* view_ = nullptr;
  std::size_t view_bytes_ = 0;
};

// Writes input permuted by perm into output, whose shape must already be the
// permuted shape (the runtime's Transpose writes into planned buffers).
void permute_into(const Tensor& input, const std::vector<std::int64_t>& perm, Tensor& output);

}  // namespace edgeport
