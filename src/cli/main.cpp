#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <new>
#include <string>

#include "cli/commands.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/heap_release.h"
#include "pipeline/image.h"

namespace {

// The runtime's large convolutions run on oneDNN, which Debian builds on
// OpenMP. OpenMP's idle threads spin after every parallel call unless
// OMP_WAIT_POLICY says otherwise, and with --threads 2 on two cores they take
// the cores from the runtime's own workers (resnet18: 928 ms a run instead of
// 62). Never spinning costs a sleep and a wake-up per call instead, which
// small convolutions cannot repay: mobilenet_v2 at --threads 2 took 16 to
// 18 ms a run, more than on one thread (9 to 10 ms), and 5.3 to 7.0 ms with
// a short spin (GOMP_SPINCOUNT 20000, about 0.2 ms) before sleeping, resnet18
// the same within the noise. OpenMP reads the variables once, before main,
// so edgeport starts itself again with them set; when that fails it runs as
// it is.
void restart_with_passive_openmp(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  ::setenv("OMP_WAIT_POLICY", "passive", 1);
  ::setenv("GOMP_SPINCOUNT", "20000", 0);
  ::execv("/proc/self/exe", argv);
}

// Errors are one terminal line: a hostile file's names or a long key list
// must not flood it, and control characters from a file must not reach it.
// A long message keeps its start (the file) and its end (what to do).
int report(const std::string& message, bool verbose) {
  constexpr std::size_t kHead = 140;
  constexpr std::size_t kTail = 90;
  std::string line;
  for (const char character : message) {
    const auto byte = static_cast<unsigned char>(character);
    line += byte < 0x20 || byte == 0x7f ? ' ' : character;
  }
  if (!verbose && line.size() > kHead + kTail + 40) {
    const auto inside_character = [&line](std::size_t at) {
      return (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80;
    };
    std::size_t head = kHead;
    while (head > 0 && inside_character(head)) --head;
    std::size_t tail = line.size() - kTail;
    while (tail < line.size() && inside_character(tail)) ++tail;
    line = line.substr(0, head) + " [... " + std::to_string(tail - head) + " characters; --verbose shows them] " +
           line.substr(tail);
  }
  std::cerr << "edgeport: error: " << line << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  restart_with_passive_openmp(argv);
  edgeport::share_one_heap_between_threads();
  CLI::App app{"edgeport " EDGEPORT_VERSION
               ": PyTorch checkpoints and ONNX models to quantized ONNX and TFLite, verified against real runtimes"};
  app.set_version_flag("--version", EDGEPORT_VERSION);
  app.require_subcommand(1);
  bool verbose = false;
  app.add_flag("--verbose", verbose, "Print error messages in full, however long");
  std::uint64_t max_image_pixels = edgeport::kDefaultMaxImagePixels;
  app.add_option("--max-image-pixels", max_image_pixels,
                 "Refuse images with more pixels than this, read from their header before decoding (default " +
                     std::to_string(edgeport::kDefaultMaxImagePixels) + ")")
      ->check(CLI::PositiveNumber);
  app.parse_complete_callback([&max_image_pixels] { edgeport::set_max_image_pixels(max_image_pixels); });
  app.fallthrough();
  edgeport::cli::add_export_command(app);
  edgeport::cli::add_run_command(app);
  edgeport::cli::add_info_command(app);
  edgeport::cli::add_verify_command(app);
  edgeport::cli::add_quantize_command(app);
  edgeport::cli::add_bench_command(app);
  edgeport::cli::add_doctor_command(app);
  try {
    app.parse(argc, argv);
    edgeport::flush_standard_output();
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    return report(std::string(error.what()) + " (see --help)", verbose);
  } catch (const edgeport::Error& error) {
    return report(error.what(), verbose);
  } catch (const std::bad_alloc&) {
    return report("out of memory", verbose);
  } catch (const std::exception& error) {
    return report("internal error, please report it with the input that caused it (" + std::string(error.what()) + ")",
                  verbose);
  }
  return 0;
}
