#include <gtest/gtest.h>

#include "cli_runner.h"

namespace edgeport::testing {
namespace {

TEST(Verify, ExitCodeFollowsTheTolerance) {
  ScratchDir out("verify");
  ASSERT_EQ(run_edgeport("export --quiet --skip-tflite --output-dir '" + out.str() + "'").exit_code, 0);
  const std::string models = "models/tiny_ladeda_sample.pt '" + out.str() + "/student_model.onnx'";
  // The trained sample's logits reach about 280: the int8 file is judged
  // against that scale.
  const CommandResult loose = run_edgeport("verify " + models + " --relative-tolerance 0.05");
  EXPECT_EQ(loose.exit_code, 0) << loose.output;
  EXPECT_NE(loose.output.find("SQNR"), std::string::npos);
  EXPECT_NE(loose.output.find("cosine"), std::string::npos);
  const CommandResult strict = run_edgeport("verify " + models + " --tolerance 1e-9");
  EXPECT_NE(strict.exit_code, 0) << strict.output;
  EXPECT_NE(strict.output.find("exceeds the tolerance"), std::string::npos) << strict.output;
  const CommandResult strict_relative = run_edgeport("verify " + models + " --relative-tolerance 1e-4");
  EXPECT_NE(strict_relative.exit_code, 0) << strict_relative.output;
  EXPECT_NE(strict_relative.output.find("above the relative tolerance"), std::string::npos) << strict_relative.output;
  const CommandResult same = run_edgeport("verify models/tiny_ladeda_sample.pt '" + out.str() +
                                          "/student_model_fp32.onnx' --relative-tolerance 1e-5 --input "
                                          "/usr/lib/python3/dist-packages/skimage/data/astronaut.png");
  EXPECT_EQ(same.exit_code, 0) << same.output;
}

}  // namespace
}  // namespace edgeport::testing
