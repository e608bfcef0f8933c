#include "tflite/readiness.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "tflite/target_ops.h"

namespace edgeport {

namespace {

using nlohmann::json;

constexpr const char* kFullyInteger = "fully integer";
constexpr const char* kEdgeTpu = "Edge TPU";
constexpr const char* kTfliteMicro = "TFLite Micro";

std::string extents_text(const flatbuffers::Vector<std::int32_t>* extents) {
  std::string text = "[";
  for (flatbuffers::uoffset_t i = 0; extents && i < extents->size(); ++i) {
    if (i > 0) text += ',';
    text += std::to_string(extents->Get(i));
  }
  return text + "]";
}

std::string tensor_text(const TfliteModelView& model, int tensor) {
  std::string text = "'";
  text += model.tensor_name(tensor);
  text += "' " + TfliteModelView::type_name(model.tensor(tensor).type()) + " " + extents_text(model.tensor(tensor).shape());
  return text;
}

// An int32 constant is a parameter, not data, where an operator reads it as a
// bias, a shape, an axis, a padding or a size: any input after the first, and
// the first of SPLIT (the axis) and TRANSPOSE_CONV (the output shape).
bool int32_parameter(const TfliteModelView& model, int op, int input_slot) {
  const tflite::BuiltinOperator code = model.operator_code(op);
  return input_slot > 0 || code == tflite::BuiltinOperator::SPLIT || code == tflite::BuiltinOperator::TRANSPOSE_CONV;
}

// Why an operand keeps an operator from being integer-only, or "" when it
// does not.
std::string integer_problem(const TfliteModelView& model, int tensor, bool parameter_slot) {
  const tflite::TensorType type = model.tensor(tensor).type();
  if (type == tflite::TensorType::INT8 || type == tflite::TensorType::UINT8) {
    return model.quantization(tensor) ? "" : "no quantization parameters";
  }
  if (type == tflite::TensorType::INT32 && parameter_slot && model.is_constant(tensor)) return "";
  return model.is_constant(tensor) ? "constant" : "activation";
}

bool is_integer(const TfliteModelView& model, int tensor) {
  const tflite::TensorType type = model.tensor(tensor).type();
  return type == tflite::TensorType::INT8 || type == tflite::TensorType::UINT8;
}

bool contains(const std::vector<int>& tensors, int tensor) {
  return std::find(tensors.begin(), tensors.end(), tensor) != tensors.end();
}

// A QUANTIZE of a float model input or a DEQUANTIZE of a computed integer
// tensor into a model output: the float interface of a file whose ops are
// integer (what a converter's float input and output type gives). Both
// targets run them (the Edge TPU compiler leaves a DEQUANTIZE to the CPU).
bool converts_float_interface(const TfliteModelView& model, int op) {
  const std::vector<int> inputs = model.operator_inputs(op);
  const std::vector<int> outputs = model.operator_outputs(op);
  if (inputs.size() != 1 || outputs.size() != 1 || inputs[0] < 0) return false;
  switch (model.operator_code(op)) {
    case tflite::BuiltinOperator::QUANTIZE:
      return contains(model.subgraph_inputs(), inputs[0]) && is_integer(model, outputs[0]);
    case tflite::BuiltinOperator::DEQUANTIZE:
      return contains(model.subgraph_outputs(), outputs[0]) && is_integer(model, inputs[0]) &&
             !model.is_constant(inputs[0]);
    default: return false;
  }
}

class ProblemList {
 public:
  void add(const std::string& where, const std::string& problem, std::vector<std::string> breaks,
           bool float_interface = false) {
    for (const std::string& target : breaks) broken_.insert(target);
    if (!float_interface && std::find(breaks.begin(), breaks.end(), kFullyInteger) != breaks.end()) {
      integer_inside_ = false;
    }
    problems_.push_back({{"where", where}, {"problem", problem}, {"breaks", std::move(breaks)}});
  }
  bool breaks(const std::string& target) const { return broken_.count(target) > 0; }
  // No problem breaks "fully integer" but the float interface's conversions.
  bool integer_inside() const { return integer_inside_; }
  json take() { return std::move(problems_); }

 private:
  json problems_ = json::array();
  std::set<std::string> broken_;
  bool integer_inside_ = true;
};

// Every operator that reads or writes a tensor that is not int8/uint8 (or an
// int32 parameter), and every builtin a target does not list. Returns the
// tensors the operators touch.
std::set<int> check_operators(const TfliteModelView& model, ProblemList& problems) {
  std::set<int> touched;
  for (int op = 0; op < model.operator_count(); ++op) {
    std::vector<std::string> operands;
    const std::vector<int> inputs = model.operator_inputs(op);
    for (std::size_t slot = 0; slot < inputs.size(); ++slot) {
      if (inputs[slot] < 0) continue;
      touched.insert(inputs[slot]);
      const std::string problem = integer_problem(model, inputs[slot], int32_parameter(model, op, static_cast<int>(slot)));
      if (!problem.empty()) {
        operands.push_back("input " + std::to_string(slot) + " " + tensor_text(model, inputs[slot]) + " (" + problem + ")");
      }
    }
    const std::vector<int> outputs = model.operator_outputs(op);
    for (std::size_t slot = 0; slot < outputs.size(); ++slot) {
      touched.insert(outputs[slot]);
      const std::string problem = integer_problem(model, outputs[slot], false);
      if (!problem.empty()) {
        operands.push_back("output " + std::to_string(slot) + " " + tensor_text(model, outputs[slot]) + " (" + problem + ")");
      }
    }
    if (!operands.empty()) {
      const bool interface = converts_float_interface(model, op);
      std::string text = interface ? "float interface:" : "not integer-only:";
      for (std::size_t i = 0; i < operands.size(); ++i) {
        text += i > 0 ? "; " : " ";
        text += operands[i];
      }
      if (interface) {
        problems.add(model.operator_label(op), text, {kFullyInteger}, true);
      } else {
        problems.add(model.operator_label(op), text, {kFullyInteger, kEdgeTpu, kTfliteMicro});
      }
    }
    const tflite::BuiltinOperator code = model.operator_code(op);
    if (!edge_tpu_supports(code)) {
      problems.add(model.operator_label(op), "not among the Edge TPU compiler's supported operations", {kEdgeTpu});
    }
    if (!tflite_micro_supports(code)) {
      problems.add(model.operator_label(op), "not a builtin TFLite Micro's op resolver registers", {kTfliteMicro});
    }
  }
  return touched;
}

void check_interface(const TfliteModelView& model, const std::set<int>& touched, ProblemList& problems) {
  std::vector<int> interface = model.subgraph_inputs();
  for (int tensor : model.subgraph_outputs()) interface.push_back(tensor);
  for (int tensor : interface) {
    const std::string problem = integer_problem(model, tensor, false);
    if (!touched.count(tensor) && !problem.empty()) {
      problems.add(model.tensor_label(tensor), "not integer: " + tensor_text(model, tensor) + " (" + problem + ")",
                   {kFullyInteger, kEdgeTpu, kTfliteMicro});
    }
    const Shape shape = model.shape(tensor);
    if (shape.size() >= 2 && shape[0] != 1) {
      problems.add(model.tensor_label(tensor),
                   "batch " + std::to_string(shape[0]) + " at the interface (batch 1 required)", {kEdgeTpu, kTfliteMicro});
    }
  }
}

void check_static_shapes(const TfliteModelView& model, ProblemList& problems) {
  for (int tensor = 0; tensor < model.tensor_count(); ++tensor) {
    const auto* signature = model.tensor(tensor).shape_signature();
    if (!signature) continue;
    for (std::int32_t extent : *signature) {
      if (extent < 0) {
        problems.add(model.tensor_label(tensor), "dynamic shape " + extents_text(signature) + " (static shapes required)",
                     {kEdgeTpu, kTfliteMicro});
        break;
      }
    }
  }
}

}  // namespace

json tflite_readiness(const TfliteModelView& model) {
  ProblemList problems;
  if (model.model().subgraphs()->size() > 1) {
    problems.add("model", std::to_string(model.model().subgraphs()->size()) + " subgraphs (the Edge TPU compiler maps one)",
                 {kEdgeTpu});
  }
  const std::set<int> touched = check_operators(model, problems);
  check_interface(model, touched, problems);
  check_static_shapes(model, problems);
  json readiness;
  readiness["fully_integer"] = !problems.breaks(kFullyInteger);
  readiness["integer_inside_float_interface"] = !readiness["fully_integer"].get<bool>() && problems.integer_inside();
  readiness["edge_tpu"] = !problems.breaks(kEdgeTpu);
  readiness["tflite_micro"] = !problems.breaks(kTfliteMicro);
  readiness["problems"] = problems.take();
  return readiness;
}

std::string format_tflite_readiness(const json& readiness) {
  const auto verdict = [&](const char* key) { return readiness.at(key).get<bool>() ? "ready" : "not ready"; };
  std::ostringstream out;
  out << "readiness: " << (readiness.at("fully_integer").get<bool>() ? "fully integer" : "not fully integer");
  if (readiness.at("integer_inside_float_interface").get<bool>()) out << " (integer ops inside a float interface)";
  out << "; Edge TPU " << verdict("edge_tpu") << ", TFLite Micro " << verdict("tflite_micro") << "\n";
  for (const json& problem : readiness.at("problems")) {
    out << "  " << problem.at("where").get<std::string>() << ": " << problem.at("problem").get<std::string>() << " [";
    const json& breaks = problem.at("breaks");
    for (std::size_t i = 0; i < breaks.size(); ++i) out << (i ? ", " : "") << breaks[i].get<std::string>();
    out << "]\n";
  }
  return out.str();
}

}  // namespace edgeport
