// ONNX Identity and Dropout (inference: identity) add no IR node: their
// output is another name for their input.
#include "onnx/onnx_importer.h"

namespace edgeport {
namespace {

void import_identity(OnnxImporter& importer) {
  importer.require_single_output();
  importer.alias_output(0, 0);
}

const NodeImporterRegistration reader({.onnx_ops = {"Identity", "Dropout"}, .ir_ops = {}, .import = import_identity});

}  // namespace
}  // namespace edgeport
