#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

#include "core/error.h"
#include "eqm/eqm_container.h"
#include "pipeline/model_file.h"

namespace edgeport {
namespace {

std::filesystem::path scratch_file(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("edgeport-model-file-" + std::to_string(::getpid()) + "-" + name);
}

// Formats with a signature are told by content, whatever the file is called.
TEST(ModelFile, DetectsFormatsByContent) {
  Graph graph;
  graph.mark_output(graph.add("Relu", "relu", {graph.add_input("input", DType::Float32, {1, 2})}));
  const std::filesystem::path container = scratch_file("container.data");
  write_container(graph, container);
  EXPECT_EQ(detect_format(container), ModelFormat::Container);
  std::filesystem::remove(container);
  EXPECT_EQ(detect_format(std::string(EDGEPORT_SOURCE_DIR) + "/models/tiny_ladeda_sample.pt"), ModelFormat::PyTorch);
}

TEST(ModelFile, UnknownFilesAreNamedInTheError) {
  const std::filesystem::path text = scratch_file("notes.txt");
  std::ofstream(text) << "not a model";
  try {
    detect_format(text);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(text.string()), std::string::npos);
  }
  std::filesystem::remove(text);
  EXPECT_THROW(detect_format(scratch_file("missing.pt")), Error);
}

}  // namespace
}  // namespace edgeport
