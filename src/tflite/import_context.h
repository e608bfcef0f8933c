#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/graph.h"
#include "core/unique_names.h"
#include "tflite/layout.h"
#include "tflite/model_view.h"

namespace edgeport {

// Bookkeeping of the TFLite -> IR translation: which IR value holds each
// TFLite tensor, in which axis order (TFLite axis i is IR axis perm[i]).
class ImportContext {
 public:
  using Perm = tflite_layout::Perm;

  ImportContext(const TfliteModelView& model, Graph& graph);

  const TfliteModelView& model;
  Graph& graph;
  // IR names: TFLite tensor names where free, suffixed where a tensor needs several values.
  UniqueNames names;

  // An IR value holding `tensor` in `perm`: an existing one, a constant laid
  // out for it, or one made by an IR Reshape (same element order) or Transpose.
  int value_in(int tensor, const Perm& perm);
  // The axis order of the tensor's first IR value (identity for constants).
  Perm natural_perm(int tensor);
  // A value whose IR row-major order is the tensor's element order.
  int order_keeping_value(int tensor);
  // `tensor` as an operand of a broadcasting op with `rank` output axes in
  // `perm` (unit axes added in front, as TFLite broadcasting does).
  int broadcast_operand(int tensor, std::size_t rank, const Perm& perm);
  // A constant filter whose single scale counts as per-channel when its
  // output-channel extent (TFLite axis `channel_dimension`) is 1, as TFLite does.
  int filter_value(int tensor, const Perm& perm, int channel_dimension);

  // Records that `value` holds `tensor` in `perm`, after checking the shapes agree.
  void hold(int tensor, int value, const Perm& perm);
  // A DEQUANTIZE of a constant: its IR form is made where it is read.
  void defer_dequantize(int output_tensor, int source_tensor);
  bool is_deferred(int tensor) const { return deferred_.count(tensor) != 0; }

  // Adds a single-output node named after `tensor` (plus `suffix`).
  int add_node(const std::string& op, int tensor, const std::string& suffix, std::vector<int> inputs,
               Attributes attrs = {});
  std::string unique_name(const std::string& base);

 private:
  struct Holding {
    int value;
    Perm perm;
  };
  int constant_value(int tensor, const Perm& perm, int channel_dimension = -1);
  std::string layout_suffix(const Perm& perm) const;

  std::vector<std::vector<Holding>> held_;
  std::map<int, int> deferred_;
};

}  // namespace edgeport
