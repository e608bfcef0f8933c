// Elu through TFLite: edgeport's ELU file in LiteRT, read back, and the
// refusal of an alpha TFLite cannot express.
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/elu.h"
#include "runtime/session.h"
#include "support.h"
#include "tflite/reader.h"
#include "tflite/writer.h"

namespace edgeport {
namespace {

Graph elu_graph(double alpha) {
  Graph graph;
  const int x = graph.add_input("x", DType::Float32, {1, 3, 5, 7});
  Attributes attrs;
  attrs.set("alpha", alpha);
  graph.mark_output(graph.add(op::Elu, "elu", {x}, attrs));
  return graph;
}

TEST(TfliteElu, WrittenFileAgreesWithLiteRtAndReadsBack) {
  const Graph graph = elu_graph(1.0);
  const std::filesystem::path model = tflite_test::scratch_directory("elu") / "elu.tflite";
  write_tflite(graph, model);
  EXPECT_EQ(tflite_test::count_operators(model, "ELU"), 1);
  const Tensor input = tflite_test::random_tensor({1, 3, 5, 7}, 23, 4.0f);
  const Tensor ours = Session(graph).run({input}).front();
  EXPECT_LE(tflite_test::max_abs_diff(tflite_test::run_litert(model, {input}).front(), ours), 1e-6f);

  const Graph read = read_tflite(model);
  bool has_elu = false;
  for (const Node& node : read.nodes) has_elu = has_elu || node.op == op::Elu;
  EXPECT_TRUE(has_elu);
  EXPECT_EQ(tflite_test::max_abs_diff(Session(read).run({input}).front(), ours), 0.0f);
}

TEST(TfliteElu, RefusesAnAlphaOtherThanOne) {
  try {
    encode_tflite(elu_graph(0.5), TfliteExportOptions{});
    FAIL() << "an Elu with alpha 0.5 was written";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("alpha"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("'elu'"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace edgeport
