#pragma once

#include <cstddef>
#include <string>

namespace edgeport {

class OnnxImporter;

// Checks on the inputs of the ONNX node being imported; each fails through
// the importer, which names the node.
void require_4d_input(OnnxImporter& importer);
void require_float_input(OnnxImporter& importer, std::size_t index);

// The value of optional input `index`, a known one-element tensor (`what`
// names it in errors), or `fallback` when the input is absent.
float scalar_operand(OnnxImporter& importer, std::size_t index, float fallback, const std::string& what);

}  // namespace edgeport
