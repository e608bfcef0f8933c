#include <set>

#include "core/error.h"
#include "core/file_io.h"
#include "core/ops/quantization.h"
#include "onnx/onnx_check.h"
#include "onnx/onnx_emitter.h"
#include "onnx/onnx_model_io.h"
#include "onnx/onnx_tensor.h"

namespace edgeport {
namespace {

// The IR version of the ONNX release that introduced each opset, so files
// load in every runtime that knows the opset.
std::int64_t ir_version_for(int opset) {
  if (opset <= 11) return 6;
  if (opset <= 14) return 7;
  return 8;
}

void set_value_info(onnx::ValueInfoProto& info, const std::string& name, const Value& value, bool symbolic_batch) {
  info.set_name(name);
  onnx::TypeProto_Tensor* tensor_type = info.mutable_type()->mutable_tensor_type();
  tensor_type->set_elem_type(onnx_dtype(value.dtype));
  onnx::TensorShapeProto* shape = tensor_type->mutable_shape();
  for (std::size_t axis = 0; axis < value.shape.size(); ++axis) {
    onnx::TensorShapeProto_Dimension* dim = shape->add_dim();
    if (symbolic_batch && axis == 0) {
      dim->set_dim_param(OnnxEmitter::kBatchSymbol);
    } else {
      dim->set_dim_value(value.shape[axis]);
    }
  }
}

// A one-line description of the quantized weights, from the graph itself.
std::string quantization_summary(const Graph& graph, const std::string& format) {
  int tensors = 0;
  std::set<std::string> granularity;
  std::set<std::string> symmetry;
  std::set<std::string> dtypes;
  for (const Value& value : graph.values) {
    if (!value.constant || is_floating(value.dtype)) continue;
    const std::optional<QuantParams>& params = value.quant ? value.quant : value.constant->quant;
    if (!params) continue;
    ++tensors;
    granularity.insert(params->per_channel() ? "per-axis (axis " + std::to_string(params->axis) + ")"
                                             : "per-tensor");
    symmetry.insert(params->symmetric() ? "symmetric" : "asymmetric");
    dtypes.insert(std::string(dtype_name(value.dtype)));
  }
  if (tensors == 0) return "";
  auto join = [](const std::set<std::string>& items) {
    std::string text;
    for (const std::string& item : items) text += (text.empty() ? "" : "+") + item;
    return text;
  };
  return std::to_string(tensors) + " " + join(dtypes) + " weight tensors, " + join(granularity) + ", " +
         join(symmetry) + "; ONNX form " + format;
}

}  // namespace

void validate(const OnnxExportOptions& options) {
  if (options.opset < kMinOnnxOpset || options.opset > kMaxOnnxOpset) {
    throw Error("ONNX opset " + std::to_string(options.opset) + " is not supported; use " +
                std::to_string(kMinOnnxOpset) + " to " + std::to_string(kMaxOnnxOpset));
  }
  if (options.quant_format != "qdq" && options.quant_format != "dynamic") {
    throw Error("unknown ONNX quantization format '" + options.quant_format + "'; use qdq or dynamic");
  }
}

void OnnxEmitter::emit_graph() {
  proto_.set_name(options_.graph_name);
  for (int input : graph_.inputs) {
    set_value_info(*proto_.add_input(), names_.at(static_cast<std::size_t>(input)), graph_.value(input),
                   options_.dynamic_batch);
    written_.at(static_cast<std::size_t>(input)) = true;
  }
  for (const Node& node : graph_.nodes) {
    // A Dequantize of a constant is written when something reads its output.
    if (node.op == op::Dequantize && graph_.is_constant(node.inputs.at(0))) continue;
    emit_node(node);
  }
  for (int output : graph_.outputs) {
    std::string name = tensor(output);
    const Value& value = graph_.value(output);
    if (value.constant || graph_.producer(output) < 0) {
      const std::string copy = fresh(name + "_output");
      add_node("Identity", copy, {name}, {copy});
      name = copy;
    }
    set_value_info(*proto_.add_output(), name, value, options_.dynamic_batch);
  }
  // Declared intermediate shapes let ONNX shape inference check ours.
  if (options_.dynamic_batch) return;
  std::set<int> boundary(graph_.outputs.begin(), graph_.outputs.end());
  for (const Node& node : graph_.nodes) {
    for (int output : node.outputs) {
      if (boundary.count(output) || !written_.at(static_cast<std::size_t>(output))) continue;
      set_value_info(*proto_.add_value_info(), names_.at(static_cast<std::size_t>(output)), graph_.value(output),
                     false);
    }
  }
}

onnx::ModelProto to_onnx_model(const Graph& graph, const OnnxExportOptions& options) {
  validate(options);
  graph.validate();
  onnx::ModelProto model;
  model.set_ir_version(ir_version_for(options.opset));
  model.set_producer_name("edgeport");
  model.set_producer_version(EDGEPORT_VERSION);
  onnx::OperatorSetIdProto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(options.opset);

  OnnxEmitter(graph, options, *model.mutable_graph()).emit_graph();

  std::map<std::string, std::string> metadata = graph.metadata;
  metadata["producer"] = std::string("edgeport ") + EDGEPORT_VERSION;
  const std::string quantized = quantization_summary(graph, options.quant_format);
  if (!quantized.empty()) metadata["quantized_weights"] = quantized;
  for (const auto& [key, value] : options.metadata) metadata[key] = value;
  for (const auto& [key, value] : metadata) {
    onnx::StringStringEntryProto* entry = model.add_metadata_props();
    entry->set_key(key);
    entry->set_value(value);
  }
  return model;
}

void write_onnx(const Graph& graph, const std::filesystem::path& path, const OnnxExportOptions& options) {
  // In a statement of its own, so that the model proto is gone before the
  // check parses the written file into another: a deep model's weights are
  // held once, not three times.
  std::vector<std::uint8_t> bytes = serialize_onnx_model(to_onnx_model(graph, options));
  write_file_atomically(path, std::move(bytes), [&path](const std::filesystem::path& written) {
    check_onnx_model(load_onnx_model(written), path.string());
  });
}

}  // namespace edgeport
