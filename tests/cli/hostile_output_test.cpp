#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <csignal>
#include <fstream>

#include "../immutable_flag.h"
#include "cli_runner.h"
#include "hostile_runner.h"

// Output safety: what edgeport writes is all there or not there at all,
// whatever happens to the run, and output it cannot write safely is refused
// in one line.
namespace edgeport::testing {
namespace {

namespace fs = std::filesystem;

const std::string kModel = "models/tiny_ladeda_sample.pt";
const std::string kImage = "data/calibration/astronaut.png";
const std::string kStagingPrefix = ".edgeport-staging-";

// The export every case runs: the bundled sample, one calibration photo.
std::vector<std::string> export_arguments(const fs::path& output_dir, std::vector<std::string> extra = {}) {
  std::vector<std::string> arguments = {"export", "--quiet", "--model", kModel, "--calibration-count", "1",
                                        "--output-dir", output_dir.string()};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  return arguments;
}

// An export reads, quantizes, writes and verifies for seconds before it
// refuses at the commit.
RefusalBounds export_bounds() {
  RefusalBounds bounds;
  bounds.max_seconds = 60;
  return bounds;
}

std::vector<fs::path> staging_folders(const fs::path& output_dir) {
  std::vector<fs::path> folders;
  std::error_code status;
  for (fs::directory_iterator entry(output_dir, status), end; !status && entry != end; entry.increment(status)) {
    if (entry->path().filename().string().starts_with(kStagingPrefix)) folders.push_back(entry->path());
  }
  return folders;
}

// True once a staging folder holds a file: the run has written output.
bool has_staged_files(const fs::path& output_dir) {
  for (const fs::path& folder : staging_folders(output_dir)) {
    std::error_code status;
    for (fs::recursive_directory_iterator entry(folder, status), end; !status && entry != end;
         entry.increment(status)) {
      if (entry->is_regular_file(status)) return true;
    }
  }
  return false;
}

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

TEST(HostileOutput, UnsafeNamesAreRefusedInOneLine) {
  ScratchDir scratch("hostile-output");
  const fs::path output_dir = scratch.path() / "out";
  for (const std::string& name : {std::string(".."), std::string("."), std::string(), std::string("../escape"),
                                  std::string("sub/model"), std::string("sub\\model"), std::string("two\nlines"),
                                  std::string("bell\x07"), std::string(".hidden"), std::string(400, 'n')}) {
    const HostileOutcome outcome =
        expect_refusal(export_arguments(output_dir, {"--name", name}), {scratch.path()});
    EXPECT_NE(outcome.output.find("--name "), std::string::npos) << outcome.output;
  }
}

// /dev/full, a FIFO or another special file as an output file: refused
// before anything is written, as renaming over it would replace it.
TEST(HostileOutput, SpecialFilesAreRefusedAsOutputFiles) {
  ScratchDir scratch("hostile-output");
  std::vector<fs::path> targets = {scratch.path() / "pipe"};
  ASSERT_EQ(::mkfifo(targets.back().c_str(), 0600), 0);
  // /dev/full itself, made beside the test: only root may make device nodes.
  if (::mknod((scratch.path() / "full").c_str(), S_IFCHR | 0600, ::makedev(1, 7)) == 0) {
    targets.push_back(scratch.path() / "full");
  }
  for (const fs::path& target : targets) {
    const std::string file = target.string();
    for (const std::vector<std::string>& arguments : std::vector<std::vector<std::string>>{
             {"run", kModel, "-i", kImage, "-o", file},
             {"run", kModel, "-i", kImage, "--heatmap", file},
             {"run", kModel, "-i", "data/calibration", "--csv", file},
             {"quantize", kModel, "-o", file},
             {"quantize", kModel, "--dry-run", "--report", file},
             {"quantize", kModel, "--dry-run", "--report-json", file}}) {
      const HostileOutcome outcome = expect_refusal(arguments, {scratch.path()});
      EXPECT_NE(outcome.output.find(file + ": is a "), std::string::npos) << outcome.output;
    }
  }
}

TEST(HostileOutput, StandardOutputThatCannotBeWrittenIsAnError) {
  HostileDrive drive;
  drive.stdout_path = "/dev/full";
  const HostileOutcome outcome = expect_refusal_driven({"info", kModel}, drive);
  EXPECT_NE(outcome.output.find("standard output: write failed (No space left on device)"), std::string::npos)
      << outcome.output;
}

// A write that fails part-way (past a file-size limit, as on a full disk)
// leaves the old file and no temporary file.
TEST(HostileOutput, AFailedWriteKeepsTheOldFileAndLeavesNoTemporary) {
  ScratchDir scratch("hostile-output");
  write_text(scratch.path() / "output.npy", "an earlier output");
  write_text(scratch.path() / "model.eqm", "an earlier container");
  HostileDrive drive;
  drive.file_size_limit_bytes = 1024;
  drive.stdout_path = "/dev/null";  // what the commands print would pass the limit too
  for (const std::vector<std::string>& arguments : std::vector<std::vector<std::string>>{
           {"run", kModel, "-i", kImage, "-o", (scratch.path() / "output.npy").string()},
           {"quantize", kModel, "-o", (scratch.path() / "model.eqm").string()}}) {
    const HostileOutcome outcome = expect_refusal_driven(arguments, drive, {scratch.path()});
    EXPECT_NE(outcome.output.find("write failed (File too large)"), std::string::npos) << outcome.output;
  }

  const fs::path output_dir = scratch.path() / "deployment";
  ASSERT_EQ(run_edgeport_args(export_arguments(output_dir), 120).exit_code, 0);
  expect_refusal_driven(export_arguments(output_dir), drive, {output_dir}, export_bounds());
}

TEST(HostileOutput, AFailedExportRemovesTheFoldersItCreated) {
  ScratchDir scratch("hostile-output");
  write_text(scratch.path() / "garbage.pt", "not a checkpoint");
  expect_refusal({"export", "--quiet", "--model", (scratch.path() / "garbage.pt").string(), "--output-dir",
                  (scratch.path() / "new" / "deeper").string()},
                 {scratch.path()});
}

// A commit that fails after it has replaced some files puts them back: the
// output folder ends byte-identical to before.
struct BlockedCommit {
  std::string label;
  std::vector<std::string> export_options;
  // Blocks the commit in the output folder of an earlier export; returns
  // what must stay alive until the run is over, and the expected message.
  std::function<std::shared_ptr<void>(const fs::path&)> block;
  std::string message;
};

void PrintTo(const BlockedCommit& blocked, std::ostream* out) { *out << blocked.label; }

class HostileBlockedCommit : public ::testing::TestWithParam<BlockedCommit> {};

TEST_P(HostileBlockedCommit, LeavesTheOutputFolderByteIdentical) {
  const BlockedCommit& blocked = GetParam();
  ScratchDir scratch("hostile-output");
  const fs::path output_dir = scratch.path() / "deployment";
  ASSERT_EQ(run_edgeport_args(export_arguments(output_dir, blocked.export_options), 120).exit_code, 0);
  const std::shared_ptr<void> blocker = blocked.block(output_dir);
  if (!blocker) GTEST_SKIP() << "this file system or user cannot block the commit this way";
  const HostileOutcome outcome =
      expect_refusal(export_arguments(output_dir, blocked.export_options), {output_dir}, export_bounds());
  EXPECT_NE(outcome.output.find(blocked.message), std::string::npos) << outcome.output;
}

// A folder where a file goes, holding something of the user's.
std::shared_ptr<void> folder_in_the_way(const fs::path& file) {
  fs::remove(file);
  fs::create_directory(file);
  write_text(file / "inside.txt", "the user's");
  return std::make_shared<int>(0);
}

std::shared_ptr<void> immutable(const fs::path& path) {
  auto flag = std::make_shared<ImmutableFlag>(path);
  return flag->is_set() ? flag : nullptr;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, HostileBlockedCommit,
    ::testing::Values(
        // The last of seven files: six are in place when it fails.
        BlockedCommit{"FolderInTheWayOfTheLastFile", {},
                      [](const fs::path& out) { return folder_in_the_way(out / "student_model.tflite"); },
                      "student_model.tflite: cannot move into place (Is a directory)"},
        // export_summary.json goes first, the model second.
        BlockedCommit{"FolderInTheWayOfTheSecondFile", {"--quantization", "none", "--skip-tflite"},
                      [](const fs::path& out) { return folder_in_the_way(out / "student_model.onnx"); },
                      "student_model.onnx: cannot move into place (Is a directory)"},
        // Root may rename anything but an immutable file (chattr +i).
        BlockedCommit{"OldFileThatCannotBeSetAside", {},
                      [](const fs::path& out) { return immutable(out / "student_model_fp32.tflite"); },
                      "student_model_fp32.tflite: cannot set the old file aside (Operation not permitted)"},
        // Read-only for root too: nothing can be staged in it.
        BlockedCommit{"ReadOnlyOutputFolder", {},
                      [](const fs::path& out) { return immutable(out); },
                      "output directory is not writable (Operation not permitted)"}),
    [](const auto& info) { return info.param.label; });

// SIGINT, SIGTERM or SIGHUP during an export: exit 128 + signal, and the
// folders are as before: no staging folder, no half-written file, no output
// folder the run created.
struct Interruption {
  std::string label;
  int signal;
  bool earlier_export;   // the output folder holds an earlier export's files
  bool once_files_staged;  // else as soon as the staging folder exists
};

void PrintTo(const Interruption& interruption, std::ostream* out) { *out << interruption.label; }

class HostileInterruptedExport : public ::testing::TestWithParam<Interruption> {};

TEST_P(HostileInterruptedExport, LeavesNoTrace) {
  const Interruption& interruption = GetParam();
  ScratchDir scratch("hostile-output");
  const fs::path output_dir = scratch.path() / "deployment";
  if (interruption.earlier_export) {
    ASSERT_EQ(run_edgeport_args(export_arguments(output_dir), 120).exit_code, 0);
  }
  const FolderSnapshot before = snapshot_folder(scratch.path());

  HostileDrive drive;
  drive.kill_after_seconds = 120;
  drive.signal = interruption.signal;
  drive.ready = [&] {
    return interruption.once_files_staged ? has_staged_files(output_dir) : !staging_folders(output_dir).empty();
  };
  const HostileOutcome outcome = run_edgeport_driven(export_arguments(output_dir), drive);
  ASSERT_TRUE(outcome.signal_sent) << outcome.output;
  EXPECT_EQ(outcome.signal, 0) << "ended by the signal instead of cleaning up";
  EXPECT_EQ(outcome.exit_code, 128 + interruption.signal) << outcome.output;
  EXPECT_NE(outcome.output.find("edgeport: stopped by SIG"), std::string::npos) << outcome.output;
  EXPECT_TRUE(snapshot_folder(scratch.path()) == before) << outcome.output;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, HostileInterruptedExport,
    ::testing::Values(Interruption{"SigintAsStagingBeginsInANewFolder", SIGINT, false, false},
                      Interruption{"SigintOnceFilesAreStagedOverAnEarlierExport", SIGINT, true, true},
                      Interruption{"SigtermOnceFilesAreStagedInANewFolder", SIGTERM, false, true},
                      Interruption{"SighupOnceFilesAreStagedOverAnEarlierExport", SIGHUP, true, true}),
    [](const auto& info) { return info.param.label; });

// SIGKILL cannot be handled: the staging folder stays, and the next run in
// the folder removes it.
TEST(HostileOutput, TheRunAfterASigkillRemovesTheStaleStagingFolder) {
  ScratchDir scratch("hostile-output");
  const fs::path output_dir = scratch.path() / "deployment";
  HostileDrive drive;
  drive.kill_after_seconds = 120;
  drive.signal = SIGKILL;
  drive.ready = [&] { return has_staged_files(output_dir); };
  const HostileOutcome killed = run_edgeport_driven(export_arguments(output_dir), drive);
  ASSERT_EQ(killed.signal, SIGKILL) << killed.output;
  ASSERT_EQ(staging_folders(output_dir).size(), 1u);

  const HostileOutcome rerun = run_edgeport_args(export_arguments(output_dir), 120);
  EXPECT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_TRUE(staging_folders(output_dir).empty());
  EXPECT_TRUE(fs::is_regular_file(output_dir / "student_model.tflite"));
  EXPECT_TRUE(fs::is_regular_file(output_dir / "export_summary.json"));
}

}  // namespace
}  // namespace edgeport::testing
