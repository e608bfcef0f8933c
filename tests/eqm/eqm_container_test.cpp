#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/file_io.h"
#include "eqm/eqm_container.h"

namespace edgeport {
namespace {

// Every kind of value, dtype, quantization and attribute the IR has.
Graph everything_graph() {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 2, 4, 4});
  Tensor codes = Tensor::from_vector<std::int8_t>({3, 2, 1, 1}, {-128, 127, 0, 5, -7, 99});
  codes.quant = QuantParams{{0.5f, 1e-8f, 3.25f}, {0, -3, 127}, 0};
  const int weight_codes = graph.add_constant("w_quantized", codes);
  const int weight = graph.add("Dequantize", "w_dequantized", {weight_codes});
  const int conv = graph.add("Conv", "conv", {x, weight, kNoValue});
  Attributes odd;
  odd.set("count", std::int64_t{-9007199254740993});
  odd.set("gain", -0.0);
  odd.set("tiny", 4.9e-324);
  odd.set("third", 1.0 / 3.0);
  odd.set("not_a_number", std::numeric_limits<double>::quiet_NaN());
  odd.set("huge", -std::numeric_limits<double>::infinity());
  odd.set("label", std::string("pr\u00e9-filtre \"quoted\"\n"));
  odd.set("empty_ints", std::vector<std::int64_t>{});
  odd.set("ints", std::vector<std::int64_t>{-1, 0, std::numeric_limits<std::int64_t>::max()});
  odd.set("floats", std::vector<double>{0.1, std::numeric_limits<double>::infinity(), -2.5e300});
  odd.set("empty_floats", std::vector<double>{});
  const int relu = graph.add("Relu", "relu", {conv}, odd);
  Attributes to_int8;
  to_int8.set("dtype", std::string("int8"));
  const int quantized = graph.add("Quantize", "quantize", {relu}, to_int8);
  graph.value(quantized).quant = QuantParams{{0.02f}, {-128}, -1};
  graph.mark_output(graph.add("Dequantize", "dequantize", {quantized}));
  graph.add_constant("half", Tensor(DType::Float16, {2}, {0x00, 0x3C, 0xFF, 0x7B}));
  graph.add_constant("ids", Tensor::from_vector<std::int64_t>({2}, {std::numeric_limits<std::int64_t>::min(), 42}));
  graph.add_constant("empty", Tensor(DType::Float32, {0, 3}));
  graph.add_constant("scalar", Tensor::from_vector<double>({}, {2.718281828459045}));
  graph.add_constant("flags", Tensor(DType::Bool, {3}, {1, 0, 1}));
  graph.mark_output(graph.find_value("scalar"));
  graph.metadata["architecture"] = "tiny_ladeda:preprocess=right_diag,pool=false";
  graph.metadata["empty"] = "";
  return graph;
}

bool same_double(double a, double b) {
  if (std::isnan(a)) return std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

bool same_attribute(const AttributeValue& a, const AttributeValue& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<double>(&a)) return same_double(*x, std::get<double>(b));
  if (const auto* xs = std::get_if<std::vector<double>>(&a)) {
    const auto& ys = std::get<std::vector<double>>(b);
    if (xs->size() != ys.size()) return false;
    for (std::size_t i = 0; i < xs->size(); ++i) {
      if (!same_double((*xs)[i], ys[i])) return false;
    }
    return true;
  }
  return a == b;
}

void expect_same_quant(const std::optional<QuantParams>& a, const std::optional<QuantParams>& b) {
  ASSERT_EQ(a.has_value(), b.has_value());
  if (!a) return;
  EXPECT_EQ(a->scale, b->scale);
  EXPECT_EQ(a->zero_point, b->zero_point);
  EXPECT_EQ(a->axis, b->axis);
}

void expect_same_graph(const Graph& a, const Graph& b) {
  ASSERT_EQ(a.values.size(), b.values.size());
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    SCOPED_TRACE(a.values[i].name);
    EXPECT_EQ(a.values[i].name, b.values[i].name);
    EXPECT_EQ(a.values[i].dtype, b.values[i].dtype);
    EXPECT_EQ(a.values[i].shape, b.values[i].shape);
    expect_same_quant(a.values[i].quant, b.values[i].quant);
    ASSERT_EQ(a.values[i].constant.has_value(), b.values[i].constant.has_value());
    if (!a.values[i].constant) continue;
    const Tensor& x = *a.values[i].constant;
    const Tensor& y = *b.values[i].constant;
    EXPECT_EQ(x.dtype(), y.dtype());
    EXPECT_EQ(x.shape(), y.shape());
    ASSERT_EQ(x.nbytes(), y.nbytes());
    if (x.nbytes() > 0) {
      EXPECT_EQ(0, std::memcmp(x.raw(), y.raw(), x.nbytes()));
    }
    expect_same_quant(x.quant, y.quant);
  }
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  for (std::size_t n = 0; n < a.nodes.size(); ++n) {
    SCOPED_TRACE(a.nodes[n].name);
    EXPECT_EQ(a.nodes[n].op, b.nodes[n].op);
    EXPECT_EQ(a.nodes[n].name, b.nodes[n].name);
    EXPECT_EQ(a.nodes[n].inputs, b.nodes[n].inputs);
    EXPECT_EQ(a.nodes[n].outputs, b.nodes[n].outputs);
    ASSERT_EQ(a.nodes[n].attrs.all().size(), b.nodes[n].attrs.all().size());
    for (const auto& [name, value] : a.nodes[n].attrs.all()) {
      ASSERT_TRUE(b.nodes[n].attrs.has(name)) << name;
      EXPECT_TRUE(same_attribute(value, b.nodes[n].attrs.all().at(name))) << name;
    }
  }
  EXPECT_EQ(a.inputs, b.inputs);
  EXPECT_EQ(a.outputs, b.outputs);
  EXPECT_EQ(a.metadata, b.metadata);
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

std::uint64_t read_u64(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= static_cast<std::uint64_t>(bytes[at + static_cast<std::size_t>(i)]) << (8 * i);
  return value;
}

// Re-frames a container after editing its header, keeping the data section
// (and so the checksum) as it was.
std::vector<std::uint8_t> with_header(const std::vector<std::uint8_t>& bytes,
                                      const std::function<void(nlohmann::json&)>& edit) {
  const std::uint64_t header_size = read_u64(bytes, 16);
  const std::uint64_t data_size = read_u64(bytes, 24);
  nlohmann::json header =
      nlohmann::json::parse(bytes.begin() + 32, bytes.begin() + 32 + static_cast<long>(header_size));
  edit(header);
  const std::string text = header.dump();
  const std::uint64_t data_start = (32 + text.size() + 63) / 64 * 64;
  std::vector<std::uint8_t> result(data_start + data_size, 0);
  std::copy(bytes.begin(), bytes.begin() + 16, result.begin());
  for (int i = 0; i < 8; ++i)
    result[16 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(text.size() >> (8 * i));
  for (int i = 0; i < 8; ++i)
    result[24 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(data_size >> (8 * i));
  std::memcpy(result.data() + 32, text.data(), text.size());
  std::copy(bytes.end() - static_cast<long>(data_size), bytes.end(), result.begin() + static_cast<long>(data_start));
  return result;
}

class EqmFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("edgeport_eqm_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  std::filesystem::path directory_;
};

TEST(EqmContainer, RoundTripsEveryKindOfValueAndAttribute) {
  const Graph graph = everything_graph();
  graph.validate();
  const std::vector<std::uint8_t> bytes = encode_container(graph);
  expect_same_graph(graph, decode_container(bytes, "memory.eqm"));
  // Encoding is deterministic, so a re-encoded graph is byte-identical.
  EXPECT_EQ(encode_container(decode_container(bytes, "memory.eqm")), bytes);
}

TEST(EqmContainer, LayoutIsThePreambleHeaderAndAlignedData) {
  const std::vector<std::uint8_t> bytes = encode_container(everything_graph());
  ASSERT_GE(bytes.size(), 32u);
  EXPECT_EQ(0, std::memcmp(bytes.data(),
                           "\x89"
                           "EQM\r\n\x1a\n",
                           8));
  EXPECT_EQ(bytes[8], 1);  // version, little-endian
  const std::uint64_t header_size = read_u64(bytes, 16);
  const std::uint64_t data_size = read_u64(bytes, 24);
  const std::uint64_t data_start = (32 + header_size + 63) / 64 * 64;
  EXPECT_EQ(bytes.size(), data_start + data_size);
  const nlohmann::json header =
      nlohmann::json::parse(bytes.begin() + 32, bytes.begin() + 32 + static_cast<long>(header_size));
  EXPECT_EQ(header.at("format"), "edgeport.eqm");
  int constants = 0;
  for (const nlohmann::json& value : header.at("values")) {
    if (!value.contains("constant")) continue;
    ++constants;
    EXPECT_EQ(value.at("constant").at("offset").get<std::uint64_t>() % 64, 0u);
  }
  EXPECT_EQ(constants, 6);
  // The int8 codes sit at their offset, verbatim.
  const nlohmann::json& codes = header.at("values")[1].at("constant");
  EXPECT_EQ(static_cast<std::int8_t>(bytes[data_start + codes.at("offset").get<std::uint64_t>()]), -128);
}

TEST(EqmContainer, RejectsDamagedFilesWithOneClearLine) {
  const std::vector<std::uint8_t> good = encode_container(everything_graph());
  const auto decode = [](const std::vector<std::uint8_t>& bytes) {
    return error_of([&bytes] { decode_container(bytes, "model.eqm"); });
  };
  struct Damage {
    std::string name;
    std::vector<std::uint8_t> bytes;
    std::string expected;
  };
  std::vector<Damage> damages;
  damages.push_back({"empty", {}, "truncated"});
  std::vector<std::uint8_t> bytes = good;
  bytes[1] = 'X';
  damages.push_back({"magic", bytes, "bad magic"});
  bytes = good;
  bytes[8] = 2;
  damages.push_back({"version", bytes, "version 2 is not supported"});
  damages.push_back({"cut in header", std::vector<std::uint8_t>(good.begin(), good.begin() + 100), "truncated"});
  damages.push_back({"cut in data", std::vector<std::uint8_t>(good.begin(), good.end() - 1), "truncated"});
  bytes = good;
  bytes.push_back(0);
  damages.push_back({"trailing byte", bytes, "unexpected bytes"});
  bytes = good;
  bytes[bytes.size() - 3] ^= 0x40;
  damages.push_back({"flipped data bit", bytes, "SHA-256 mismatch"});
  bytes = good;
  bytes[32] = '[';
  damages.push_back({"header not an object", bytes, "header"});
  bytes = good;
  bytes[40] = 0xFF;
  damages.push_back({"header not JSON", bytes, "malformed .eqm header JSON"});
  damages.push_back({"offset past the data",
                     with_header(good, [](nlohmann::json& h) { h["values"][1]["constant"]["offset"] = 1u << 20; }),
                     "outside the"});
  damages.push_back({"misaligned offset",
                     with_header(good, [](nlohmann::json& h) { h["values"][1]["constant"]["offset"] = 3; }),
                     "not 64-byte aligned"});
  damages.push_back({"size mismatch",
                     with_header(good,
                                 [](nlohmann::json& h) {
                                   h["values"][1]["constant"]["shape"] = {3, 3, 1, 1};
                                 }),
                     "bytes do not hold int8 [3,3,1,1]"});
  damages.push_back({"node input out of range",
                     with_header(good, [](nlohmann::json& h) { h["nodes"][1]["inputs"][0] = 999; }),
                     "nodes[1].inputs[0]: 999 is outside"});
  damages.push_back({"unknown dtype",
                     with_header(good, [](nlohmann::json& h) { h["values"][0]["dtype"] = "float128"; }),
                     "unknown dtype \"float128\""});
  damages.push_back(
      {"unknown op", with_header(good, [](nlohmann::json& h) { h["nodes"][2]["op"] = "Frobnicate"; }), "unknown op"});
  damages.push_back({"stored shape disagrees",
                     with_header(good,
                                 [](nlohmann::json& h) {
                                   h["values"][3]["shape"] = {1, 3, 4, 5};
                                 }),
                     "is stored as float32 [1,3,4,5] but the op gives float32 [1,3,4,4]"});
  damages.push_back({"scale count",
                     with_header(good, [](nlohmann::json& h) { h["values"][1]["quant"]["scale"] = {1.0}; }),
                     "1 scales and 3 zero points, expected 3"});
  damages.push_back(
      {"missing field", with_header(good, [](nlohmann::json& h) { h["nodes"][0].erase("op"); }), "missing \"op\""});
  damages.push_back({"bad attribute kind",
                     with_header(good,
                                 [](nlohmann::json& h) {
                                   h["nodes"][2]["attributes"]["gain"] = {{"complex", 1}};
                                 }),
                     "unknown attribute kind"});
  for (const Damage& damage : damages) {
    const std::string message = decode(damage.bytes);
    EXPECT_EQ(message.rfind("model.eqm: ", 0), 0u) << damage.name << ": " << message;
    EXPECT_NE(message.find(damage.expected), std::string::npos) << damage.name << ": " << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << damage.name << ": " << message;
  }
}

// Any damage is an edgeport::Error (never another exception or a crash).
TEST(EqmContainer, EveryTruncationAndEveryHeaderByteFlipIsAnError) {
  const std::vector<std::uint8_t> good = encode_container(everything_graph());
  const auto outcome = [](const std::vector<std::uint8_t>& bytes) {
    try {
      decode_container(bytes, "model.eqm");
      return std::string("decoded");
    } catch (const Error& error) {
      return std::string("error");
    } catch (const std::exception& error) {
      return std::string("foreign exception: ") + error.what();
    }
  };
  for (std::size_t size = 0; size < good.size(); ++size) {
    ASSERT_EQ(outcome(std::vector<std::uint8_t>(good.begin(), good.begin() + static_cast<long>(size))), "error")
        << "cut at " << size;
  }
  const std::size_t header_end = 32 + read_u64(good, 16);
  int decoded = 0;
  for (std::size_t at = 0; at < header_end; ++at) {
    for (std::uint8_t flip : {0x01, 0x20, 0x80}) {
      std::vector<std::uint8_t> bytes = good;
      bytes[at] ^= flip;
      const std::string result = outcome(bytes);
      ASSERT_NE(result.rfind("foreign", 0), 0u) << "byte " << at << " ^ " << int(flip) << ": " << result;
      decoded += result == "decoded";
    }
  }
  // A flip may still leave a valid file (e.g. a changed letter of a name), but rarely.
  EXPECT_LT(decoded, static_cast<int>(header_end));
}

TEST_F(EqmFiles, WritesAtomicallyAndReadsBack) {
  const std::filesystem::path path = directory_ / "model.eqm";
  write_container(everything_graph(), path);
  expect_same_graph(everything_graph(), read_container(path));
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(directory_)) ++entries;
  EXPECT_EQ(entries, 1);  // no temporary left behind
}

TEST_F(EqmFiles, FailedWriteLeavesNothingBehind) {
  const std::filesystem::path path = directory_ / "missing" / "model.eqm";
  EXPECT_NE(error_of([&path] { write_container(everything_graph(), path); }).find("model.eqm"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(EqmFiles, ReadingAMissingFileNamesIt) {
  const std::filesystem::path path = directory_ / "absent.eqm";
  EXPECT_NE(error_of([&path] { read_container(path); }).find("absent.eqm"), std::string::npos);
}

}  // namespace
}  // namespace edgeport
