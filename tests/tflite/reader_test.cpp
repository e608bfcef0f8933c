// The reader: files read back into the IR compute what the graph they were
// written from computes, in either interface layout.
#include <gtest/gtest.h>

#include "fixtures.h"
#include "runtime/session.h"
#include "support.h"
#include "core/file_io.h"
#include "tflite/layout.h"
#include "tflite/model_builder.h"
#include "tflite/reader.h"
#include "tflite/writer.h"
#include "writer_graphs.h"

namespace edgeport {
namespace {

using namespace tflite_test;

int count_nodes(const Graph& graph, const std::string& op) {
  int count = 0;
  for (const Node& node : graph.nodes) count += node.op == op ? 1 : 0;
  return count;
}

// `interface_transposes_only`: the NCHW file's only TRANSPOSEs are the two at
// its interface, so the graph read back needs no Transpose node at all.
void expect_round_trip(const Graph& graph, const Tensor& input, const std::string& label,
                       bool interface_transposes_only = true) {
  const Tensor expected = run_graph(graph, input);
  const auto directory = scratch_directory("round_trip_" + label);
  for (const std::string layout : {"nchw", "nhwc"}) {
    TfliteExportOptions options;
    options.layout = layout;
    const auto path = directory / (label + "_" + layout + ".tflite");
    write_tflite(graph, path, options);
    const Graph read = read_tflite(path);
    ASSERT_EQ(read.inputs.size(), 1u);
    const Shape& interface = read.value(read.inputs[0]).shape;
    const bool nhwc = layout == "nhwc" && input.rank() == 4;
    EXPECT_EQ(interface, nhwc ? tflite_layout::permute_shape(input.shape(), tflite_layout::nhwc()) : input.shape());
    const Tensor feed = nhwc ? tflite_layout::permute_tensor(input, tflite_layout::nhwc()) : input;
    Tensor actual = run_graph(read, feed);
    if (layout == "nhwc" && actual.rank() == 4) actual = tflite_layout::permute_tensor(actual, tflite_layout::inverse(tflite_layout::nhwc()));
    ASSERT_EQ(actual.shape(), expected.shape()) << label << " " << layout;
    EXPECT_LE(max_abs_diff(actual, expected), 1e-5f * std::max(1.0f, max_abs(expected))) << label << " " << layout;
    EXPECT_EQ(read.value(read.outputs[0]).name, graph.value(graph.outputs[0]).name);
    if (layout == "nchw" && interface_transposes_only) {
      // The interface TRANSPOSEs cancel against the NHWC ops' own layout.
      EXPECT_EQ(count_nodes(read, "Transpose"), 0) << label;
    }
  }
}

TEST(TfliteReader, HandBuiltGraphsRoundTrip) {
  expect_round_trip(writer_zoo_graph(), random_tensor({1, 3, 20, 20}, 11, 2.0f), "zoo");
  expect_round_trip(writer_layout_graph(), random_tensor({1, 4, 9, 9}, 12, 2.0f), "layout", false);
}

TEST(TfliteReader, TinyLadedaRoundTrips) {
  for (const std::string name : {"tiny_ladeda_right_diag", "tiny_ladeda_NPR", "tiny_ladeda_y_grad_pool"}) {
    const FixtureModel model = tiny_ladeda_fixture(name);
    expect_round_trip(model.graph, model.cases[1].input, name);
  }
}

}  // namespace
}  // namespace edgeport

namespace edgeport {
namespace {

// A grouped CONV_2D (filter input depth below the input's), which our writer
// never emits but other converters do.
TEST(TfliteReader, GroupedConvMatchesLiteRt) {
  TfliteModelBuilder builder;
  auto tensor = [&](const std::string& name, std::vector<std::int32_t> shape, const Tensor* data) {
    TfliteTensorSpec spec;
    spec.name = name;
    spec.shape = std::move(shape);
    if (data) {
      spec.data.assign(data->raw(), data->raw() + data->nbytes());
      spec.constant = true;
    }
    return builder.add_tensor(std::move(spec));
  };
  const Tensor filter = tflite_test::random_tensor({4, 3, 3, 2}, 31, 0.5f);
  const Tensor bias = tflite_test::random_tensor({4}, 32, 0.2f);
  const int x = tensor("x", {1, 6, 6, 4}, nullptr);
  const int w = tensor("w", {4, 3, 3, 2}, &filter);
  const int b = tensor("b", {4}, &bias);
  const int y = tensor("y", {1, 4, 4, 4}, nullptr);
  builder.add_operator(tflite::BuiltinOperator::CONV_2D, {x, w, b}, {y},
                       {tflite::BuiltinOptions::Conv2DOptions, [](flatbuffers::FlatBufferBuilder& fbb) {
                          return tflite::CreateConv2DOptions(fbb, tflite::Padding::VALID, 1, 1).Union();
                        },
                        {}});
  builder.set_inputs({x});
  builder.set_outputs({y});
  const std::vector<std::uint8_t> bytes = builder.finish();
  const auto path = tflite_test::scratch_directory("grouped") / "grouped.tflite";
  write_file_atomically(path, bytes);

  const Graph graph = read_tflite(path);
  ASSERT_EQ(graph.nodes.size(), 3u) << "Transpose, Conv, Transpose";
  EXPECT_EQ(graph.nodes[1].attrs.get_int("group"), 2);
  const Tensor input = tflite_test::random_tensor({1, 6, 6, 4}, 33, 1.0f);
  const Tensor ours = run_graph(graph, input);
  EXPECT_LE(tflite_test::max_abs_diff(tflite_test::run_litert(path, {input}).front(), ours), 1e-5f);
}

}  // namespace
}  // namespace edgeport
