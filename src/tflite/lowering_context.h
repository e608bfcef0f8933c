#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/graph.h"
#include "core/unique_names.h"
#include "tflite/layout.h"
#include "tflite/lowering.h"
#include "tflite/model_builder.h"

namespace edgeport {

// State shared by the per-op lowering functions: which TFLite tensors hold
// which IR values, in which axis order, and how to make the order an op needs.
class LoweringContext {
 public:
  using Perm = tflite_layout::Perm;

  LoweringContext(const Graph& graph, const TfliteLoweringOptions& options, TfliteModelBuilder& builder);

  const Graph& graph;
  const TfliteLoweringOptions& options;
  TfliteModelBuilder& builder;
  TfliteLoweringCounts counts;
  // Tensor names: IR names where free, suffixed where a value needs several tensors.
  UniqueNames names;

  // A tensor holding `value` with TFLite axis i = IR axis perm[i]. Emits a
  // RESHAPE (when the element order is unchanged) or a TRANSPOSE if no such
  // tensor exists yet; constants are laid out directly. Graph inputs and
  // outputs always change layout with a TRANSPOSE, so the interface
  // conversion is explicit.
  int tensor_for(int value, const Perm& perm);
  // The axis order of the value's first tensor (identity for constants).
  Perm natural_perm(int value);
  // The layout for an element-wise op over `operands` with `rank` output
  // axes: the one most of its full-rank, non-constant operands already have,
  // NHWC among equals for rank 4, identity when no operand is placed.
  Perm shared_perm(const std::vector<int>& operands, std::size_t rank);
  // A tensor whose element order is the IR's row-major order, preferring an
  // existing one, and its perm.
  std::pair<int, Perm> order_keeping_tensor(int value);
  // `value` (of rank <= rank) as an operand of a broadcasting op whose output
  // has `rank` axes in order `perm`: leading unit axes are added first.
  int broadcast_operand(int value, std::size_t rank, const Perm& perm);

  // A fresh activation tensor holding `value` in `perm`, recorded as its placement.
  int define(int value, const Perm& perm);
  // Records that an existing tensor holds `value` in `perm` (no op emitted).
  void alias(int value, int tensor, const Perm& perm);
  // A fresh activation tensor that holds no IR value (e.g. a padded input).
  int scratch(const std::string& name, tflite::TensorType type, const Shape& shape);

  int constant(const std::string& name, const Tensor& tensor);
  // RESHAPE to the output tensor's shape, TRANSPOSE by `perm`, DEQUANTIZE;
  // `name` prefixes the constants they need.
  void emit_reshape(int input, int output, const std::string& name);
  void emit_transpose(int input, int output, const Perm& perm, const std::string& name);
  void emit_dequantize(int input, int output);
  int int32_constant(const std::string& name, const std::vector<std::int64_t>& values);
  int int32_constant(const std::string& name, const std::vector<std::int64_t>& values, const Shape& shape);

  struct Weight {
    int tensor = -1;
    bool hybrid = false;
  };
  // The filter of a Conv / Linear in the TFLite axis order `perm` (of the IR
  // weight's axes); `channel_dimension` is the TFLite axis of the output
  // channels. Chooses the form the mode asks for: float32, float16 behind
  // DEQUANTIZE, int8 fed directly (hybrid) or int8 behind DEQUANTIZE.
  Weight weight(const Node& node, int value, const Perm& perm, int channel_dimension);
  // A float32 bias (float16 behind DEQUANTIZE in float16 mode); zeros when absent.
  int bias(const Node& node, int value, std::int64_t channels);

  bool is_graph_output(int value) const;
  // Marks a node as already lowered (an activation fused into its producer).
  void skip_node(int node_index) { skipped_.insert(node_index); }
  bool skipped(int node_index) const { return skipped_.count(node_index) != 0; }

  // The tensors of the graph's inputs and outputs in the interface layout.
  void declare_inputs();
  void declare_outputs();

 private:
  struct Placement {
    int tensor;
    Perm perm;
  };

  int place_constant(int value, const Perm& perm);
  int place_dequantized_constant(int value, int source, const Perm& perm);
  int float16_behind_dequantize(int value, const Perm& perm);
  // The int8 filter `codes_value` laid out for a hybrid op, with one scale
  // per output channel; `what` names the weight in errors.
  int hybrid_filter(const Node& node, const std::string& what, int codes_value, const Perm& perm,
                    int channel_dimension);
  int convert(int value, const Placement& from, const Perm& to);
  Perm interface_perm(int value) const;
  std::string layout_suffix(const Perm& perm) const;
  // "" for the identity, else "_" + layout_suffix.
  std::string layout_name_suffix(const Perm& perm) const;
  // The int8 constant a Dequantize node reads, when `value` is its output.
  int dequantized_constant_source(int value) const;

  std::vector<std::vector<Placement>> placements_;
  std::map<std::pair<int, Perm>, int> float16_weights_;
  std::set<int> skipped_;
};

tflite::TensorType tflite_tensor_type(DType dtype, const std::string& what);

// Throws the writer's error naming the node and its op.
[[noreturn]] void fail_lowering(const Node& node, const std::string& problem);

}  // namespace edgeport
