#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/error.h"
#include "quant/adaptive_rounding.h"
#include "quant/affine.h"
#include "quant/output_error.h"
#include "quant/quantizer.h"
#include "quant/report.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

// Images whose pixels are strongly correlated across channels and
// neighbours, with a positive mean, as natural images after a first layer:
// the setting where rounding errors add up instead of averaging out.
Tensor smooth_image(Shape shape, unsigned seed) {
  std::mt19937 generator(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const std::int64_t channels = shape[1], h = shape[2], w = shape[3];
  std::vector<float> base(static_cast<std::size_t>(h * w));
  const float a = normal(generator), b = normal(generator);
  for (std::int64_t y = 0; y < h; ++y) {
    for (std::int64_t x = 0; x < w; ++x) base[y * w + x] = 1.0f + 0.5f * std::sin(0.3f * y * a + 0.2f * x * b);
  }
  Tensor tensor(DType::Float32, std::move(shape));
  float* data = tensor.data<float>();
  for (std::int64_t c = 0; c < channels; ++c) {
    for (std::int64_t i = 0; i < h * w; ++i) data[c * h * w + i] = base[i] * (1.0f + 0.1f * c) + 0.1f * normal(generator);
  }
  return tensor;
}

Tensor random_tensor(Shape shape, float stddev, unsigned seed) {
  std::mt19937 generator(seed);
  std::normal_distribution<float> normal(0.0f, stddev);
  Tensor tensor(DType::Float32, std::move(shape));
  for (float& value : tensor.values<float>()) value = normal(generator);
  return tensor;
}

const Shape kInput{1, 4, 12, 12};

// conv1 (with bias, padded) and a bias-free depthwise conv beside it, both
// reading the input; their outputs are the graph's outputs.
Graph two_layers() {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, kInput);
  const int w1 = graph.add_constant("conv1.weight", random_tensor({8, 4, 3, 3}, 0.3f, 1));
  const int b1 = graph.add_constant("conv1.bias", random_tensor({8}, 0.1f, 2));
  Attributes padded;
  padded.set("pads", std::vector<std::int64_t>{1, 1, 1, 1});
  graph.mark_output(graph.add("Conv", "conv1", {x, w1, b1}, padded));
  const int dw = graph.add_constant("dw.weight", random_tensor({4, 1, 3, 3}, 0.5f, 3));
  Attributes depthwise;
  depthwise.set("group", std::int64_t{4});
  depthwise.set("strides", std::vector<std::int64_t>{2, 2});
  graph.mark_output(graph.add("Conv", "dw", {x, dw}, depthwise));
  return graph;
}

std::vector<Tensor> calibration_images() {
  return {smooth_image(kInput, 10), smooth_image(kInput, 11), smooth_image(kInput, 12)};
}

CalibrationStatistics statistics_of(const Graph& graph, const std::vector<Tensor>& images) {
  CalibrationStatistics statistics;
  for (const Node& node : graph.nodes) {
    LayerStatisticsAccumulator accumulator(graph, node);
    for (const Tensor& image : images) accumulator.add(image);
    statistics.emplace(node.name, accumulator.finish());
  }
  return statistics;
}

QuantConfig four_bits() {
  QuantConfig config;
  config.bits = 4;
  config.clip = ClipMethod::None;
  return config;
}

// Per output (graph output) and channel, the mean of quantized - float over
// the images and positions.
std::vector<std::vector<double>> mean_output_error(const Graph& reference, const Graph& quantized,
                                                   const std::vector<Tensor>& images) {
  const Session float_session(reference), quantized_session(quantized);
  std::vector<std::vector<double>> sums;
  std::vector<std::int64_t> counts;
  for (const Tensor& image : images) {
    const std::vector<Tensor> expected = float_session.run({image});
    const std::vector<Tensor> actual = quantized_session.run({image});
    sums.resize(expected.size());
    counts.resize(expected.size());
    for (std::size_t o = 0; o < expected.size(); ++o) {
      const std::int64_t channels = expected[o].dim(1);
      const std::int64_t plane = expected[o].numel() / channels;
      sums[o].resize(static_cast<std::size_t>(channels), 0.0);
      for (std::int64_t c = 0; c < channels; ++c) {
        for (std::int64_t i = 0; i < plane; ++i) {
          sums[o][c] += static_cast<double>(actual[o].data<float>()[c * plane + i]) -
                        static_cast<double>(expected[o].data<float>()[c * plane + i]);
        }
      }
      counts[o] += plane;
    }
  }
  for (std::size_t o = 0; o < sums.size(); ++o) {
    for (double& sum : sums[o]) sum /= static_cast<double>(counts[o]);
  }
  return sums;
}

double output_mse(const Graph& reference, const Graph& quantized, const std::vector<Tensor>& images) {
  const Session float_session(reference), quantized_session(quantized);
  double sum = 0.0;
  std::int64_t count = 0;
  for (const Tensor& image : images) {
    const std::vector<Tensor> expected = float_session.run({image});
    const std::vector<Tensor> actual = quantized_session.run({image});
    for (std::size_t o = 0; o < expected.size(); ++o) {
      for (std::int64_t i = 0; i < expected[o].numel(); ++i) {
        const double d = static_cast<double>(actual[o].data<float>()[i]) - expected[o].data<float>()[i];
        sum += d * d;
      }
      count += expected[o].numel();
    }
  }
  return sum / static_cast<double>(count);
}

double largest_magnitude(const std::vector<std::vector<double>>& values) {
  double largest = 0.0;
  for (const auto& row : values) {
    for (double value : row) largest = std::max(largest, std::fabs(value));
  }
  return largest;
}

std::vector<std::uint8_t> bytes_of(const Tensor& tensor) { return {tensor.raw(), tensor.raw() + tensor.nbytes()}; }

const Node& node_named(const Graph& graph, const std::string& name) {
  for (const Node& node : graph.nodes) {
    if (node.name == name) return node;
  }
  throw Error("no node " + name);
}

const Tensor& codes_of(const Graph& graph, const std::string& layer) {
  const Node& dequantize = graph.nodes[static_cast<std::size_t>(graph.producer(node_named(graph, layer).inputs[1]))];
  return graph.constant(dequantize.inputs[0]);
}

TEST(CalibratedQuantizer, BiasCorrectionZeroesTheMeanOutputErrorPerChannel) {
  const Graph graph = two_layers();
  const std::vector<Tensor> images = calibration_images();
  const CalibrationStatistics statistics = statistics_of(graph, images);
  const QuantizationResult plain = quantize_graph(graph, four_bits(), &statistics);
  QuantConfig corrected_config = four_bits();
  corrected_config.bias_correction = true;
  const QuantizationResult corrected = quantize_graph(graph, corrected_config, &statistics);

  const double plain_shift = largest_magnitude(mean_output_error(graph, plain.graph, images));
  const double corrected_shift = largest_magnitude(mean_output_error(graph, corrected.graph, images));
  EXPECT_GT(plain_shift, 1e-3);
  EXPECT_LT(corrected_shift, 1e-3 * plain_shift) << "plain " << plain_shift << ", corrected " << corrected_shift;

  // The bias-free depthwise layer gets a float32 bias; biases stay float32.
  const Node& dw = node_named(corrected.graph, "dw");
  ASSERT_EQ(dw.inputs.size(), 3u);
  EXPECT_EQ(corrected.graph.constant(dw.inputs[2]).dtype(), DType::Float32);
  ASSERT_EQ(corrected.tensors.size(), 2u);
  for (const TensorQuantRecord& record : corrected.tensors) {
    EXPECT_TRUE(record.bias_corrected) << record.name;
    EXPECT_GT(record.bias_max_change, 0.0) << record.name;
    EXPECT_EQ(record.bias_added, record.name == "dw.weight");
  }
  // The weights themselves are the same codes.
  EXPECT_EQ(bytes_of(codes_of(plain.graph, "conv1")), bytes_of(codes_of(corrected.graph, "conv1")));
}

TEST(CalibratedQuantizer, AdaptiveRoundingLowersTheMeasuredOutputError) {
  const Graph graph = two_layers();
  const std::vector<Tensor> images = calibration_images();
  const CalibrationStatistics statistics = statistics_of(graph, images);
  const QuantizationResult nearest = quantize_graph(graph, four_bits(), &statistics);
  QuantConfig adaptive_config = four_bits();
  adaptive_config.rounding = Rounding::Adaptive;
  const QuantizationResult adaptive = quantize_graph(graph, adaptive_config, &statistics);

  const double nearest_mse = output_mse(graph, nearest.graph, images);
  const double adaptive_mse = output_mse(graph, adaptive.graph, images);
  EXPECT_LT(adaptive_mse, 0.8 * nearest_mse) << "nearest " << nearest_mse << ", adaptive " << adaptive_mse;
  for (const TensorQuantRecord& record : adaptive.tensors) {
    EXPECT_EQ(record.rounding, "adaptive");
    EXPECT_GT(record.rounding_flips, 0) << record.name;
    EXPECT_GT(record.output_sqnr_after_db, record.output_sqnr_before_db) << record.name;
  }
  // Every code is the floor or the ceiling of w / scale + zero point.
  const Tensor& codes = codes_of(adaptive.graph, "conv1");
  const Tensor& weights = graph.constant(graph.find_value("conv1.weight"));
  const std::int64_t row = weights.numel() / weights.dim(0);
  for (std::int64_t i = 0; i < weights.numel(); ++i) {
    const QuantParams& q = *codes.quant;
    const double exact = weights.data<float>()[i] / q.scale[i / row] + q.zero_point[i / row];
    const int code = codes.data<std::int8_t>()[i];
    EXPECT_TRUE(code == std::floor(exact) || code == std::ceil(exact)) << "element " << i;
  }
}

TEST(CalibratedQuantizer, AdaptiveRoundingIsNeverWorseThanNearestPerChannel) {
  const Graph graph = two_layers();
  const CalibrationStatistics statistics = statistics_of(graph, calibration_images());
  const LayerStatistics& layer = statistics.at("conv1");
  const Tensor& weights = graph.constant(graph.find_value("conv1.weight"));
  for (bool symmetric : {false, true}) {
    QuantConfig config = four_bits();
    config.symmetric = symmetric;
    const QuantizedTensor nearest = quantize_tensor(weights, "conv1.weight", config, &layer);
    config.rounding = Rounding::Adaptive;
    const QuantizedTensor adaptive = quantize_tensor(weights, "conv1.weight", config, &layer);
    const OutputErrorMetric metric(layer, 0, false);
    const std::int64_t row = layer.patch_size;
    for (std::int64_t o = 0; o < weights.dim(0); ++o) {
      const AffineParams params{nearest.codes.quant->scale[o], nearest.codes.quant->zero_point[o]};
      std::vector<double> values(weights.data<float>() + o * row, weights.data<float>() + (o + 1) * row);
      std::vector<std::int32_t> near(nearest.codes.data<std::int8_t>() + o * row,
                                     nearest.codes.data<std::int8_t>() + (o + 1) * row);
      std::vector<std::int32_t> chosen(adaptive.codes.data<std::int8_t>() + o * row,
                                       adaptive.codes.data<std::int8_t>() + (o + 1) * row);
      EXPECT_LE(metric.energy(weight_error(values, chosen, params)), metric.energy(weight_error(values, near, params)))
          << "channel " << o << (symmetric ? " symmetric" : "");
    }
  }
}

TEST(CalibratedQuantizer, DiagonalStatisticsReduceAdaptiveRoundingToNearest) {
  const std::int64_t in = kMaxFullPatchSize + 4;
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {6, in});
  const int w = graph.add_constant("fc.weight", random_tensor({3, in}, 0.2f, 5));
  graph.mark_output(graph.add("Linear", "fc", {x, w}));
  LayerStatisticsAccumulator accumulator(graph, graph.nodes.front());
  accumulator.add(random_tensor({6, in}, 1.0f, 6));
  const LayerStatistics layer = accumulator.finish();
  ASSERT_TRUE(layer.diagonal);
  QuantConfig config;
  const QuantizedTensor nearest = quantize_tensor(graph.constant(w), "fc.weight", config, &layer);
  config.rounding = Rounding::Adaptive;
  const QuantizedTensor adaptive = quantize_tensor(graph.constant(w), "fc.weight", config, &layer);
  EXPECT_EQ(bytes_of(adaptive.codes), bytes_of(nearest.codes));
  EXPECT_EQ(adaptive.record.rounding, "nearest (diagonal statistics)");
  EXPECT_TRUE(adaptive.record.statistics_diagonal);
}

TEST(CalibratedQuantizer, OutputClipScoresAtLeastAsWellAsTheOtherClipsOnItsObjective) {
  const Graph graph = two_layers();
  const CalibrationStatistics statistics = statistics_of(graph, calibration_images());
  const LayerStatistics& layer = statistics.at("conv1");
  const Tensor& weights = graph.constant(graph.find_value("conv1.weight"));
  QuantConfig config = four_bits();
  const double none = quantize_tensor(weights, "conv1.weight", config, &layer).record.output_sqnr_after_db;
  config.clip = ClipMethod::Mse;
  const double mse = quantize_tensor(weights, "conv1.weight", config, &layer).record.output_sqnr_after_db;
  config.clip = ClipMethod::Percentile;
  config.clip_percentile = 90.0;
  config.clip_guard = false;
  const double percentile = quantize_tensor(weights, "conv1.weight", config, &layer).record.output_sqnr_after_db;
  config.clip = ClipMethod::Output;
  config.clip_guard = true;
  const QuantizedTensor output = quantize_tensor(weights, "conv1.weight", config, &layer);
  EXPECT_GE(output.record.output_sqnr_after_db, none);
  EXPECT_GE(output.record.output_sqnr_after_db, mse);
  EXPECT_GE(output.record.output_sqnr_after_db, percentile);
  // Before is the full range: what --clip output starts from.
  EXPECT_DOUBLE_EQ(output.record.output_sqnr_before_db, none);
  EXPECT_GT(output.record.applied_clips(), 0);
}

TEST(CalibratedQuantizer, MethodsWithoutStatisticsNameTheOption) {
  const Graph graph = two_layers();
  const auto message = [&](QuantConfig config, const CalibrationStatistics* statistics) {
    try {
      quantize_graph(graph, config, statistics);
    } catch (const Error& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  QuantConfig adaptive;
  adaptive.rounding = Rounding::Adaptive;
  EXPECT_NE(message(adaptive, nullptr).find("--rounding adaptive"), std::string::npos) << message(adaptive, nullptr);
  QuantConfig bias;
  bias.bias_correction = true;
  EXPECT_NE(message(bias, nullptr).find("--bias-correction"), std::string::npos);
  QuantConfig clip;
  clip.clip = ClipMethod::Output;
  EXPECT_NE(message(clip, nullptr).find("--clip output"), std::string::npos);
  CalibrationStatistics partial = statistics_of(graph, calibration_images());
  partial.erase("dw");
  const std::string missing = message(adaptive, &partial);
  EXPECT_NE(missing.find("'dw'"), std::string::npos) << missing;
  EXPECT_THROW(quantize_tensor(graph.constant(graph.find_value("conv1.weight")), "conv1.weight", adaptive), Error);
}

TEST(CalibratedQuantizer, EveryMethodIsDeterministic) {
  const Graph graph = two_layers();
  QuantConfig config = four_bits();
  config.rounding = Rounding::Adaptive;
  config.bias_correction = true;
  config.clip = ClipMethod::Output;
  const CalibrationStatistics once = statistics_of(graph, calibration_images());
  const CalibrationStatistics again = statistics_of(graph, calibration_images());
  const QuantizationResult first = quantize_graph(graph, config, &once);
  const QuantizationResult second = quantize_graph(graph, config, &again);
  for (const char* layer : {"conv1", "dw"}) {
    EXPECT_EQ(bytes_of(codes_of(first.graph, layer)), bytes_of(codes_of(second.graph, layer))) << layer;
    EXPECT_EQ(bytes_of(first.graph.constant(node_named(first.graph, layer).inputs[2])),
              bytes_of(second.graph.constant(node_named(second.graph, layer).inputs[2])))
        << layer;
  }
}

TEST(CalibratedQuantizer, ReportShowsRoundingBiasChangeAndOutputSqnr) {
  const Graph graph = two_layers();
  const CalibrationStatistics statistics = statistics_of(graph, calibration_images());
  QuantConfig config = four_bits();
  config.rounding = Rounding::Adaptive;
  config.bias_correction = true;
  const QuantizationResult result = quantize_graph(graph, config, &statistics);
  const nlohmann::json json = report_json(result);
  EXPECT_EQ(json.at("config").at("weight_rounding"), "adaptive");
  EXPECT_EQ(json.at("config").at("bias_correction"), true);
  const nlohmann::json& conv1 = json.at("tensors").at(0).at("calibration");
  EXPECT_EQ(conv1.at("rounding"), "adaptive");
  EXPECT_EQ(conv1.at("rounding_flips"), result.tensors[0].rounding_flips);
  EXPECT_EQ(conv1.at("bias_corrected"), true);
  EXPECT_EQ(conv1.at("bias_added"), false);
  EXPECT_DOUBLE_EQ(conv1.at("bias_max_change").get<double>(), result.tensors[0].bias_max_change);
  EXPECT_GT(conv1.at("output_sqnr_after_db").get<double>(), conv1.at("output_sqnr_before_db").get<double>());
  const std::string text = format_report(result);
  EXPECT_NE(text.find("rounding: adaptive (" + std::to_string(result.tensors[0].rounding_flips) + " weights"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("bias correction: added a float32 bias, largest change"), std::string::npos) << text;
  EXPECT_NE(text.find("estimated layer output SQNR on calibration data"), std::string::npos) << text;
  // Without calibration methods the report is as before.
  EXPECT_FALSE(report_json(quantize_graph(graph, four_bits())).at("tensors").at(0).contains("calibration"));
}

}  // namespace
}  // namespace edgeport
