// The activation arena of TFLite Micro's planner, against hand computations.
#include <gtest/gtest.h>

#include "tflite/arena_estimate.h"
#include "tflite/info.h"
#include "tflite/model_builder.h"

namespace edgeport {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

int add(TfliteModelBuilder& builder, const std::string& name, TensorType type, std::vector<std::int32_t> shape,
        std::vector<std::uint8_t> data = {}) {
  TfliteTensorSpec spec;
  spec.name = name;
  spec.type = type;
  spec.shape = std::move(shape);
  spec.constant = !data.empty();
  spec.data = std::move(data);
  if (type == TensorType::INT8) spec.quant = QuantParams{{0.1f}, {0}, -1};
  return builder.add_tensor(std::move(spec));
}

TfliteArenaEstimate estimate(TfliteModelBuilder& builder) {
  const std::vector<std::uint8_t> bytes = builder.finish();
  return estimate_tflite_arena(TfliteModelView(bytes, "arena.tflite"));
}

// float32, with a skip connection that keeps t1 alive across three steps:
//
//   step 0  input t0 [1,10]                     40 B -> 48 (16-byte buffers)
//   step 1  t1 = RELU(t0)       [1,25]         100 B -> 112
//   step 2  t2 = TANH(t1)       [1,4]           16 B
//   step 3  t3 = MUL(t2, c)     [1,4]           16 B  (c is constant: no arena)
//   step 4  t4 = ADD(t1, t3)    [1,25]         100 B -> 112, the output
//
// Live sets: step 0 {t0} 48; step 1 {t0,t1} 160; step 2 {t1,t2} 128;
// step 3 {t1,t2,t3} 144; step 4 {t1,t3,t4} 240. The planner, largest first:
// t4 at 0, t1 (overlaps t4) at 112, t0 (overlaps t1 only) at 0, t3 (overlaps
// t4, t1) at 224, t2 (overlaps t1, t3) at 0. Arena 240 bytes, the peak live
// set; all five buffers side by side would take 304.
TEST(TfliteArenaEstimate, SkipConnectionMatchesHandComputation) {
  TfliteModelBuilder builder;
  const std::vector<std::uint8_t> zeros(16, 0);
  const int t0 = add(builder, "t0", TensorType::FLOAT32, {1, 10});
  const int t1 = add(builder, "t1", TensorType::FLOAT32, {1, 25});
  const int t2 = add(builder, "t2", TensorType::FLOAT32, {1, 4});
  const int c = add(builder, "c", TensorType::FLOAT32, {1, 4}, zeros);
  const int t3 = add(builder, "t3", TensorType::FLOAT32, {1, 4});
  const int t4 = add(builder, "t4", TensorType::FLOAT32, {1, 25});
  builder.add_operator(BuiltinOperator::RELU, {t0}, {t1});
  builder.add_operator(BuiltinOperator::TANH, {t1}, {t2});
  builder.add_operator(BuiltinOperator::MUL, {t2, c}, {t3});
  builder.add_operator(BuiltinOperator::ADD, {t1, t3}, {t4});
  builder.set_inputs({t0});
  builder.set_outputs({t4});
  const TfliteArenaEstimate arena = estimate(builder);
  EXPECT_EQ(arena.planned_tensors, 5);
  EXPECT_EQ(arena.bytes, 112 + 16 + 112);
}

// Tiny-LaDeDa at 256x256 as a full-int8 NHWC file: the activation shapes of
// input, preprocess (3x3 depthwise, SAME), conv1 1x1, conv2 3x3 VALID, layer1
// 1x1, layer1 3x3 stride 2 and head 1x1, joined by CONV_2Ds whose stand-in 1x1
// weights are constants and take no arena. Each step holds its input and
// output:
//   preprocess: 256*256*3 + 256*256*3 = 196,608 + 196,608 = 393,216
//   conv1:      196,608 + 256*256*8 (524,288)              = 720,896
//   conv2:      524,288 + 254*254*8 (516,128)              = 1,040,416
//   layer1 1x1: 516,128 + 516,128                          = 1,032,256
//   layer1 3x3: 516,128 + 126*126*8 (127,008)              = 643,136
//   head:       127,008 + 126*126 (15,876 -> 15,888)       = 142,896
// The peak is conv2, 1,040,416 bytes: under 1 MB of SRAM (1,048,576) by
// 8,160 bytes.
TEST(TfliteArenaEstimate, TinyLadedaInt8At256MatchesHandComputation) {
  TfliteModelBuilder builder;
  const std::vector<std::int32_t> sizes = {3, 3, 8, 8, 8, 8, 1};
  const std::vector<std::vector<std::int32_t>> shapes = {{1, 256, 256, 3}, {1, 256, 256, 3}, {1, 256, 256, 8},
                                                         {1, 254, 254, 8}, {1, 254, 254, 8}, {1, 126, 126, 8},
                                                         {1, 126, 126, 1}};
  std::vector<int> activations;
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    activations.push_back(add(builder, "activation" + std::to_string(i), TensorType::INT8, shapes[i]));
  }
  for (std::size_t i = 1; i < shapes.size(); ++i) {
    const std::int32_t in = sizes[i - 1];
    const int weight = add(builder, "weight" + std::to_string(i), TensorType::INT8, {sizes[i], 1, 1, in},
                           std::vector<std::uint8_t>(static_cast<std::size_t>(sizes[i] * in), 1));
    builder.add_operator(BuiltinOperator::CONV_2D, {activations[i - 1], weight, -1}, {activations[i]});
  }
  builder.set_inputs({activations.front()});
  builder.set_outputs({activations.back()});
  const TfliteArenaEstimate arena = estimate(builder);
  EXPECT_EQ(arena.planned_tensors, 7);
  ASSERT_TRUE(arena.bytes.has_value());
  EXPECT_EQ(arena.bytes, 524'288 + 516'128);
  EXPECT_LE(*arena.bytes, kMicroSramBytes);
}

// A file with more tensors to plan than the estimate takes (the planner's
// time grows with their square) gets no figure, and says so.
TEST(TfliteArenaEstimate, TooManyTensorsAreNotPlanned) {
  TfliteModelBuilder builder;
  const int input = add(builder, "input", TensorType::FLOAT32, {1, 1});
  std::vector<int> outputs;
  for (int i = 0; i < kMaxPlannedTensors; ++i) {
    outputs.push_back(add(builder, "relu" + std::to_string(i), TensorType::FLOAT32, {1, 1}));
    builder.add_operator(BuiltinOperator::RELU, {input}, {outputs.back()});
  }
  builder.set_inputs({input});
  builder.set_outputs(outputs);
  const std::vector<std::uint8_t> bytes = builder.finish();
  const TfliteModelView model(bytes, "wide.tflite");
  const TfliteArenaEstimate arena = estimate_tflite_arena(model);
  EXPECT_EQ(arena.planned_tensors, kMaxPlannedTensors + 1);
  EXPECT_FALSE(arena.bytes.has_value());
  EXPECT_EQ(format_tflite_arena(tflite_arena_json(model)),
            "activation arena: not estimated, 20,001 tensors to plan (more than 20,000)");
}

}  // namespace
}  // namespace edgeport
