#include "onnx/onnx_importer.h"

#include <algorithm>

#include "core/error.h"
#include "onnx/onnx_tensor.h"

namespace edgeport {
namespace {

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

// Clearing a protobuf field keeps its capacity; swapping with an empty one frees it.
void release_data(onnx::TensorProto& tensor) {
  std::string().swap(*tensor.mutable_raw_data());
  google::protobuf::RepeatedField<float>().Swap(tensor.mutable_float_data());
  google::protobuf::RepeatedField<double>().Swap(tensor.mutable_double_data());
  google::protobuf::RepeatedField<std::int32_t>().Swap(tensor.mutable_int32_data());
  google::protobuf::RepeatedField<std::int64_t>().Swap(tensor.mutable_int64_data());
}

}  // namespace

OnnxImporter::OnnxImporter(onnx::ModelProto model, std::string origin, const OnnxImportOptions& options)
    : model_(std::move(model)), origin_(std::move(origin)), options_(options) {
  bool default_domain = false;
  for (const onnx::OperatorSetIdProto& opset : model_.opset_import()) {
    if (opset.domain().empty() || opset.domain() == "ai.onnx") {
      opset_ = static_cast<int>(opset.version());
      default_domain = true;
    }
  }
  if (!default_domain) throw Error(origin_ + ": the model imports no version of the default ONNX opset");
  if (opset_ < 7 || opset_ > 17) {
    throw Error(origin_ + ": opset " + std::to_string(opset_) + " is not supported (7 to 17 are)");
  }
}

void OnnxImporter::fail(const std::string& problem) const { throw Error(problem); }

std::string OnnxImporter::origin_of(const std::string& tensor_name) const {
  return origin_ + ": tensor '" + tensor_name + "'";
}

std::string OnnxImporter::unique_name(const std::string& base) {
  const std::string name = invented_.fresh(base);
  claimed_.reserve(name);
  return name;
}

std::string OnnxImporter::claim(const std::string& tensor_name) {
  if (tensor_name.empty() || claimed_.contains(tensor_name)) return unique_name(tensor_name);
  claimed_.reserve(tensor_name);
  invented_.reserve(tensor_name);
  return tensor_name;
}

// The registry's list of IR ops per importer stays true only if emitting
// anything else is an error.
void OnnxImporter::require_declared(const std::string& ir_op) const {
  const std::vector<std::string>& declared = importer_->ir_ops;
  if (std::find(declared.begin(), declared.end(), ir_op) == declared.end()) {
    fail("the importer of " + node_->op_type() + " emits IR op " + ir_op + ", which its registration does not declare");
  }
}

bool OnnxImporter::has_input(std::size_t index) const {
  return index < static_cast<std::size_t>(node_->input_size()) && !node_->input(static_cast<int>(index)).empty();
}

const OnnxImporter::Entry& OnnxImporter::entry(std::size_t index) const {
  if (!has_input(index)) fail("input " + std::to_string(index) + " is missing");
  const std::string& name = node_->input(static_cast<int>(index));
  auto found = entries_.find(name);
  if (found == entries_.end()) {
    fail("input '" + name + "' is not a graph input, an initializer or the output of an earlier node");
  }
  return found->second;
}

int OnnxImporter::input(std::size_t index) {
  const Entry& found = entry(index);
  if (found.value != kNoValue) return found.value;
  const std::string& name = node_->input(static_cast<int>(index));
  Entry& stored = entries_[name];
  stored.value = add_constant(name, *stored.constant);
  return stored.value;
}

const Tensor* OnnxImporter::constant_input(std::size_t index) const {
  const Entry& found = entry(index);
  return found.constant ? &*found.constant : nullptr;
}

const Tensor& OnnxImporter::require_constant(std::size_t index, const std::string& what) const {
  const Tensor* tensor = constant_input(index);
  if (!tensor) fail(what + " '" + node_->input(static_cast<int>(index)) + "' must be a constant");
  return *tensor;
}

DType OnnxImporter::input_dtype(std::size_t index) const {
  const Entry& found = entry(index);
  return found.constant ? found.constant->dtype() : graph_.value(found.value).dtype;
}

const Shape& OnnxImporter::input_shape(std::size_t index) const {
  const Entry& found = entry(index);
  return found.constant ? found.constant->shape() : graph_.value(found.value).shape;
}

bool OnnxImporter::all_inputs_constant() const {
  for (int i = 0; i < node_->input_size(); ++i) {
    if (has_input(static_cast<std::size_t>(i)) && !constant_input(static_cast<std::size_t>(i))) return false;
  }
  return true;
}

int OnnxImporter::add_constant(const std::string& base, Tensor tensor) {
  return graph_.add_constant(claim(base), std::move(tensor));
}

std::vector<int> OnnxImporter::emit(const std::string& op, const std::vector<int>& inputs, Attributes attrs) {
  require_declared(op);
  const std::vector<int> outputs = graph_.add_node(op, node_name_, inputs, std::move(attrs));
  if (outputs.size() > static_cast<std::size_t>(node_->output_size())) {
    fail("has " + std::to_string(node_->output_size()) + " outputs, the IR op " + op + " " +
         std::to_string(outputs.size()));
  }
  for (std::size_t i = 0; i < outputs.size(); ++i) bind_output(i, outputs[i]);
  return outputs;
}

int OnnxImporter::emit_helper(const std::string& op, const std::string& suffix, const std::vector<int>& inputs,
                              Attributes attrs) {
  require_declared(op);
  const std::string name = unique_name(node_name_ + "_" + suffix);
  const std::vector<int> outputs = graph_.add_node(op, name, inputs, std::move(attrs));
  if (outputs.size() != 1) fail("helper op " + op + " does not have one output");
  return outputs.front();
}

void OnnxImporter::bind_output(std::size_t index, int value_id) {
  if (index >= static_cast<std::size_t>(node_->output_size())) fail("output " + std::to_string(index) + " is missing");
  const std::string& name = node_->output(static_cast<int>(index));
  if (name.empty()) return;
  if (entries_.count(name)) fail("output '" + name + "' is already defined earlier in the graph");
  Value& value = graph_.value(value_id);
  if (value.name != name && !value.constant) value.name = claim(name);
  entries_[name].value = value_id;
}

void OnnxImporter::bind_output_constant(std::size_t index, Tensor tensor) {
  if (index >= static_cast<std::size_t>(node_->output_size())) fail("output " + std::to_string(index) + " is missing");
  const std::string& name = node_->output(static_cast<int>(index));
  if (name.empty()) return;
  if (entries_.count(name)) fail("output '" + name + "' is already defined earlier in the graph");
  entries_[name].constant = std::move(tensor);
}

void OnnxImporter::alias_output(std::size_t index, std::size_t input_index) {
  const Entry source = entry(input_index);
  if (index >= static_cast<std::size_t>(node_->output_size())) fail("output " + std::to_string(index) + " is missing");
  const std::string& name = node_->output(static_cast<int>(index));
  if (name.empty()) return;
  if (entries_.count(name)) fail("output '" + name + "' is already defined earlier in the graph");
  entries_[name] = source;
}

void OnnxImporter::require_single_output() const {
  for (int i = 1; i < node_->output_size(); ++i) {
    if (node_->output(i).empty()) continue;
    for (const onnx::NodeProto& other : model_.graph().node()) {
      for (const std::string& input : other.input()) {
        if (input == node_->output(i)) fail("output " + std::to_string(i) + " ('" + input + "') is not supported");
      }
    }
    for (const onnx::ValueInfoProto& output : model_.graph().output()) {
      if (output.name() == node_->output(i)) fail("output " + std::to_string(i) + " is not supported");
    }
  }
}

namespace {

const onnx::AttributeProto* find_attribute(const onnx::NodeProto& node, const std::string& name) {
  for (const onnx::AttributeProto& attribute : node.attribute()) {
    if (attribute.name() == name) return &attribute;
  }
  return nullptr;
}

}  // namespace

bool OnnxImporter::has_attribute(const std::string& name) const { return find_attribute(*node_, name) != nullptr; }

std::int64_t OnnxImporter::attr_int(const std::string& name, std::int64_t fallback) const {
  const onnx::AttributeProto* attribute = find_attribute(*node_, name);
  if (!attribute) return fallback;
  if (attribute->type() != onnx::AttributeProto_AttributeType_INT) fail("attribute '" + name + "' is not an int");
  return attribute->i();
}

float OnnxImporter::attr_float(const std::string& name, float fallback) const {
  const onnx::AttributeProto* attribute = find_attribute(*node_, name);
  if (!attribute) return fallback;
  if (attribute->type() != onnx::AttributeProto_AttributeType_FLOAT) fail("attribute '" + name + "' is not a float");
  return attribute->f();
}

std::string OnnxImporter::attr_string(const std::string& name, const std::string& fallback) const {
  const onnx::AttributeProto* attribute = find_attribute(*node_, name);
  if (!attribute) return fallback;
  if (attribute->type() != onnx::AttributeProto_AttributeType_STRING) fail("attribute '" + name + "' is not a string");
  return attribute->s();
}

std::vector<std::int64_t> OnnxImporter::attr_ints(const std::string& name,
                                                  const std::vector<std::int64_t>& fallback) const {
  const onnx::AttributeProto* attribute = find_attribute(*node_, name);
  if (!attribute) return fallback;
  if (attribute->type() != onnx::AttributeProto_AttributeType_INTS) fail("attribute '" + name + "' is not ints");
  return {attribute->ints().begin(), attribute->ints().end()};
}

std::vector<float> OnnxImporter::attr_floats(const std::string& name, const std::vector<float>& fallback) const {
  const onnx::AttributeProto* attribute = find_attribute(*node_, name);
  if (!attribute) return fallback;
  if (attribute->type() != onnx::AttributeProto_AttributeType_FLOATS) fail("attribute '" + name + "' is not floats");
  return {attribute->floats().begin(), attribute->floats().end()};
}

const onnx::TensorProto* OnnxImporter::attr_tensor(const std::string& name) const {
  const onnx::AttributeProto* attribute = find_attribute(*node_, name);
  if (!attribute) return nullptr;
  if (attribute->type() != onnx::AttributeProto_AttributeType_TENSOR) fail("attribute '" + name + "' is not a tensor");
  return &attribute->t();
}

void OnnxImporter::add_graph_inputs() {
  for (onnx::TensorProto& initializer : *model_.mutable_graph()->mutable_initializer()) {
    if (initializer.name().empty()) throw Error(origin_ + ": an initializer has no name");
    if (entries_.count(initializer.name())) throw Error(origin_of(initializer.name()) + ": defined twice");
    entries_[initializer.name()].constant = tensor_from_onnx(initializer, origin_of(initializer.name()));
    release_data(initializer);
  }
  const onnx::GraphProto& graph = model_.graph();
  if (graph.sparse_initializer_size() > 0) throw Error(origin_ + ": sparse initializers are not supported");
  std::vector<const onnx::ValueInfoProto*> inputs;
  for (const onnx::ValueInfoProto& input : graph.input()) {
    // Older exporters also list initializers as graph inputs (with defaults).
    if (!entries_.count(input.name())) inputs.push_back(&input);
  }
  if (!options_.input_shape.empty() && inputs.size() != 1) {
    throw Error(origin_ + ": an input shape was given, but the model has " + std::to_string(inputs.size()) + " inputs");
  }
  for (const onnx::ValueInfoProto* input : inputs) {
    const std::string what = origin_ + ": graph input '" + input->name() + "'";
    if (input->name().empty()) throw Error(origin_ + ": a graph input has no name");
    if (!input->type().has_tensor_type()) throw Error(what + " is not a tensor");
    const onnx::TypeProto_Tensor& type = input->type().tensor_type();
    const DType dtype = dtype_from_onnx(type.elem_type(), what);
    if (!type.has_shape()) throw Error(what + " has no shape");
    Shape shape;
    for (const onnx::TensorShapeProto_Dimension& dim : type.shape().dim()) {
      if (dim.has_dim_value() && dim.dim_value() <= 0) {
        throw Error(what + " has extent " + std::to_string(dim.dim_value()));
      }
      shape.push_back(dim.has_dim_value() ? dim.dim_value() : 1);
    }
    if (!options_.input_shape.empty()) {
      if (options_.input_shape.size() != shape.size()) {
        throw Error(what + " has " + std::to_string(shape.size()) + " axes, the given shape " +
                    shape_to_string(options_.input_shape) + " has " + std::to_string(options_.input_shape.size()));
      }
      for (std::int64_t extent : options_.input_shape) {
        if (extent <= 0) throw Error(what + ": the given shape " + shape_to_string(options_.input_shape) + " is not positive");
      }
      shape = options_.input_shape;
    }
    try {
      shape_numel(shape);
    } catch (const Error& error) {
      throw Error(what + ": " + error.what());
    }
    entries_[input->name()].value = graph_.add_input(claim(input->name()), dtype, shape);
  }
}

void OnnxImporter::mark_graph_outputs() {
  for (const onnx::ValueInfoProto& output : model_.graph().output()) {
    auto found = entries_.find(output.name());
    if (found == entries_.end()) throw Error(origin_ + ": graph output '" + output.name() + "' is never produced");
    Entry& stored = found->second;
    if (stored.value == kNoValue) stored.value = add_constant(output.name(), *stored.constant);
    const Value& value = graph_.value(stored.value);
    if (output.type().has_tensor_type() && output.type().tensor_type().has_shape() && options_.input_shape.empty()) {
      const onnx::TensorShapeProto& declared = output.type().tensor_type().shape();
      bool matches = declared.dim_size() == static_cast<int>(value.shape.size());
      for (int axis = 0; matches && axis < declared.dim_size(); ++axis) {
        const onnx::TensorShapeProto_Dimension& dim = declared.dim(axis);
        matches = !dim.has_dim_value() || dim.dim_value() == value.shape[static_cast<std::size_t>(axis)];
      }
      if (!matches) {
        throw Error(origin_ + ": graph output '" + output.name() + "' computes to shape " +
                    shape_to_string(value.shape) + ", the file declares another");
      }
    }
    graph_.mark_output(stored.value);
  }
}

void OnnxImporter::import_node() {
  const onnx::NodeProto& node = *node_;
  if (!node.domain().empty() && node.domain() != "ai.onnx") fail("op domain '" + node.domain() + "' is not supported");
  if (node.output_size() == 0) fail("has no outputs");
  importer_ = find_node_importer(node.op_type());
  if (!importer_) fail("op " + node.op_type() + " is not supported");
  if (importer_->fold && node.input_size() > 0 && has_input(0) && all_inputs_constant()) {
    importer_->fold(*this);
    return;
  }
  if (!importer_->import) fail("op " + node.op_type() + " is not supported");
  importer_->import(*this);
}

Graph OnnxImporter::run() {
  for (const onnx::ValueInfoProto& input : model_.graph().input()) invented_.reserve(input.name());
  for (const onnx::TensorProto& initializer : model_.graph().initializer()) invented_.reserve(initializer.name());
  for (const onnx::NodeProto& node : model_.graph().node()) {
    for (const std::string& output : node.output()) invented_.reserve(output);
  }
  add_graph_inputs();
  int index = 0;
  for (const onnx::NodeProto& node : model_.graph().node()) {
    node_ = &node;
    const std::string base = !node.name().empty() ? node.name()
                             : node.output_size() > 0 && !node.output(0).empty()
                                 ? node.output(0)
                                 : node.op_type() + "_" + std::to_string(index);
    node_name_ = unique_name(base);
    const std::string label = "node '" + (node.name().empty() ? node_name_ : node.name()) + "' (" + node.op_type() + ")";
    try {
      import_node();
    } catch (const Error& error) {
      const std::string message = one_line(error.what());
      throw Error(origin_ + ": " + (message.rfind("node '", 0) == 0 ? message : label + ": " + message));
    } catch (const std::exception& failure) {
      // An index or size the checks above missed must still end as one line, not a crash.
      throw Error(origin_ + ": " + label + ": malformed (" + one_line(failure.what()) + ")");
    }
    ++index;
  }
  node_ = nullptr;
  importer_ = nullptr;
  mark_graph_outputs();
  for (const onnx::StringStringEntryProto& entry : model_.metadata_props()) graph_.metadata[entry.key()] = entry.value();
  graph_.compact();
  graph_.validate();
  return std::move(graph_);
}

}  // namespace edgeport
