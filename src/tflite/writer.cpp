#include "tflite/writer.h"

#include "core/error.h"
#include "core/file_io.h"
#include "core/ops/conv.h"
#include "core/ops/linear.h"
#include "core/ops/quantization.h"
#include "passes/passes.h"
#include "tflite/integer_interface.h"
#include "tflite/lowering.h"
#include "tflite/model_builder.h"
#include "tflite/reader.h"

namespace edgeport {
namespace {

// True when some Conv / Linear weight is int8: read directly, or through a
// Dequantize of an int8 constant.
bool has_int8_weights(const Graph& graph) {
  for (const Node& node : graph.nodes) {
    if ((node.op != op::Conv && node.op != op::Linear) || node.inputs.size() < 2) continue;
    int weight = node.inputs[1];
    const int producer = graph.producer(weight);
    if (producer >= 0 && graph.nodes[static_cast<std::size_t>(producer)].op == op::Dequantize) {
      weight = graph.nodes[static_cast<std::size_t>(producer)].inputs.at(0);
    }
    if (graph.value(weight).dtype == DType::Int8) return true;
  }
  return false;
}

void check_options(const Graph& graph, const TfliteExportOptions& options) {
  for (const Node& node : graph.nodes) {
    if (node.attrs.get_string("layout", "NCHW") != "NCHW") {
      throw Error("TFLite writer: node '" + node.name + "' (" + node.op + ") has layout " +
                  node.attrs.get_string("layout") + ", the runtime's own form; the writer takes NCHW graphs");
    }
  }
  if (options.quantization != "none" && options.quantization != "dynamic" && options.quantization != "float16" &&
      options.quantization != "int8") {
    throw Error("TFLite writer: quantization '" + options.quantization + "' is not one of none, dynamic, float16, int8");
  }
  if (options.layout != "nchw" && options.layout != "nhwc") {
    throw Error("TFLite writer: layout '" + options.layout + "' is not one of nchw, nhwc");
  }
  const bool quantized = has_int8_weights(graph);
  if (options.quantization == "dynamic" && !quantized) {
    throw Error("TFLite writer: quantization 'dynamic' needs the quantizer's int8 weights, and the graph has none");
  }
  if (options.quantization == "int8" && !quantized) {
    throw Error("TFLite writer: quantization 'int8' needs the static quantizer's QDQ graph, and the graph has no int8 "
                "weights");
  }
  if (options.quantization != "dynamic" && options.quantization != "int8" && quantized) {
    throw Error("TFLite writer: the graph carries int8 weights; write it with quantization 'dynamic', not '" +
                options.quantization + "'");
  }
}

// The full-int8 graph the writer lowers: the QDQ patterns as integer ops,
// the interface as asked. Every Conv with int8 weights must have become an
// IntegerConv; one with float32 weights is a layer the quantizer left float.
Graph full_integer_graph(const Graph& graph, const std::string& io_type) {
  Graph lowered = graph;
  lower_qdq_to_integer(lowered);
  for (const Node& node : lowered.nodes) {
    const bool float_layer = node.inputs.size() > 1 && lowered.is_constant(node.inputs[1]) &&
                             lowered.value(node.inputs[1]).dtype == DType::Float32;
    if ((node.op == op::Conv || node.op == op::Linear) && !float_layer) {
      throw Error("TFLite writer: quantization 'int8': node '" + node.name + "' (" + node.op +
                  ") is not in the int8 QDQ form (int8 activation, weight and int32 bias through Dequantize, "
                  "output read by one Quantize)");
    }
  }
  set_integer_interface(lowered, io_type);
  return lowered;
}

std::string form_name(const TfliteExportOptions& options, const TfliteLoweringCounts& counts) {
  if (options.quantization == "none") return "float32";
  if (options.quantization == "int8") return "full int8 (" + options.io_type + " interface)";
  if (options.quantization == "float16") return "float16";
  const std::string hybrid = "dynamic-range int8 (hybrid ops)";
  const std::string weight_only = "weight-only int8 (DEQUANTIZE)";
  if (counts.dequantized_weights == 0) return hybrid;
  if (counts.hybrid_ops == 0) return weight_only;
  return hybrid + " + " + weight_only;
}

}  // namespace

std::vector<std::uint8_t> encode_tflite(const Graph& graph, const TfliteExportOptions& options,
                                        TfliteExportSummary* summary) {
  graph.validate();
  check_options(graph, options);
  TfliteModelBuilder builder;
  TfliteLoweringOptions lowering;
  lowering.quantization = options.quantization;
  lowering.nhwc_interface = options.layout == "nhwc";
  const TfliteLoweringCounts counts =
      options.quantization == "int8" ? lower_to_tflite(full_integer_graph(graph, options.io_type), lowering, builder)
                                     : lower_to_tflite(graph, lowering, builder);
  const std::string form = form_name(options, counts);

  const std::string producer = std::string("edgeport ") + EDGEPORT_VERSION;
  builder.add_metadata("producer", producer);
  std::map<std::string, std::string> metadata = graph.metadata;
  // The quantizer's graph already says how it quantized ("quantization");
  // this records what the writer made of it.
  metadata["tflite_quantization"] = options.quantization;
  metadata["tflite_form"] = form;
  metadata["layout"] = options.layout;
  for (const auto& [name, text] : options.metadata) metadata[name] = text;
  for (const auto& [name, text] : metadata) builder.add_metadata(name, text);
  if (!options.description.empty()) {
    builder.set_description(options.description);
  } else {
    auto architecture = graph.metadata.find("architecture");
    builder.set_description(producer + ": " + (architecture != graph.metadata.end() ? architecture->second : "model") +
                            ", " + form);
  }

  std::vector<std::uint8_t> bytes = builder.finish();
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  if (!tflite::VerifyModelBuffer(verifier)) throw Error("TFLite writer: the FlatBuffer it built fails verification");
  if (summary) {
    *summary = {};
    summary->form = form;
    for (const auto& [code, version] : builder.operator_kinds()) {
      ++summary->operators;
      if (code == tflite::BuiltinOperator::TRANSPOSE) ++summary->transposes;
    }
    summary->hybrid_ops = counts.hybrid_ops;
    summary->dequantized_weights = counts.dequantized_weights;
    summary->float16_weights = counts.float16_weights;
    summary->bytes = bytes.size();
  }
  return bytes;
}

TfliteExportSummary write_tflite(const Graph& graph, const std::filesystem::path& path,
                                 const TfliteExportOptions& options) {
  TfliteExportSummary summary;
  // The check reads the temporary file but names the destination in errors.
  write_file_atomically(path, encode_tflite(graph, options, &summary), [&path](const std::filesystem::path& written) {
    parse_tflite(read_file_bytes(written), path.string());
  });
  return summary;
}

}  // namespace edgeport
