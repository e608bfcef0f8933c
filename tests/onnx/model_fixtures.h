#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/graph.h"

namespace edgeport::onnx_test {

struct ModelCase {
  std::string input_file;
  Tensor input;
  Tensor torch_output;
};

// A checkpoint of a fixture manifest with PyTorch's outputs.
struct ModelFixture {
  std::string checkpoint;
  std::string arch;
  std::vector<ModelCase> cases;
};

// tests/fixtures/models (Tiny-LaDeDa, committed).
std::vector<ModelFixture> tiny_ladeda_fixtures();
// tests/generated/models (resnet18, mobilenet_v2; tools/make_fixtures.py --large).
std::vector<ModelFixture> generated_fixtures();

// The float graph of a checkpoint as it is deployed: built, BatchNorm folded,
// activations fused.
Graph deployed_graph(const ModelFixture& fixture);

// A torch.onnx.export file with PyTorch's outputs (tests/generated/onnx).
struct TorchExport {
  std::filesystem::path model;
  std::vector<ModelCase> cases;
};
std::vector<TorchExport> torch_exports();

}  // namespace edgeport::onnx_test
