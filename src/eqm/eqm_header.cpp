#include "eqm/eqm_header.h"

#include <cmath>
#include <limits>

#include "core/error.h"

namespace edgeport {

namespace {

using nlohmann::json;

constexpr DType kAllDTypes[] = {DType::Float32, DType::Float16, DType::BFloat16, DType::Float64, DType::Int64,
                                DType::Int32,   DType::Int16,   DType::Int8,     DType::UInt8,   DType::Bool};

// JSON has no NaN or infinity; they are written as strings.
json encode_double(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}

json encode_quant(const QuantParams& quant) {
  json scales = json::array();
  for (float scale : quant.scale) scales.push_back(encode_double(scale));
  return {{"scale", scales}, {"zero_point", quant.zero_point}, {"axis", quant.axis}};
}

json encode_attribute(const AttributeValue& value) {
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return {{"int", *integer}};
  if (const auto* real = std::get_if<double>(&value)) return {{"float", encode_double(*real)}};
  if (const auto* text = std::get_if<std::string>(&value)) return {{"string", *text}};
  if (const auto* integers = std::get_if<std::vector<std::int64_t>>(&value)) return {{"ints", *integers}};
  json reals = json::array();
  for (double real : std::get<std::vector<double>>(value)) reals.push_back(encode_double(real));
  return {{"floats", reals}};
}

std::uint64_t align_up(std::uint64_t offset) { return (offset + kEqmAlignment - 1) / kEqmAlignment * kEqmAlignment; }

// Field access that names the offending header path in every error.
class HeaderReader {
 public:
  explicit HeaderReader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& problem) const {
    throw Error(origin_ + ": header " + where + ": " + problem);
  }

  const json& field(const json& object, const std::string& key, const std::string& where) const {
    if (!object.is_object()) fail(where, "expected an object");
    auto found = object.find(key);
    if (found == object.end()) fail(where, "missing \"" + key + "\"");
    return *found;
  }

  const json& array(const json& object, const std::string& key, const std::string& where) const {
    const json& value = field(object, key, where);
    if (!value.is_array()) fail(where + "." + key, "expected an array");
    return value;
  }

  std::int64_t integer(const json& value, const std::string& where) const {
    if (!value.is_number_integer()) fail(where, "expected an integer");
    if (value.is_number_unsigned() && value.get<std::uint64_t>() > std::numeric_limits<std::int64_t>::max()) {
      fail(where, "integer out of range");
    }
    return value.get<std::int64_t>();
  }

  std::int64_t integer_in(const json& value, const std::string& where, std::int64_t lo, std::int64_t hi) const {
    const std::int64_t result = integer(value, where);
    if (result < lo || result > hi) {
      fail(where, std::to_string(result) + " is outside [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    return result;
  }

  std::uint64_t unsigned_integer(const json& value, const std::string& where) const {
    if (!value.is_number_unsigned()) fail(where, "expected a non-negative integer");
    return value.get<std::uint64_t>();
  }

  double real(const json& value, const std::string& where) const {
    if (value.is_number()) return value.get<double>();
    if (value.is_string()) {
      const std::string text = value.get<std::string>();
      if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
      if (text == "inf") return std::numeric_limits<double>::infinity();
      if (text == "-inf") return -std::numeric_limits<double>::infinity();
    }
    fail(where, "expected a number");
  }

  std::string text(const json& value, const std::string& where) const {
    if (!value.is_string()) fail(where, "expected a string");
    return value.get<std::string>();
  }

  std::vector<std::int64_t> integers(const json& value, const std::string& where) const {
    if (!value.is_array()) fail(where, "expected an array of integers");
    std::vector<std::int64_t> result;
    for (std::size_t i = 0; i < value.size(); ++i)
      result.push_back(integer(value[i], where + "[" + std::to_string(i) + "]"));
    return result;
  }

  DType dtype(const json& value, const std::string& where) const {
    const std::string name = text(value, where);
    for (DType candidate : kAllDTypes) {
      if (dtype_name(candidate) == name) return candidate;
    }
    fail(where, "unknown dtype \"" + name + "\"");
  }

  Shape shape(const json& value, const std::string& where) const {
    Shape result = integers(value, where);
    std::int64_t count = 1;
    for (std::int64_t extent : result) {
      if (extent < 0) fail(where, "negative extent in " + shape_to_string(result));
      if (extent > 0 && count > std::numeric_limits<std::int64_t>::max() / extent) {
        fail(where, "shape " + shape_to_string(result) + " is too large");
      }
      count *= extent;
    }
    return result;
  }

  QuantParams quant(const json& value, const std::string& where, const Shape& shape) const {
    QuantParams result;
    const json& scales = array(value, "scale", where);
    for (std::size_t i = 0; i < scales.size(); ++i) {
      result.scale.push_back(static_cast<float>(real(scales[i], where + ".scale[" + std::to_string(i) + "]")));
    }
    const json& zeros = array(value, "zero_point", where);
    for (std::size_t i = 0; i < zeros.size(); ++i) {
      result.zero_point.push_back(static_cast<std::int32_t>(
          integer_in(zeros[i], where + ".zero_point[" + std::to_string(i) + "]",
                     std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max())));
    }
    const auto rank = static_cast<std::int64_t>(shape.size());
    result.axis = static_cast<int>(integer_in(field(value, "axis", where), where + ".axis", -1, rank - 1));
    if (const std::optional<std::string> problem = result.mismatch(shape)) fail(where, *problem);
    return result;
  }

  AttributeValue attribute(const json& value, const std::string& where) const {
    if (!value.is_object() || value.size() != 1) fail(where, "expected an object with one typed entry");
    const std::string& kind = value.begin().key();
    const json& payload = value.begin().value();
    if (kind == "int") return integer(payload, where + ".int");
    if (kind == "float") return real(payload, where + ".float");
    if (kind == "string") return text(payload, where + ".string");
    if (kind == "ints") return integers(payload, where + ".ints");
    if (kind == "floats") {
      if (!payload.is_array()) fail(where + ".floats", "expected an array");
      std::vector<double> reals;
      for (std::size_t i = 0; i < payload.size(); ++i)
        reals.push_back(real(payload[i], where + ".floats[" + std::to_string(i) + "]"));
      return reals;
    }
    fail(where, "unknown attribute kind \"" + kind + "\"");
  }

  Tensor constant(const json& value, const std::string& where, const std::uint8_t* data,
                  std::uint64_t data_size) const {
    const DType type = dtype(field(value, "dtype", where), where + ".dtype");
    const Shape extents = shape(field(value, "shape", where), where + ".shape");
    const std::uint64_t offset = unsigned_integer(field(value, "offset", where), where + ".offset");
    const std::uint64_t nbytes = unsigned_integer(field(value, "nbytes", where), where + ".nbytes");
    std::uint64_t expected = 0;
    try {
      expected = shape_nbytes(extents, type);
    } catch (const Error& error) {
      fail(where, error.what());
    }
    if (expected != nbytes) {
      fail(where, std::to_string(nbytes) + " bytes do not hold " + std::string(dtype_name(type)) + " " +
                      shape_to_string(extents));
    }
    if (offset % kEqmAlignment != 0) fail(where + ".offset", std::to_string(offset) + " is not 64-byte aligned");
    if (offset > data_size || nbytes > data_size - offset) {
      fail(where, "bytes " + std::to_string(offset) + "+" + std::to_string(nbytes) + " lie outside the " +
                      std::to_string(data_size) + "-byte data section");
    }
    Tensor tensor(type, extents, std::vector<std::uint8_t>(data + offset, data + offset + nbytes));
    if (value.contains("quant")) tensor.quant = quant(value["quant"], where + ".quant", extents);
    return tensor;
  }

 private:
  std::string origin_;
};

std::string indexed(const std::string& list, std::size_t index) { return list + "[" + std::to_string(index) + "]"; }

void check_graph(const Graph& graph, const HeaderReader& reader) {
  std::vector<bool> produced(graph.values.size(), false);
  for (std::size_t i = 0; i < graph.inputs.size(); ++i) {
    const int id = graph.inputs[i];
    if (graph.values[static_cast<std::size_t>(id)].constant)
      reader.fail(indexed("inputs", i), "graph input is a constant");
    produced[static_cast<std::size_t>(id)] = true;
  }
  for (std::size_t n = 0; n < graph.nodes.size(); ++n) {
    for (int id : graph.nodes[n].outputs) {
      const Value& output = graph.values[static_cast<std::size_t>(id)];
      if (output.constant || produced[static_cast<std::size_t>(id)]) {
        reader.fail(indexed("nodes", n), "output '" + output.name + "' is already a constant, input or node output");
      }
      produced[static_cast<std::size_t>(id)] = true;
    }
  }
  // Shape rules come from every op's own file; whatever they throw on a
  // graph they cannot type, the file is what is wrong.
  Graph inferred = graph;
  try {
    graph.validate();
    inferred.infer_shapes();
  } catch (const std::exception& error) {
    reader.fail("graph", error.what());
  }
  for (const Node& node : graph.nodes) {
    for (int id : node.outputs) {
      const Value& stored = graph.values[static_cast<std::size_t>(id)];
      const Value& derived = inferred.values[static_cast<std::size_t>(id)];
      if (stored.dtype != derived.dtype || stored.shape != derived.shape) {
        reader.fail("node '" + node.name + "'",
                    "output '" + stored.name + "' is stored as " + std::string(dtype_name(stored.dtype)) + " " +
                        shape_to_string(stored.shape) + " but the op gives " + std::string(dtype_name(derived.dtype)) +
                        " " + shape_to_string(derived.shape));
      }
    }
  }
}

}  // namespace

json graph_to_header(const Graph& graph, std::vector<EqmBlob>& blobs) {
  blobs.clear();
  std::uint64_t data_end = 0;
  json values = json::array();
  for (std::size_t id = 0; id < graph.values.size(); ++id) {
    const Value& value = graph.values[id];
    json entry = {{"name", value.name}, {"dtype", dtype_name(value.dtype)}, {"shape", value.shape}};
    if (value.quant) entry["quant"] = encode_quant(*value.quant);
    if (value.constant) {
      const Tensor& tensor = *value.constant;
      const std::uint64_t offset = align_up(data_end);
      blobs.push_back({static_cast<int>(id), offset, tensor.nbytes()});
      data_end = offset + tensor.nbytes();
      json constant = {{"dtype", dtype_name(tensor.dtype())},
                       {"shape", tensor.shape()},
                       {"offset", offset},
                       {"nbytes", static_cast<std::uint64_t>(tensor.nbytes())}};
      if (tensor.quant) constant["quant"] = encode_quant(*tensor.quant);
      entry["constant"] = constant;
    }
    values.push_back(entry);
  }
  json nodes = json::array();
  for (const Node& node : graph.nodes) {
    json attributes = json::object();
    for (const auto& [name, value] : node.attrs.all()) attributes[name] = encode_attribute(value);
    nodes.push_back({{"op", node.op},
                     {"name", node.name},
                     {"inputs", node.inputs},
                     {"outputs", node.outputs},
                     {"attributes", attributes}});
  }
  return {{"format", "edgeport.eqm"}, {"values", values},         {"nodes", nodes},
          {"inputs", graph.inputs},   {"outputs", graph.outputs}, {"metadata", graph.metadata}};
}

Graph header_to_graph(const json& header, const std::uint8_t* data, std::uint64_t data_size,
                      const std::string& origin) {
  const HeaderReader reader(origin);
  if (reader.text(reader.field(header, "format", "(top level)"), "format") != "edgeport.eqm") {
    reader.fail("format", "not an edgeport.eqm header");
  }
  Graph graph;
  const json& values = reader.array(header, "values", "(top level)");
  for (std::size_t id = 0; id < values.size(); ++id) {
    const std::string where = indexed("values", id);
    const json& entry = values[id];
    Value value;
    value.name = reader.text(reader.field(entry, "name", where), where + ".name");
    value.dtype = reader.dtype(reader.field(entry, "dtype", where), where + ".dtype");
    value.shape = reader.shape(reader.field(entry, "shape", where), where + ".shape");
    if (entry.contains("quant")) value.quant = reader.quant(entry["quant"], where + ".quant", value.shape);
    if (entry.contains("constant"))
      value.constant = reader.constant(entry["constant"], where + ".constant", data, data_size);
    graph.values.push_back(std::move(value));
  }
  const auto value_count = static_cast<std::int64_t>(graph.values.size());
  const auto value_ids = [&](const json& list, const std::string& where, bool optional_allowed) {
    if (!list.is_array()) reader.fail(where, "expected an array of value ids");
    std::vector<int> ids;
    for (std::size_t i = 0; i < list.size(); ++i) {
      ids.push_back(static_cast<int>(
          reader.integer_in(list[i], indexed(where, i), optional_allowed ? kNoValue : 0, value_count - 1)));
    }
    return ids;
  };
  const json& nodes = reader.array(header, "nodes", "(top level)");
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    const std::string where = indexed("nodes", n);
    const json& entry = nodes[n];
    Node node;
    node.op = reader.text(reader.field(entry, "op", where), where + ".op");
    node.name = reader.text(reader.field(entry, "name", where), where + ".name");
    node.inputs = value_ids(reader.field(entry, "inputs", where), where + ".inputs", true);
    node.outputs = value_ids(reader.field(entry, "outputs", where), where + ".outputs", false);
    const json& attributes = reader.field(entry, "attributes", where);
    if (!attributes.is_object()) reader.fail(where + ".attributes", "expected an object");
    for (const auto& [name, value] : attributes.items())
      node.attrs.set(name, reader.attribute(value, where + ".attributes." + name));
    graph.nodes.push_back(std::move(node));
  }
  graph.inputs = value_ids(reader.field(header, "inputs", "(top level)"), "inputs", false);
  graph.outputs = value_ids(reader.field(header, "outputs", "(top level)"), "outputs", false);
  const json& metadata = reader.field(header, "metadata", "(top level)");
  if (!metadata.is_object()) reader.fail("metadata", "expected an object");
  for (const auto& [key, value] : metadata.items()) graph.metadata[key] = reader.text(value, "metadata." + key);
  check_graph(graph, reader);
  return graph;
}

}  // namespace edgeport
