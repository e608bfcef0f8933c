#include <gtest/gtest.h>

#include <cctype>

#include "checkpoint_builder.h"
#include "core/error.h"
#include "pytorch/state_dict.h"

namespace edgeport {
namespace {

using testing::operator+;
using testing::fixture;

struct Hostile {
  std::string checkpoint;
  std::string must_name;  // the global or opcode the refusal has to name
};

// Names the case in test logs instead of dumping the struct's bytes.
void PrintTo(const Hostile& hostile, std::ostream* out) { *out << hostile.checkpoint; }

std::filesystem::path marker_of(const std::string& checkpoint) {
  return std::filesystem::path("/tmp") / ("edgeport_pytorch_marker_" + checkpoint);
}

std::string refusal(const std::filesystem::path& path) {
  try {
    load_state_dict(path);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

class RefusesHostilePickle : public ::testing::TestWithParam<Hostile> {};

TEST_P(RefusesHostilePickle, NamesWhatItRefusedAndRunsNothing) {
  const Hostile& hostile = GetParam();
  const std::filesystem::path marker = marker_of(hostile.checkpoint);
  std::filesystem::remove(marker);
  const std::filesystem::path path = fixture(hostile.checkpoint + ".pt");
  const std::string message = refusal(path);
  ASSERT_FALSE(message.empty()) << "loaded " << path;
  EXPECT_TRUE(message.starts_with(path.string() + ": ")) << message;
  EXPECT_NE(message.find("refusing"), std::string::npos) << message;
  EXPECT_NE(message.find(hostile.must_name), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_FALSE(std::filesystem::exists(marker));
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, RefusesHostilePickle,
    ::testing::Values(Hostile{"evil_os_system", "'os.system'"}, Hostile{"evil_posix_system", "'posix.system'"},
                      Hostile{"evil_builtins_eval", "'builtins.eval'"},
                      Hostile{"evil_builtins_exec", "'builtins.exec'"},
                      Hostile{"evil_subprocess_popen", "'subprocess.Popen'"},
                      Hostile{"evil_stack_global", "'os.system'"}, Hostile{"evil_inst", "INST for 'os.system'"},
                      Hostile{"evil_obj", "'os.system'"}, Hostile{"evil_obj_allowed_class", "OBJ"},
                      Hostile{"evil_nested", "'os.system'"}),
    [](const auto& info) { return info.param.checkpoint; });

TEST(HostilePickle, RefusalMessageIsTheDocumentedLine) {
  const std::filesystem::path path = fixture("evil_os_system.pt");
  EXPECT_EQ(refusal(path), path.string() + ": refusing to load global 'os.system' (not on the allow-list)");
}

// evil_nested is handwritten_benign plus the hidden call: the benign twin
// loading proves the refusal comes from the global, not from a broken file.
TEST(HostilePickle, BenignTwinOfTheNestedAttackLoads) {
  const StateDict state_dict = load_state_dict(fixture("handwritten_benign.pt"));
  ASSERT_EQ(state_dict.size(), 1u);
  const Tensor* weight = state_dict.find("weight");
  ASSERT_NE(weight, nullptr);
  EXPECT_EQ(weight->shape(), Shape{4});
  EXPECT_EQ(weight->data<float>()[3], 3.0f);
}

TEST(HostilePickle, RefusesGlobalsOutsideTheAllowListWhereverTheyAppear) {
  for (const auto& [module, name] : std::vector<std::pair<std::string, std::string>>{
           {"builtins", "getattr"}, {"__builtin__", "eval"}, {"torch", "load"}, {"torch._utils", "_rebuild_tensor"},
           {"numpy.core.multiarray", "_reconstruct"}, {"__main__", "Net"}, {"collections", "defaultdict"},
           {"torch.nn.modules.conv", "Conv2d"}, {"copyreg", "_reconstructor"}}) {
    const std::string qualified = module + "." + name;
    const testing::Bytes pickle = testing::dict_pickle(
        {{"weight", testing::float_tensor("0", 4, 0, {4}, {1})},
         {"meta", testing::raw("]") + testing::global_op(module, name) + testing::raw("a")}});
    try {
      load_state_dict_from_bytes(testing::make_checkpoint(pickle, {{"0", 4}}), "hand.pt");
      ADD_FAILURE() << "loaded a pickle naming " << qualified;
    } catch (const Error& error) {
      // A class (capitalised name) is what torch.save(model) pickles: the line says what to save instead.
      const bool class_name = std::isupper(static_cast<unsigned char>(name[0]));
      EXPECT_EQ(std::string(error.what()),
                "hand.pt: refusing to load global '" + qualified + "' (not on the allow-list)" +
                    (class_name ? "; the file holds a whole object, as torch.save(model) writes: save "
                                  "model.state_dict() instead"
                                : ""));
    }
  }
}

TEST(HostilePickle, RefusesExtensionRegistryOpcodes) {
  for (std::uint8_t opcode : {0x82, 0x83, 0x84}) {
    const testing::Bytes pickle = testing::Bytes{0x80, 2, opcode, 1, 0, 0, 0} + testing::raw(".");
    EXPECT_THROW(load_state_dict_from_bytes(testing::make_checkpoint(pickle, {}), "ext.pt"), Error);
  }
}

}  // namespace
}  // namespace edgeport
