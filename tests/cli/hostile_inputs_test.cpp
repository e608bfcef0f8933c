#include <sys/stat.h>

#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>

#include "../pytorch/checkpoint_builder.h"
#include "core/file_io.h"
#include "cli_runner.h"
#include "hostile_files.h"
#include "hostile_runner.h"

// Hostile and corrupt inputs through every command that reads them: each is
// refused in one short line, without a signal, within 2 s and 256 MiB, and
// leaves the output folder as it was (hostile_runner.h).
namespace edgeport::testing {
namespace {

constexpr const char* kSample = "models/tiny_ladeda_sample.pt";

class HostileInput : public ::testing::Test {
 protected:
  std::string file(const std::string& name, const FileBytes& bytes) {
    const std::filesystem::path path = scratch_.path() / name;
    write_bytes(path, bytes);
    return path.string();
  }
  std::filesystem::path out() const { return scratch_.path() / "out"; }

  ScratchDir scratch_{"hostile"};
};

// Element counts whose byte size wraps 64 bits (2^62+1 floats are 4 bytes
// "in total"), or whose product wraps, once allocated a few bytes and were
// written past.
TEST_F(HostileInput, OnnxExtentsThatOverflowAreRefusedByEveryCommand) {
  const std::vector<std::vector<std::int64_t>> overflowing{
      {(std::int64_t{1} << 62) + 1}, {std::int64_t{1} << 62, 4}, {16, (std::int64_t{1} << 60) + 1},
      {(std::int64_t{1} << 62) + 16}, {std::int64_t{1} << 31, std::int64_t{1} << 31, 3}};
  for (std::size_t i = 0; i < overflowing.size(); ++i) {
    const std::string model = file("big" + std::to_string(i) + ".onnx", onnx_relu_model(overflowing[i]));
    expect_refusal({"run", model});
    // info describes the file, declared shapes and all, without allocating them.
    const HostileOutcome described = run_edgeport_args({"info", model});
    EXPECT_EQ(described.exit_code, 0) << described.output;
    expect_refusal({"export", "--model", model, "--output-dir", out().string(), "--quiet"}, {out()});
    expect_refusal({"quantize", model, "--dry-run"});
    expect_refusal({"verify", model, model});
    expect_refusal({"bench", model, "--runs", "1", "--warmup", "0"});
  }
}

TEST_F(HostileInput, OnnxEmptyOutputsAreRefused) {
  expect_refusal({"run", file("empty_constant.onnx", onnx_empty_constant_output())});
  expect_refusal({"run", file("empty_computed.onnx", onnx_relu_model({0, 3}))});
}

TEST_F(HostileInput, InputShapeFlagsThatOverflowAreRefused) {
  for (const char* shape : {"1,3,2147483648,2147483648", "1,3,99999999999999999999,2", "1,3,-2,2", "1,3,2,nan"}) {
    expect_refusal({"run", kSample, "--input-shape", shape});
    expect_refusal({"export", "--input-shape", shape, "--output-dir", out().string()}, {out()});
    expect_refusal({"verify", kSample, kSample, "--input-shape", shape});
    expect_refusal({"quantize", kSample, "--dry-run", "--input-shape", shape});
  }
}

TEST_F(HostileInput, EqmGraphsWithoutOutputsOrWithWrappingSizesAreRefused) {
  const std::filesystem::path scratch = scratch_.path();
  expect_refusal({"run", file("no_outputs.eqm", edited_sample_eqm(scratch, [](nlohmann::json& header) {
                                header["outputs"] = nlohmann::json::array();
                              }))});
  auto first_constant = [](nlohmann::json& header) -> nlohmann::json& {
    for (nlohmann::json& value : header["values"]) {
      if (value.contains("constant")) return value["constant"];
    }
    throw std::runtime_error("the sample .eqm has no constant");
  };
  expect_refusal({"run", file("wrapping.eqm", edited_sample_eqm(scratch, [&](nlohmann::json& header) {
                                nlohmann::json& constant = first_constant(header);
                                constant["shape"] = {std::int64_t{1} << 62, 4};
                                constant["nbytes"] = 0;
                              }))});
  expect_refusal({"run", file("zero_bytes.eqm", edited_sample_eqm(scratch, [&](nlohmann::json& header) {
                                first_constant(header)["nbytes"] = 0;
                              }))});
  expect_refusal({"run", file("huge_activation.eqm", edited_sample_eqm(scratch, [](nlohmann::json& header) {
                                header["values"][0]["shape"] = {1, 3, std::int64_t{1} << 40, std::int64_t{1} << 40};
                              }))});
}

TEST_F(HostileInput, NpyHeadersOfAnyLengthAreParsedWithoutRecursion) {
  for (std::size_t length : {std::size_t{100000}, std::size_t{70000}, std::size_t{4000000}}) {
    expect_refusal({"run", kSample, "--input", file("long.npy", npy_with_long_header(length))});
  }
  FileBytes unterminated = npy_with_long_header(64);
  unterminated[20] = '(';
  expect_refusal({"run", kSample, "--input", file("broken.npy", unterminated)});
}

// A deflated data.pkl of a few KB that unpickles into millions of objects
// (EMPTY_LIST and MEMOIZE, 2 bytes each) once drove the reader to gigabytes.
TEST_F(HostileInput, PickleObjectFloodsAreBoundedByTheArchiveSize) {
  Bytes flood = Bytes{0x80, 2};
  for (int i = 0; i < 8'000'000; ++i) flood.insert(flood.end(), {']', 0x94});
  flood.push_back('.');
  const std::string checkpoint = file("flood.pt", make_zip({{"archive/data.pkl", flood}}, true));
  ASSERT_LT(std::filesystem::file_size(checkpoint), 1u << 20);
  expect_refusal({"info", checkpoint});
  expect_refusal({"run", checkpoint});
}

// One long key set again and again: each insertion hashes it. Stored, not
// deflated, so that the archive-size bound on the pickle lets it through.
TEST_F(HostileInput, RepeatedLongDictKeysAreBounded) {
  Bytes pickle = Bytes{0x80, 2} + raw("}") + unicode(std::string(200000, 'k')) + Bytes{0x94, 'N', 's'};
  for (int i = 0; i < 200000; ++i) pickle.insert(pickle.end(), {'h', 0, 'N', 's'});
  pickle.push_back('.');
  expect_refusal({"info", file("keys.pt", make_zip({{"archive/data.pkl", pickle}}))});
}

// A tensor of one element over a storage that inflates to 128 MiB of zeros.
TEST_F(HostileInput, StorageBombsAreRefusedBeforeInflating) {
  const std::int64_t numel = std::int64_t{1} << 25;
  std::string checkpoint;
  {
    // Freed before edgeport runs: a forked child's peak memory counts its parent's.
    const Bytes pickle = dict_pickle({{"conv.weight", float_tensor("0", numel, 0, {1}, {1})}});
    const Bytes zeros(static_cast<std::size_t>(numel) * 4, 0);
    checkpoint = file("bomb.pt", make_zip({{"archive/data.pkl", pickle}, {"archive/data/0", zeros}}, true));
  }
  ASSERT_LT(std::filesystem::file_size(checkpoint), 2u << 20);
  expect_refusal({"info", checkpoint});
  expect_refusal({"export", "--model", checkpoint, "--output-dir", out().string()}, {out()});
}

TEST_F(HostileInput, ImageBombsAreRefusedFromTheirHeader) {
  const std::string bomb = file("bomb.png", png_declaring(12000, 12000));
  expect_refusal({"run", kSample, "--input", bomb});
  expect_refusal({"verify", kSample, kSample, "--input", bomb});
  expect_refusal({"export", "--sample", bomb, "--output-dir", out().string()}, {out()});
  // The limit is a flag: raised, the same header gets past it (and fails on its missing data, still in one line).
  const HostileOutcome raised = expect_refusal({"run", kSample, "--input", bomb, "--max-image-pixels", "1000"});
  EXPECT_NE(raised.output.find("--max-image-pixels"), std::string::npos) << raised.output;
}

// A folder of bombs beside one photo: the photo is scored, each bomb gets its
// own short line and a CSV row, and the run ends with exit 1 within the same
// time and memory bounds as a single file.
TEST_F(HostileInput, AFolderOfImageBombsIsBoundedFileByFile) {
  const std::filesystem::path folder = scratch_.path() / "photos";
  std::filesystem::create_directories(folder);
  for (const char* name : {"a.png", "b.jpg", "c.png"}) write_bytes(folder / name, png_declaring(12000, 12000));
  std::filesystem::copy_file("data/calibration/chelsea.png", folder / "chelsea.png");
  const std::filesystem::path csv = scratch_.path() / "scores.csv";
  const HostileOutcome outcome =
      run_edgeport_driven({"run", kSample, "--input", folder.string(), "--csv", csv.string()},
                          HostileDrive{.stdout_path = scratch_.path() / "stdout.txt"});
  EXPECT_EQ(outcome.exit_code, 1) << outcome.error;
  EXPECT_EQ(outcome.signal, 0);
  EXPECT_LT(outcome.seconds, RefusalBounds{}.max_seconds);
  EXPECT_LT(outcome.peak_rss_mib, RefusalBounds{}.max_rss_mib);
  std::istringstream lines(outcome.error);
  int bomb_lines = 0;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LT(line.size(), 300u) << line;
    EXPECT_EQ(line.rfind("edgeport: error: ", 0), 0u) << line;
    if (line.find("12000x12000") != std::string::npos) ++bomb_lines;
  }
  EXPECT_EQ(bomb_lines, 3) << outcome.error;
  const std::vector<std::uint8_t> bytes = read_file_bytes(csv);
  const std::string rows(bytes.begin(), bytes.end());
  EXPECT_NE(rows.find("\nchelsea.png,0."), std::string::npos) << rows;
  EXPECT_EQ(std::count(rows.begin(), rows.end(), '\n'), 5) << rows;
}

TEST_F(HostileInput, SpecialFilesAreRefusedBeforeReading) {
  expect_refusal({"run", kSample, "--input", "/dev/zero"});
  expect_refusal({"run", "/dev/zero"});
  expect_refusal({"info", "/dev/urandom"});
  const std::filesystem::path fifo = scratch_.path() / "model.onnx";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  expect_refusal({"info", fifo.string()});
  expect_refusal({"run", kSample, "--input", fifo.string()});
  expect_refusal({"info", scratch_.str()});
}

}  // namespace
}  // namespace edgeport::testing
