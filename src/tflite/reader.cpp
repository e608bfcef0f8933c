#include "tflite/reader.h"

#include <cstring>

#include "core/error.h"
#include "core/file_io.h"
#include "tflite/import_context.h"
#include "tflite/import_registry.h"
#include "tflite/model_view.h"

namespace edgeport {

namespace {

// Gives a graph output the name of its TFLite tensor, moving any other value
// of that name (the same tensor held in another layout) aside.
void name_output(Graph& graph, int value, const std::string& name) {
  if (graph.value(value).name == name) return;
  for (std::size_t i = 0; i < graph.values.size(); ++i) {
    if (static_cast<int>(i) != value && graph.values[i].name == name) {
      graph.values[i].name = graph.unique_name(name + "_internal");
    }
  }
  graph.value(value).name = name;
}

}  // namespace

Graph parse_tflite(const std::vector<std::uint8_t>& bytes, const std::string& origin) {
  const TfliteModelView model(bytes, origin);
  Graph graph;
  ImportContext context(model, graph);
  for (int tensor : model.subgraph_inputs()) {
    if (model.is_constant(tensor)) model.fail(model.tensor_label(tensor) + " is a model input but holds data");
    const int value = graph.add_input(context.names.fresh(model.tensor_name(tensor)), model.dtype(tensor),
                                      model.shape(tensor));
    graph.value(value).quant = model.quantization(tensor);
    context.hold(tensor, value, tflite_layout::identity(model.shape(tensor).size()));
  }
  for (int index = 0; index < model.operator_count(); ++index) {
    try {
      import_operator(context, index);
    } catch (const Error& error) {
      const std::string message = error.what();
      if (message.rfind(origin + ":", 0) == 0) throw;
      // Shape rules of the IR name the node; add the file and the operator.
      model.fail(model.operator_label(index) + ": " + message);
    }
  }
  for (int tensor : model.subgraph_outputs()) {
    const int value = context.value_in(tensor, tflite_layout::identity(model.shape(tensor).size()));
    name_output(graph, value, model.tensor_name(tensor));
    graph.mark_output(value);
  }
  graph.metadata = model.text_metadata();
  if (model.model().description() && model.model().description()->size() > 0) {
    graph.metadata["description"] = model.model().description()->str();
  }
  try {
    graph.validate();
  } catch (const Error& error) {
    model.fail(error.what());
  }
  return graph;
}

Graph read_tflite(const std::filesystem::path& path) { return parse_tflite(read_file_bytes(path), path.string()); }

}  // namespace edgeport
