#include <gtest/gtest.h>

#include <map>

#include "cli_runner.h"
#include "core/file_io.h"
#include "pipeline/heatmap.h"
#include "pipeline/inputs.h"
#include "pipeline/model_file.h"
#include "pipeline/run_text.h"
#include "runtime/session.h"

namespace edgeport::testing {
namespace {

const std::string kRocket = "/usr/lib/python3/dist-packages/skimage/data/rocket.jpg";  // 640x427

// What the library draws for the photo at its own size, as run should.
Image expected_heatmap(const std::string& photo, HeatmapScale scale, const std::string& aggregation) {
  const LoadedModel model = load_model(source_path("models/tiny_ladeda_sample.pt"));
  const Tensor logits = run_graph(model.graph, load_input(photo, model.graph));
  const ScaledPatchMap map = scale_patch_logits(logits, scale);
  const Aggregation parsed = Aggregation::parse(aggregation);
  return draw_heatmap(load_image(photo), 256, 256, map,
                      heatmap_caption(summarize_patch_logits(logits, parsed), parsed, map.legend))
      .canvas;
}

// run --heatmap draws over the photo at its own 640x427, not the 256x256
// the model saw, with the colour scale asked for (logit by default); each
// scale colours the real photo differently.
TEST(RunHeatmap, DrawnAtThePhotosSizeInTheScaleAsked) {
  ScratchDir out("heatmap");
  std::map<std::string, Image> drawn;
  for (const std::string scale : {"", "logit", "probability", "rank"}) {
    const std::filesystem::path png = out.path() / ("rocket_" + (scale.empty() ? "default" : scale) + ".png");
    const CommandResult result =
        run_edgeport("run models/tiny_ladeda_sample.pt --input " + kRocket + " --heatmap '" + png.string() + "'" +
                     (scale.empty() ? "" : " --heatmap-scale " + scale));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find("(colours: " + (scale.empty() ? std::string("logit") : scale) + ")"),
              std::string::npos)
        << result.output;
    drawn[scale] = load_image(png);
  }
  for (const std::string scale : {"logit", "probability", "rank"}) {
    SCOPED_TRACE(scale);
    const Image expected = expected_heatmap(kRocket, parse_heatmap_scale(scale), "mean");
    ASSERT_EQ(drawn[scale].width, expected.width);
    ASSERT_EQ(drawn[scale].height, expected.height);
    EXPECT_TRUE(drawn[scale].rgb == expected.rgb);
    EXPECT_GT(drawn[scale].width, 640);
    EXPECT_GT(drawn[scale].height, 427);
  }
  EXPECT_TRUE(drawn[""].rgb == drawn["logit"].rgb);
  EXPECT_FALSE(drawn["logit"].rgb == drawn["probability"].rgb);
  EXPECT_FALSE(drawn["logit"].rgb == drawn["rank"].rgb);
  EXPECT_FALSE(drawn["probability"].rgb == drawn["rank"].rgb);
}

TEST(RunHeatmap, UnknownScaleIsOneLine) {
  const CommandResult result =
      run_edgeport("run models/tiny_ladeda_sample.pt --input " + kRocket + " --heatmap /tmp/x.png --heatmap-scale hot");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(result.output, "edgeport: error: --heatmap-scale must be probability, logit or rank, got 'hot'\n");
}

}  // namespace
}  // namespace edgeport::testing
