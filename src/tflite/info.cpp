#include "tflite/info.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "core/file_io.h"
#include "tflite/arena_estimate.h"
#include "tflite/model_view.h"
#include "tflite/readiness.h"

namespace edgeport {

namespace {

using nlohmann::json;

json quantization_json(const TfliteModelView& model, int tensor) {
  const std::optional<QuantParams> quant = model.quantization(tensor);
  if (!quant) return nullptr;
  json entry;
  entry["scales"] = quant->scale;
  entry["zero_points"] = quant->zero_point;
  entry["per_channel"] = quant->per_channel();
  if (quant->per_channel()) entry["quantized_dimension"] = quant->axis;
  entry["symmetric"] = quant->symmetric();
  return entry;
}

json tensor_json(const TfliteModelView& model, int tensor) {
  json entry;
  entry["index"] = tensor;
  entry["name"] = model.tensor_name(tensor);
  entry["type"] = TfliteModelView::type_name(model.tensor(tensor).type());
  entry["shape"] = model.shape(tensor);
  entry["quantization"] = quantization_json(model, tensor);
  return entry;
}

std::string with_commas(std::uint64_t number) {
  std::string digits = std::to_string(number);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), 1, ',');
  return digits;
}

std::string shape_text(const json& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ',';
    text += std::to_string(shape[i].get<std::int64_t>());
  }
  return text + "]";
}

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::string quantization_text(const json& quantization) {
  if (quantization.is_null()) return "";
  const auto scales = quantization.at("scales").get<std::vector<double>>();
  const auto zeros = quantization.at("zero_points").get<std::vector<std::int64_t>>();
  const auto [low, high] = std::minmax_element(scales.begin(), scales.end());
  const auto [zero_low, zero_high] = std::minmax_element(zeros.begin(), zeros.end());
  std::string text = quantization.at("per_channel").get<bool>()
                         ? "per-channel (dimension " + std::to_string(quantization.at("quantized_dimension").get<int>()) +
                               "), " + std::to_string(scales.size()) + " scales in [" + number(*low) + ", " +
                               number(*high) + "]"
                         : "per-tensor, scale " + number(scales.front());
  text += *zero_low == *zero_high ? ", zero point " + std::to_string(*zero_low)
                                  : ", zero points in [" + std::to_string(*zero_low) + ", " + std::to_string(*zero_high) + "]";
  return text;
}

// How many operators of each builtin code and version.
json operators_json(const TfliteModelView& model) {
  std::map<std::pair<std::string, int>, int> histogram;
  for (int index = 0; index < model.operator_count(); ++index) {
    ++histogram[{TfliteModelView::code_name(model.operator_code(index)), model.operator_version(index)}];
  }
  json operators = json::array();
  for (const auto& [kind, count] : histogram) {
    operators.push_back({{"op", kind.first}, {"version", kind.second}, {"count", count}});
  }
  return operators;
}

// Sets "tensors_by_type" (counts and bytes per tensor type) and
// "quantized_tensors".
void add_tensor_summaries(const TfliteModelView& model, json& info) {
  struct TypeTotals {
    int tensors = 0;
    int constants = 0;
    std::uint64_t constant_bytes = 0;
    std::uint64_t activation_bytes = 0;
  };
  std::map<std::string, TypeTotals> by_type;
  info["quantized_tensors"] = json::array();
  for (int tensor = 0; tensor < model.tensor_count(); ++tensor) {
    const tflite::TensorType type = model.tensor(tensor).type();
    TypeTotals& totals = by_type[TfliteModelView::type_name(type)];
    ++totals.tensors;
    const Shape shape = model.shape(tensor);
    if (model.is_constant(tensor)) {
      ++totals.constants;
      totals.constant_bytes += static_cast<std::uint64_t>(shape_numel(shape)) * TfliteModelView::element_size(type);
    } else {
      totals.activation_bytes += static_cast<std::uint64_t>(shape_numel(shape)) * TfliteModelView::element_size(type);
    }
    if (model.quantization(tensor)) {
      json entry = tensor_json(model, tensor);
      entry["constant"] = model.is_constant(tensor);
      info["quantized_tensors"].push_back(std::move(entry));
    }
  }
  info["tensors_by_type"] = json::array();
  for (const auto& [type, totals] : by_type) {
    info["tensors_by_type"].push_back({{"type", type},
                                       {"tensors", totals.tensors},
                                       {"constants", totals.constants},
                                       {"constant_bytes", totals.constant_bytes},
                                       {"activation_bytes", totals.activation_bytes}});
  }
}

json metadata_json(const TfliteModelView& model) {
  const std::map<std::string, std::string> text = model.text_metadata();
  json metadata = json::object();
  for (const auto& [name, size] : model.metadata_sizes()) {
    auto found = text.find(name);
    metadata[name] = found != text.end() ? json(found->second) : json("<binary, " + std::to_string(size) + " bytes>");
  }
  return metadata;
}

json signatures_json(const TfliteModelView& model) {
  json signatures = json::array();
  if (!model.model().signature_defs()) return signatures;
  for (const tflite::SignatureDef* signature : *model.model().signature_defs()) {
    json entry;
    entry["key"] = signature->signature_key() ? signature->signature_key()->str() : "";
    for (const char* side : {"inputs", "outputs"}) {
      entry[side] = json::array();
      const auto* maps = std::string(side) == "inputs" ? signature->inputs() : signature->outputs();
      if (!maps) continue;
      for (const tflite::TensorMap* map : *maps) {
        entry[side].push_back({{"name", map->name() ? map->name()->str() : ""}, {"tensor", map->tensor_index()}});
      }
    }
    signatures.push_back(std::move(entry));
  }
  return signatures;
}

}  // namespace

json tflite_info(const std::vector<std::uint8_t>& bytes, const std::string& origin) {
  const TfliteModelView model(bytes, origin);
  json info;
  info["file"] = origin;
  info["format"] = "tflite";
  info["file_size_bytes"] = bytes.size();
  info["file_size_mb"] = static_cast<double>(bytes.size()) / 1e6;
  info["schema_version"] = model.model().version();
  info["description"] = model.model().description() ? model.model().description()->str() : "";
  info["subgraphs"] = model.model().subgraphs()->size();

  info["inputs"] = json::array();
  for (int tensor : model.subgraph_inputs()) info["inputs"].push_back(tensor_json(model, tensor));
  info["outputs"] = json::array();
  for (int tensor : model.subgraph_outputs()) info["outputs"].push_back(tensor_json(model, tensor));
  info["operators"] = operators_json(model);
  info["operator_count"] = model.operator_count();
  add_tensor_summaries(model, info);
  info["arena"] = tflite_arena_json(model);
  info["readiness"] = tflite_readiness(model);
  info["metadata"] = metadata_json(model);
  info["signatures"] = signatures_json(model);
  return info;
}

json tflite_info(const std::filesystem::path& path) { return tflite_info(read_file_bytes(path), path.string()); }

std::string format_tflite_arena(const json& arena) {
  if (arena.at("bytes").is_null()) {
    return "activation arena: not estimated, " + with_commas(arena.at("planned_tensors").get<std::uint64_t>()) +
           " tensors to plan (more than " + with_commas(kMaxPlannedTensors) + ")";
  }
  const bool fits = arena.at("fits_sram").get<bool>();
  return "activation arena: " + with_commas(arena.at("bytes").get<std::uint64_t>()) + " bytes (" +
         with_commas(arena.at("planned_tensors").get<std::uint64_t>()) + " tensors, TFLite Micro's greedy plan, " +
         std::to_string(arena.at("alignment").get<int>()) + "-byte buffers): " + (fits ? "fits" : "does not fit") +
         " 1 MB of SRAM (" + with_commas(arena.at("sram_bytes").get<std::uint64_t>()) + " bytes)";
}

std::string format_tflite_info(const json& info) {
  std::ostringstream out;
  char size_mb[32];
  std::snprintf(size_mb, sizeof size_mb, "%.3f", info.at("file_size_mb").get<double>());
  out << info.at("file").get<std::string>() << ": TFLite (schema " << info.at("schema_version").get<int>() << "), "
      << with_commas(info.at("file_size_bytes").get<std::uint64_t>()) << " bytes (" << size_mb << " MB), "
      << info.at("operator_count").get<int>() << " operators\n";
  if (!info.at("description").get<std::string>().empty()) {
    out << "description: " << info.at("description").get<std::string>() << "\n";
  }
  for (const char* side : {"inputs", "outputs"}) {
    out << side << ":\n";
    for (const json& tensor : info.at(side)) {
      out << "  " << tensor.at("name").get<std::string>() << "  " << tensor.at("type").get<std::string>() << " "
          << shape_text(tensor.at("shape"));
      const std::string quantization = quantization_text(tensor.at("quantization"));
      if (!quantization.empty()) out << "  " << quantization;
      out << "\n";
    }
  }
  out << "operators:\n";
  for (const json& entry : info.at("operators")) {
    out << "  " << entry.at("op").get<std::string>() << " v" << entry.at("version").get<int>() << "  x"
        << entry.at("count").get<int>() << "\n";
  }
  out << "tensors by type:\n";
  for (const json& entry : info.at("tensors_by_type")) {
    out << "  " << entry.at("type").get<std::string>() << "  " << entry.at("tensors").get<int>() << " tensors ("
        << entry.at("constants").get<int>() << " constant, "
        << with_commas(entry.at("constant_bytes").get<std::uint64_t>()) << " bytes of data; "
        << with_commas(entry.at("activation_bytes").get<std::uint64_t>()) << " bytes of activations)\n";
  }
  out << format_tflite_arena(info.at("arena")) << "\n";
  out << format_tflite_readiness(info.at("readiness"));
  if (!info.at("quantized_tensors").empty()) {
    out << "quantized tensors:\n";
    for (const json& tensor : info.at("quantized_tensors")) {
      out << "  " << tensor.at("name").get<std::string>() << "  " << tensor.at("type").get<std::string>() << " "
          << shape_text(tensor.at("shape")) << "  " << quantization_text(tensor.at("quantization")) << "\n";
    }
  }
  if (!info.at("metadata").empty()) {
    out << "metadata:\n";
    for (const auto& [name, value] : info.at("metadata").items()) {
      out << "  " << name << ": " << value.get<std::string>() << "\n";
    }
  }
  for (const json& signature : info.at("signatures")) {
    out << "signature " << signature.at("key").get<std::string>() << ": (";
    for (std::size_t i = 0; i < signature.at("inputs").size(); ++i) {
      out << (i ? ", " : "") << signature.at("inputs")[i].at("name").get<std::string>();
    }
    out << ") -> (";
    for (std::size_t i = 0; i < signature.at("outputs").size(); ++i) {
      out << (i ? ", " : "") << signature.at("outputs")[i].at("name").get<std::string>();
    }
    out << ")\n";
  }
  return out.str();
}

}  // namespace edgeport
