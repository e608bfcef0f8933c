#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "../test_scratch.h"
#include "core/error.h"
#include "core/oracle_runner.h"

namespace edgeport {
namespace {

// A stand-in oracle: prints its arguments as JSON on stdout, a note on
// stderr, and exits with the status its first argument names.
std::filesystem::path echo_script(const std::filesystem::path& folder) {
  const std::filesystem::path script = folder / "echo arguments.js";
  std::ofstream(script) << "process.stdout.write(JSON.stringify(process.argv.slice(2)) + '\\n');\n"
                           "process.stderr.write('echo: done\\n');\n"
                           "process.exit(Number(process.argv[2]));\n";
  return script;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream stream(file);
  return {std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
}

TEST(OracleRunner, PassesEveryArgumentThroughUnchanged) {
  const std::filesystem::path folder = testing::fresh_test_folder("pipeline", "oracle");
  OracleCommand command;
  command.script = echo_script(folder);
  command.arguments = {"0",          "a file with spaces.npy", "it's quoted", "\"double\"", "$HOME",
                       "`uname`",    "; touch hacked",         "",            "new\nline", "--"};
  command.stdout_file = folder / "out.txt";
  command.stderr_file = folder / "err.txt";
  ASSERT_EQ(run_oracle_script(command), 0) << read_text(command.stderr_file);
  EXPECT_EQ(nlohmann::json::parse(read_text(command.stdout_file)), nlohmann::json(command.arguments));
  EXPECT_EQ(last_nonempty_line(command.stderr_file), "echo: done");
  EXPECT_FALSE(std::filesystem::exists("hacked"));
}

TEST(OracleRunner, ReturnsTheExitStatusAndCanShareOneLog) {
  const std::filesystem::path folder = testing::fresh_test_folder("pipeline", "oracle");
  OracleCommand command;
  command.script = echo_script(folder);
  command.arguments = {"3"};
  command.stdout_file = folder / "log.txt";
  command.stderr_file = command.stdout_file;
  EXPECT_EQ(run_oracle_script(command), 3);
  EXPECT_EQ(read_text(command.stdout_file), "[\"3\"]\necho: done\n");
}

TEST(OracleRunner, NamesTheScriptWhenNodeCannotStart) {
  const std::filesystem::path folder = testing::fresh_test_folder("pipeline", "oracle");
  OracleCommand command;
  command.node = folder / "no-such-node";
  command.script = echo_script(folder);
  command.stdout_file = folder / "out.txt";
  command.stderr_file = folder / "err.txt";
  try {
    run_oracle_script(command);
    FAIL() << "started a missing program";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("echo arguments.js: cannot start"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace edgeport
