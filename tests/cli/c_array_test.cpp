// `export --c-array` and `info --c-array`: the C++ files compile with g++
// into a program that finds the array equal, byte for byte and in length, to
// the .tflite file, and 16-byte aligned.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "core/file_io.h"

namespace edgeport::testing {
namespace {

// The checking program, with `identifier` the array's name.
std::string checker_source(const std::string& header, const std::string& identifier) {
  return "#include <cstdint>\n#include <cstdio>\n#include <vector>\n#include \"" + header +
         "\"\n"
         "int main(int argc, char** argv) {\n"
         "  if (argc != 2) return 10;\n"
         "  std::FILE* file = std::fopen(argv[1], \"rb\");\n"
         "  if (!file) return 11;\n"
         "  std::vector<unsigned char> bytes;\n"
         "  for (int c; (c = std::fgetc(file)) != EOF;) bytes.push_back(static_cast<unsigned char>(c));\n"
         "  std::fclose(file);\n"
         "  if (" + identifier + "_len != bytes.size()) return 12;\n"
         "  for (std::size_t i = 0; i < bytes.size(); ++i) {\n"
         "    if (" + identifier + "[i] != bytes[i]) return 13;\n"
         "  }\n"
         "  if (reinterpret_cast<std::uintptr_t>(" + identifier + ") % 16 != 0) return 14;\n"
         "  std::printf(\"%u bytes equal\\n\", " + identifier + "_len);\n"
         "  return 0;\n"
         "}\n";
}

std::string run_shell(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return "popen failed";
  char buffer[4096];
  while (std::size_t read = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, read);
  const int status = pclose(pipe);
  return output + (status == 0 ? "" : "[exit status " + std::to_string(status) + "]");
}

std::string shell_quoted(const std::filesystem::path& path) {
  std::string quoted = "'";
  quoted += path.string();
  quoted += '\'';
  return quoted;
}

// Compiles `<stem>.cc` of `folder` with the checking program and runs it on
// `tflite`; "" when the array matches, else what went wrong.
std::string compile_and_check(const std::filesystem::path& folder, const std::string& stem,
                              const std::string& identifier, const std::filesystem::path& tflite) {
  const std::filesystem::path checker = folder / "check_array.cpp";
  write_file_atomically(checker, checker_source(stem + ".h", identifier));
  const std::filesystem::path program = folder / "check_array";
  const std::string compiled = run_shell("g++ -std=c++17 -Wall -Wextra -Werror -I " + shell_quoted(folder) + " " +
                                         shell_quoted(checker) + " " + shell_quoted(folder / (stem + ".cc")) + " -o " +
                                         shell_quoted(program));
  if (!compiled.empty()) return "g++: " + compiled;
  const std::string ran = run_shell(shell_quoted(program) + " " + shell_quoted(tflite));
  const std::string expected = std::to_string(std::filesystem::file_size(tflite)) + " bytes equal\n";
  return ran == expected ? "" : "check_array: " + ran;
}

TEST(CArray, ExportWritesTheDeployedFileAsACompilableArray) {
  ScratchDir out("c-array-export");
  const CommandResult result = run_edgeport("export --quiet --skip-onnx --calibration-count 2 --c-array --name tiny "
                                            "--output-dir '" + out.str() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("C array: tiny_model.h tiny_model.cc"), std::string::npos) << result.output;
  EXPECT_EQ(compile_and_check(out.path(), "tiny_model", "tiny_model", out.path() / "tiny.tflite"), "");

  const nlohmann::json summary = nlohmann::json::parse(std::ifstream(out.path() / "export_summary.json"));
  EXPECT_EQ(summary.at("c_array"), nlohmann::json::array({"tiny_model.h", "tiny_model.cc"}));
  for (const auto& artifact : summary.at("artifacts")) {
    ASSERT_TRUE(artifact.contains("arena")) << artifact.at("file");
    EXPECT_GT(artifact.at("arena").at("bytes").get<std::int64_t>(), 0);
  }
}

TEST(CArray, InfoConvertsAnExistingFile) {
  ScratchDir out("c-array-info");
  ASSERT_EQ(run_edgeport("export --quiet --skip-onnx --quantization none --calibration-count 1 --output-dir '" +
                         out.str() + "'").exit_code, 0);
  const std::filesystem::path tflite = out.path() / "student_model.tflite";
  const std::filesystem::path folder = out.path() / "firmware";
  const CommandResult result =
      run_edgeport("info '" + tflite.string() + "' --c-array '" + folder.string() + "' --c-name 2-class");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("wrote " + (folder / "2-class_model.cc").string()), std::string::npos) << result.output;
  // The identifier cannot start with a digit or hold '-'.
  EXPECT_EQ(compile_and_check(folder, "2-class_model", "model_2_class_model", tflite), "");
}

TEST(CArray, InfoRefusesAFileThatIsNotTflite) {
  ScratchDir out("c-array-refused");
  const std::filesystem::path folder = out.path() / "firmware";
  const CommandResult result =
      run_edgeport("info models/tiny_ladeda_sample.pt --c-array '" + folder.string() + "'");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("models/tiny_ladeda_sample.pt: not a TFLite file"), std::string::npos) << result.output;
  EXPECT_FALSE(std::filesystem::exists(folder));
}

}  // namespace
}  // namespace edgeport::testing
