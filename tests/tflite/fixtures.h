#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/graph.h"
#include "core/tensor.h"

namespace edgeport::tflite_test {

struct FixtureCase {
  std::string input_name;  // e.g. "randn_256"
  Tensor input;
  Tensor expected;  // PyTorch's output
};

struct FixtureModel {
  std::string name;  // checkpoint stem
  std::string arch;
  std::vector<FixtureCase> cases;
  // Float graph as deployed: BatchNorm folded, activations fused.
  Graph graph;
};

// One Tiny-LaDeDa checkpoint of tests/fixtures/models per architecture (each
// preprocess variant, pool on and off); the storage variants of the same
// architecture are left to the checkpoint reader's tests. Throws when the
// manifest or a file is missing, so the test fails rather than skips.
std::vector<FixtureModel> tiny_ladeda_fixtures();
// One Tiny-LaDeDa checkpoint by stem, e.g. "tiny_ladeda_right_diag".
FixtureModel tiny_ladeda_fixture(const std::string& name);
// resnet18 and mobilenet_v2 from tests/generated/models (written by
// `/usr/bin/python3 tools/make_fixtures.py --large`); throws naming that
// command when they are missing.
std::vector<FixtureModel> large_fixtures();

}  // namespace edgeport::tflite_test
