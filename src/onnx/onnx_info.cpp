#include "onnx/onnx_info.h"

#include <map>
#include <sstream>

#include "core/error.h"
#include "core/file_io.h"
#include "onnx/onnx_check.h"
#include "onnx/onnx_model_io.h"
#include "onnx/onnx_tensor.h"

namespace edgeport {
namespace {

std::string element_type_name(int element_type) {
  try {
    return std::string(dtype_name(dtype_from_onnx(element_type, "")));
  } catch (const Error&) {
    return onnx::TensorProto_DataType_IsValid(element_type) ? onnx::TensorProto_DataType_Name(element_type)
                                                            : "unknown";
  }
}

nlohmann::json value_info_json(const onnx::ValueInfoProto& value) {
  nlohmann::json entry{{"name", value.name()}};
  if (!value.type().has_tensor_type()) {
    entry["dtype"] = "non-tensor";
    return entry;
  }
  const onnx::TypeProto_Tensor& tensor = value.type().tensor_type();
  entry["dtype"] = element_type_name(tensor.elem_type());
  if (!tensor.has_shape()) {
    entry["shape"] = nullptr;
    return entry;
  }
  nlohmann::json shape = nlohmann::json::array();
  for (const onnx::TensorShapeProto_Dimension& dim : tensor.shape().dim()) {
    if (dim.has_dim_value()) shape.push_back(dim.dim_value());
    else if (dim.has_dim_param()) shape.push_back(dim.dim_param());
    else shape.push_back("?");
  }
  entry["shape"] = shape;
  return entry;
}

// Dims, and so counts and byte sizes, are whatever the file declares: every
// product and sum of them is checked.
[[noreturn]] void fail_overflow(const std::string& origin, const onnx::TensorProto& tensor) {
  throw Error(origin + ": initializer '" + tensor.name() + "' declares more elements or bytes than int64 counts");
}

std::int64_t element_count(const onnx::TensorProto& tensor, const std::string& origin) {
  std::int64_t count = 1;
  for (std::int64_t extent : tensor.dims()) {
    if (__builtin_mul_overflow(count, extent, &count)) fail_overflow(origin, tensor);
  }
  return count;
}

std::string json_shape_text(const nlohmann::json& shape) {
  if (shape.is_null()) return "unknown";
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) text += ", ";
    text += shape[i].is_string() ? shape[i].get<std::string>() : std::to_string(shape[i].get<std::int64_t>());
  }
  return text + "]";
}

std::string human_bytes(std::int64_t bytes) {
  std::ostringstream text;
  text.precision(1);
  text << std::fixed;
  if (bytes < 1024) return std::to_string(bytes) + " B";
  if (bytes < 1024 * 1024) text << static_cast<double>(bytes) / 1024.0 << " KiB";
  else text << static_cast<double>(bytes) / (1024.0 * 1024.0) << " MiB";
  return text.str();
}

using Initializers = std::map<std::string, const onnx::TensorProto*>;

// Count, elements and bytes of the initializers, in all and per dtype, and
// the number of parameters.
void add_initializer_summary(const onnx::GraphProto& graph, const std::string& origin, nlohmann::json& info) {
  nlohmann::json by_dtype = nlohmann::json::object();
  std::int64_t total_bytes = 0;
  std::int64_t parameters = 0;
  for (const onnx::TensorProto& tensor : graph.initializer()) {
    const std::string dtype = element_type_name(tensor.data_type());
    const auto add = [&](std::int64_t a, std::int64_t b) {
      if (__builtin_add_overflow(a, b, &a)) fail_overflow(origin, tensor);
      return a;
    };
    const std::int64_t count = element_count(tensor, origin);
    std::int64_t size = tensor.has_raw_data() ? static_cast<std::int64_t>(tensor.raw_data().size()) : 0;
    if (!tensor.has_raw_data()) {
      // A dtype edgeport does not read has no size it knows: 0 bytes.
      std::int64_t element_size = 0;
      try {
        element_size = static_cast<std::int64_t>(dtype_size(dtype_from_onnx(tensor.data_type(), "")));
      } catch (const Error&) {
      }
      if (__builtin_mul_overflow(count, element_size, &size)) fail_overflow(origin, tensor);
    }
    if (!by_dtype.contains(dtype)) by_dtype[dtype] = {{"count", 0}, {"elements", 0}, {"bytes", 0}};
    nlohmann::json& entry = by_dtype[dtype];
    entry["count"] = entry["count"].get<std::int64_t>() + 1;
    entry["elements"] = add(entry["elements"].get<std::int64_t>(), count);
    entry["bytes"] = add(entry["bytes"].get<std::int64_t>(), size);
    total_bytes = add(total_bytes, size);
    parameters = add(parameters, count);
  }
  info["initializers"] = {{"count", graph.initializer_size()}, {"bytes", total_bytes}, {"by_dtype", by_dtype}};
  info["parameters"] = parameters;
}

// How a DequantizeLinear quantizes its codes: per-axis (with the axis) or per-tensor.
void add_dequantize_scheme(const onnx::NodeProto& node, const Initializers& initializers, const std::string& origin,
                           nlohmann::json& entry) {
  auto scale = initializers.find(node.input(1));
  const bool per_axis =
      scale != initializers.end() && scale->second->dims_size() == 1 && element_count(*scale->second, origin) > 1;
  entry["scheme"] = per_axis ? "per-axis" : "per-tensor";
  if (!per_axis) return;
  std::int64_t axis = 1;
  for (const onnx::AttributeProto& attribute : node.attribute()) {
    if (attribute.name() == "axis") axis = attribute.i();
  }
  entry["axis"] = axis;
}

// The integer initializers read as codes by DequantizeLinear, ConvInteger and
// MatMulInteger.
nlohmann::json quantized_tensors(const onnx::GraphProto& graph, const Initializers& initializers,
                                 const std::string& origin) {
  nlohmann::json quantized = nlohmann::json::array();
  for (const onnx::NodeProto& node : graph.node()) {
    const std::string& op = node.op_type();
    std::vector<int> code_inputs;
    if (op == "DequantizeLinear") code_inputs = {0};
    if (op == "ConvInteger" || op == "MatMulInteger") code_inputs = {0, 1};
    for (int index : code_inputs) {
      if (index >= node.input_size()) continue;
      auto found = initializers.find(node.input(index));
      if (found == initializers.end()) continue;
      const onnx::TensorProto& tensor = *found->second;
      nlohmann::json entry{{"name", tensor.name()},
                           {"dtype", element_type_name(tensor.data_type())},
                           {"shape", std::vector<std::int64_t>(tensor.dims().begin(), tensor.dims().end())},
                           {"consumer", op}};
      if (op == "DequantizeLinear" && node.input_size() > 1) {
        add_dequantize_scheme(node, initializers, origin, entry);
      } else if (op != "DequantizeLinear") {
        const int zero_point_index = index + 2;
        entry["scheme"] = "integer op operand";
        if (zero_point_index < node.input_size()) {
          auto zero_point = initializers.find(node.input(zero_point_index));
          if (zero_point != initializers.end()) entry["zero_points"] = element_count(*zero_point->second, origin);
        }
      }
      quantized.push_back(entry);
    }
  }
  return quantized;
}

}  // namespace

nlohmann::json onnx_info(const std::vector<std::uint8_t>& bytes, const std::string& origin) {
  const onnx::ModelProto model = parse_onnx_model(bytes, origin);
  const onnx::GraphProto& graph = model.graph();
  nlohmann::json info;
  info["file"] = origin;
  info["file_size_bytes"] = bytes.size();
  info["format"] = "onnx";
  info["ir_version"] = model.ir_version();
  nlohmann::json opsets = nlohmann::json::object();
  for (const onnx::OperatorSetIdProto& opset : model.opset_import()) {
    opsets[opset.domain().empty() ? "ai.onnx" : opset.domain()] = opset.version();
  }
  info["opset"] = opsets;
  info["producer"] = {{"name", model.producer_name()}, {"version", model.producer_version()}};
  info["graph_name"] = graph.name();

  Initializers initializers;
  for (const onnx::TensorProto& tensor : graph.initializer()) initializers[tensor.name()] = &tensor;
  nlohmann::json inputs = nlohmann::json::array();
  for (const onnx::ValueInfoProto& input : graph.input()) {
    if (!initializers.count(input.name())) inputs.push_back(value_info_json(input));
  }
  info["inputs"] = inputs;
  nlohmann::json outputs = nlohmann::json::array();
  for (const onnx::ValueInfoProto& output : graph.output()) outputs.push_back(value_info_json(output));
  info["outputs"] = outputs;

  info["node_count"] = graph.node_size();
  std::map<std::string, int> histogram;
  for (const onnx::NodeProto& node : graph.node()) {
    ++histogram[node.domain().empty() ? node.op_type() : node.domain() + "." + node.op_type()];
  }
  info["ops"] = histogram;
  add_initializer_summary(graph, origin, info);
  info["quantized_tensors"] = quantized_tensors(graph, initializers, origin);

  nlohmann::json metadata = nlohmann::json::object();
  for (const onnx::StringStringEntryProto& entry : model.metadata_props()) metadata[entry.key()] = entry.value();
  info["metadata"] = metadata;

  try {
    check_onnx_model(model, origin);
    info["check"] = "passed";
  } catch (const Error& failure) {
    info["check"] = failure.what();
  }
  return info;
}

nlohmann::json onnx_info(const std::filesystem::path& path) { return onnx_info(read_file_bytes(path), path.string()); }

std::string format_onnx_info(const nlohmann::json& info) {
  std::ostringstream text;
  text << "ONNX model: " << info.at("file").get<std::string>() << "\n";
  text << "  file size:   " << human_bytes(info.at("file_size_bytes").get<std::int64_t>()) << " ("
       << info.at("file_size_bytes").get<std::int64_t>() << " bytes)\n";
  text << "  IR version:  " << info.at("ir_version").get<std::int64_t>() << "\n";
  text << "  opset:      ";
  for (const auto& [domain, version] : info.at("opset").items()) text << " " << domain << " " << version.get<std::int64_t>();
  text << "\n";
  const nlohmann::json& producer = info.at("producer");
  text << "  producer:    " << producer.at("name").get<std::string>() << " " << producer.at("version").get<std::string>()
       << "\n";
  text << "  check:       " << info.at("check").get<std::string>() << "\n";
  for (const char* side : {"inputs", "outputs"}) {
    text << (std::string(side) == "inputs" ? "Inputs:\n" : "Outputs:\n");
    for (const nlohmann::json& value : info.at(side)) {
      text << "  " << value.at("name").get<std::string>() << "  " << value.at("dtype").get<std::string>() << " "
           << json_shape_text(value.value("shape", nlohmann::json())) << "\n";
    }
  }
  text << "Nodes: " << info.at("node_count").get<std::int64_t>() << "\n";
  for (const auto& [op, count] : info.at("ops").items()) text << "  " << op << ": " << count.get<std::int64_t>() << "\n";
  const nlohmann::json& initializers = info.at("initializers");
  text << "Initializers: " << initializers.at("count").get<std::int64_t>() << ", "
       << human_bytes(initializers.at("bytes").get<std::int64_t>()) << ", " << info.at("parameters").get<std::int64_t>()
       << " elements\n";
  for (const auto& [dtype, entry] : initializers.at("by_dtype").items()) {
    text << "  " << dtype << ": " << entry.at("count").get<std::int64_t>() << " tensors, "
         << entry.at("elements").get<std::int64_t>() << " elements, " << human_bytes(entry.at("bytes").get<std::int64_t>())
         << "\n";
  }
  const nlohmann::json& quantized = info.at("quantized_tensors");
  text << "Quantized tensors: " << quantized.size() << "\n";
  for (const nlohmann::json& entry : quantized) {
    text << "  " << entry.at("name").get<std::string>() << "  " << entry.at("dtype").get<std::string>() << " "
         << json_shape_text(entry.at("shape")) << "  " << entry.value("scheme", "") ;
    if (entry.contains("axis")) text << " (axis " << entry.at("axis").get<std::int64_t>() << ")";
    text << "  -> " << entry.at("consumer").get<std::string>() << "\n";
  }
  text << "Metadata:\n";
  for (const auto& [key, value] : info.at("metadata").items()) text << "  " << key << ": " << value.get<std::string>() << "\n";
  return text.str();
}

}  // namespace edgeport
