// One quantization, two files: the quantized ONNX file and the quantized
// TFLite file, each read back, hold the same int8 weights, scales and zero
// points for every Conv / Linear.
#include <gtest/gtest.h>

#include <cstring>

#include "fixtures.h"
#include "onnx/onnx_export.h"
#include "onnx/onnx_import.h"
#include "quant/quantizer.h"
#include "support.h"
#include "tflite/reader.h"
#include "tflite/writer.h"

namespace edgeport {
namespace {

using namespace tflite_test;

// The int8 weight each Conv / Linear reads, directly or through a Dequantize,
// in node order, as [O, I, kH, kW] (a Linear's [O, I] gets unit kernel axes).
std::vector<Tensor> int8_weights(const Graph& graph) {
  std::vector<Tensor> weights;
  for (const Node& node : graph.nodes) {
    if (node.op != "Conv" && node.op != "Linear") continue;
    int weight = node.inputs.at(1);
    const int producer = graph.producer(weight);
    if (producer >= 0 && graph.nodes[static_cast<std::size_t>(producer)].op == "Dequantize") {
      weight = graph.nodes[static_cast<std::size_t>(producer)].inputs.at(0);
    }
    const Value& value = graph.value(weight);
    if (!value.constant || value.dtype != DType::Int8) continue;
    Tensor codes = *value.constant;
    codes.quant = value.quant ? value.quant : codes.quant;
    if (codes.rank() == 2) codes = codes.reshaped({codes.dim(0), codes.dim(1), 1, 1});
    weights.push_back(codes);
  }
  return weights;
}

void expect_same_weights(const Tensor& onnx, const Tensor& tflite, std::size_t index) {
  ASSERT_EQ(onnx.shape(), tflite.shape()) << "weight " << index;
  EXPECT_EQ(std::memcmp(onnx.raw(), tflite.raw(), onnx.nbytes()), 0) << "weight " << index << " codes differ";
  ASSERT_TRUE(onnx.quant && tflite.quant) << "weight " << index;
  EXPECT_EQ(onnx.quant->scale, tflite.quant->scale) << "weight " << index;
  EXPECT_EQ(onnx.quant->zero_point, tflite.quant->zero_point) << "weight " << index;
  // One scale is the same per tensor or per (single) channel.
  if (onnx.quant->scale.size() > 1) {
    EXPECT_EQ(onnx.quant->axis, tflite.quant->axis) << "weight " << index;
  }
}

TEST(TfliteOnnxConsistency, QuantizedFilesHoldIdenticalInt8Weights) {
  const auto directory = scratch_directory("onnx_consistency");
  for (const std::string name : {"tiny_ladeda_right_diag", "tiny_ladeda_NPR_pool"}) {
    const FixtureModel model = tiny_ladeda_fixture(name);
    for (const bool symmetric : {true, false}) {
      QuantConfig config;
      config.symmetric = symmetric;
      const QuantizationResult quantized = quantize_graph(model.graph, config);
      const std::string stem = name + (symmetric ? "_symmetric" : "_asymmetric");
      write_onnx(quantized.graph, directory / (stem + ".onnx"));
      TfliteExportOptions options;
      options.quantization = "dynamic";
      write_tflite(quantized.graph, directory / (stem + ".tflite"), options);

      const std::vector<Tensor> from_onnx = int8_weights(read_onnx(directory / (stem + ".onnx")));
      const std::vector<Tensor> from_tflite = int8_weights(read_tflite(directory / (stem + ".tflite")));
      ASSERT_EQ(from_onnx.size(), quantized.tensors.size()) << stem;
      ASSERT_EQ(from_tflite.size(), from_onnx.size()) << stem;
      for (std::size_t i = 0; i < from_onnx.size(); ++i) expect_same_weights(from_onnx[i], from_tflite[i], i);
    }
  }
}

}  // namespace
}  // namespace edgeport
