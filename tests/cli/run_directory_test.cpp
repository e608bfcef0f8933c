#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <fstream>
#include <regex>
#include <sstream>

#include "cli_runner.h"
#include "core/file_io.h"

namespace edgeport::testing {
namespace {

const std::string kRocketJpeg = "/usr/lib/python3/dist-packages/skimage/data/rocket.jpg";
const std::vector<std::string> kGoodPhotos = {"chelsea.png", "coffee_blurred.png", "rocket_resampled.png"};

void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream stream(path, std::ios::binary);
  stream.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::uint8_t> prefix(const std::filesystem::path& path, double fraction) {
  std::vector<std::uint8_t> bytes = read_file_bytes(path);
  bytes.resize(static_cast<std::size_t>(fraction * static_cast<double>(bytes.size())));
  return bytes;
}

// RFC 4180 rows: quoted fields may hold commas and doubled quotes.
std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& path) {
  std::ifstream stream(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(stream, line)) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char character = line[i];
      if (quoted && character == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (character == '"') {
        quoted = !quoted;
      } else if (character == ',' && !quoted) {
        fields.emplace_back();
      } else {
        fields.back() += character;
      }
    }
    rows.push_back(fields);
  }
  return rows;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// Three real photos and three files that are not: a JPEG cut short, a PNG
// cut short and saved as .jpg, an HTML error page saved as .jpeg. Every
// photo is still scored (to the figure a single run gives), every bad file
// gets one stderr line naming it and the format its bytes hold, the CSV
// marks them, and the exit is 1.
TEST(RunDirectory, ScoresWhatItCanAndMarksTheBadFiles) {
  ScratchDir images("run-dir-images");
  for (const std::string& photo : kGoodPhotos) {
    std::filesystem::copy_file(source_path("data/calibration/" + photo), images.path() / photo);
  }
  write_bytes(images.path() / "cut_short.jpg", prefix(kRocketJpeg, 0.4));
  write_bytes(images.path() / "really_a_png.jpg", prefix(source_path("data/calibration/astronaut.png"), 0.1));
  {
    std::ofstream page(images.path() / "error_page.jpeg");
    page << "<!DOCTYPE html>\n<html><body>403 Forbidden</body></html>\n";
  }
  ScratchDir out("run-dir-out");
  const std::filesystem::path csv = out.path() / "scores.csv";
  const SplitResult result =
      run_edgeport_split("run models/tiny_ladeda_sample.pt --input '" + images.str() + "' --csv '" + csv.string() + "'");
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;

  const std::vector<std::string> errors = lines_of(result.err);
  ASSERT_EQ(errors.size(), 4u) << result.err;
  const std::map<std::string, std::string> bad_files = {
      {"cut_short.jpg", "JPEG"}, {"really_a_png.jpg", "PNG"}, {"error_page.jpeg", "text"}};
  for (const auto& [file, format] : bad_files) {
    const auto line = std::find_if(errors.begin(), errors.end(), [&](const std::string& error) {
      return error.find(file) != std::string::npos;
    });
    ASSERT_NE(line, errors.end()) << file << "\n" << result.err;
    EXPECT_EQ(line->rfind("edgeport: error: ", 0), 0u) << *line;
    EXPECT_NE(line->find(format), std::string::npos) << *line;
  }
  EXPECT_EQ(errors.back(), "edgeport: error: " + images.str() + ": 3 of 6 images could not be read (each named "
                           "above); the other 3 were scored");
  EXPECT_EQ(std::count_if(errors.begin(), errors.end(),
                          [](const std::string& line) { return line.find("really_a_png.jpg") != std::string::npos &&
                                                               line.find("JPEG") != std::string::npos; }),
            0)
      << "a PNG named .jpg must not be called a JPEG: " << result.err;

  const auto rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"image", "fake_probability", "aggregated_logit", "patches_above_half",
                                               "error"}));
  int scored = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 5u) << rows[i][0];
    const std::string& name = rows[i][0];
    if (bad_files.count(name)) {
      EXPECT_TRUE(rows[i][1].empty()) << name;
      EXPECT_NE(rows[i][4].find(bad_files.at(name)), std::string::npos) << name << ": " << rows[i][4];
      continue;
    }
    ++scored;
    EXPECT_TRUE(rows[i][4].empty()) << name << ": " << rows[i][4];
    const CommandResult single = run_edgeport("run models/tiny_ladeda_sample.pt --input data/calibration/" + name);
    ASSERT_EQ(single.exit_code, 0) << single.output;
    std::smatch match;
    ASSERT_TRUE(std::regex_search(single.output, match, std::regex(R"(fake probability ([0-9.]+))")));
    EXPECT_NEAR(std::stod(rows[i][1]), std::stod(match[1]), 1e-6) << name;
  }
  EXPECT_EQ(scored, 3);
  EXPECT_NE(result.out.find("chelsea.png: fake probability"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("3 marked in its error column"), std::string::npos) << result.out;
}

// With every file readable nothing changes: exit 0, no stderr, an empty
// error column.
TEST(RunDirectory, AllReadableExitsZeroWithAnEmptyErrorColumn) {
  ScratchDir images("run-dir-good");
  for (const std::string& photo : kGoodPhotos) {
    std::filesystem::copy_file(source_path("data/calibration/" + photo), images.path() / photo);
  }
  const std::filesystem::path csv = images.path() / "scores.csv";
  const SplitResult result =
      run_edgeport_split("run models/tiny_ladeda_sample.pt --input '" + images.str() + "' --csv '" + csv.string() + "'");
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.err, "");
  const auto rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 4u);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 5u);
    EXPECT_TRUE(rows[i][4].empty());
  }
}

}  // namespace
}  // namespace edgeport::testing
