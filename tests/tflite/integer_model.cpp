#include "integer_model.h"

#include <string>

#include "tflite/model_builder.h"

namespace edgeport::tflite_test {

namespace {

template <typename T>
std::vector<std::uint8_t> bytes_of(const std::vector<T>& values) {
  const auto* first = reinterpret_cast<const std::uint8_t*>(values.data());
  return {first, first + values.size() * sizeof(T)};
}

int add(TfliteModelBuilder& builder, const std::string& name, tflite::TensorType type, std::vector<std::int32_t> shape,
        std::optional<QuantParams> quant, std::vector<std::uint8_t> data = {}) {
  TfliteTensorSpec spec;
  spec.name = name;
  spec.type = type;
  spec.shape = std::move(shape);
  spec.quant = std::move(quant);
  spec.constant = !data.empty();
  spec.data = std::move(data);
  return builder.add_tensor(std::move(spec));
}

}  // namespace

std::vector<std::uint8_t> tiny_integer_model(int batch, bool dequantize_output) {
  using tflite::TensorType;
  TfliteModelBuilder builder;
  const int x = add(builder, "x", TensorType::INT8, {batch, 4, 4, 2}, QuantParams{{0.5f}, {-3}, -1});
  const int w = add(builder, "w", TensorType::INT8, {3, 1, 1, 2}, QuantParams{{0.1f, 0.2f, 0.3f}, {0, 0, 0}, 0},
                    bytes_of(std::vector<std::int8_t>{1, -2, 3, -4, 5, -6}));
  const int b = add(builder, "b", TensorType::INT32, {3}, QuantParams{{0.05f, 0.1f, 0.15f}, {0, 0, 0}, 0},
                    bytes_of(std::vector<std::int32_t>{10, -20, 30}));
  const int y = add(builder, "y", TensorType::INT8, {batch, 4, 4, 3}, QuantParams{{0.25f}, {1}, -1});
  const int shape = add(builder, "shape", TensorType::INT32, {2}, std::nullopt, bytes_of(std::vector<std::int32_t>{batch, 48}));
  const int z = add(builder, "z", TensorType::INT8, {batch, 48}, QuantParams{{0.25f}, {1}, -1});
  builder.add_operator(tflite::BuiltinOperator::CONV_2D, {x, w, b}, {y},
                       {tflite::BuiltinOptions::Conv2DOptions, [](flatbuffers::FlatBufferBuilder& fbb) {
                          return tflite::CreateConv2DOptions(fbb, tflite::Padding::VALID, 1, 1).Union();
                        },
                        {}});
  builder.add_operator(tflite::BuiltinOperator::RESHAPE, {y, shape}, {z});
  int output = z;
  if (dequantize_output) {
    output = add(builder, "z_float", TensorType::FLOAT32, {batch, 48}, std::nullopt);
    builder.add_operator(tflite::BuiltinOperator::DEQUANTIZE, {z}, {output});
  }
  builder.set_inputs({x});
  builder.set_outputs({output});
  return builder.finish();
}

}  // namespace edgeport::tflite_test
