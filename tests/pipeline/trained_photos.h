#pragma once

// Real photos prepared for a model, and a model-output SQNR written out in
// the test itself, for the tests that judge quantization on trained models.

#include <cmath>
#include <filesystem>
#include <vector>

#include "pipeline/inputs.h"
#include "runtime/session.h"

namespace edgeport::testing {

inline const std::filesystem::path kSkimagePhotos = "/usr/lib/python3/dist-packages/skimage/data";

inline std::vector<LabelledInputs> skimage_photos(const Graph& graph) {
  std::vector<LabelledInputs> inputs;
  for (const char* name : {"astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg"}) {
    inputs.push_back({name, {load_input(kSkimagePhotos / name, graph)}});
  }
  return inputs;
}

// SQNR of the candidate's first output against the reference's, in double
// over every input, so that the code under test is not what judges it.
inline double output_sqnr_db(const Graph& reference, const Graph& candidate,
                             const std::vector<LabelledInputs>& inputs) {
  double signal = 0.0;
  double noise = 0.0;
  for (const LabelledInputs& input : inputs) {
    const Tensor expected = run_graph(reference, input.tensors[0]);
    const Tensor actual = run_graph(candidate, input.tensors[0]);
    const auto want = expected.values<float>();
    const auto got = actual.values<float>();
    for (std::size_t i = 0; i < want.size(); ++i) {
      const double difference = static_cast<double>(got[i]) - want[i];
      signal += static_cast<double>(want[i]) * want[i];
      noise += difference * difference;
    }
  }
  return 10.0 * std::log10(signal / noise);
}

}  // namespace edgeport::testing
