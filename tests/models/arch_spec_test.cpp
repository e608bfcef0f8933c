#include <gtest/gtest.h>

#include "core/error.h"
#include "models/architecture.h"

namespace edgeport {
namespace {

std::string parse_error(const std::string& text) {
  try {
    ArchSpec::parse(text);
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "'" << text << "' was accepted";
  return "";
}

TEST(ArchSpec, ParsesNameAndOptions) {
  const ArchSpec spec = ArchSpec::parse("tiny_ladeda:preprocess=x_grad,pool=true");
  EXPECT_EQ(spec.name, "tiny_ladeda");
  EXPECT_EQ(spec.options.at("preprocess"), "x_grad");
  EXPECT_EQ(spec.options.at("pool"), "true");
  EXPECT_EQ(spec.options.size(), 2u);
}

TEST(ArchSpec, BareNameHasNoOptions) {
  const ArchSpec spec = ArchSpec::parse("resnet18");
  EXPECT_EQ(spec.name, "resnet18");
  EXPECT_TRUE(spec.options.empty());
  EXPECT_EQ(spec.to_string(), "resnet18");
}

TEST(ArchSpec, ToStringRoundTripsWithSortedOptions) {
  const ArchSpec spec = ArchSpec::parse("tiny_ladeda:pool=false,preprocess=NPR");
  EXPECT_EQ(spec.to_string(), "tiny_ladeda:pool=false,preprocess=NPR");
  EXPECT_EQ(ArchSpec::parse(spec.to_string()).options, spec.options);
  EXPECT_EQ(ArchSpec::parse("mobilenet_v2:num_classes=7").to_string(), "mobilenet_v2:num_classes=7");
}

TEST(ArchSpec, UnknownArchitectureListsTheKnownOnes) {
  const std::string message = parse_error("resnet50");
  EXPECT_NE(message.find("unknown architecture 'resnet50'"), std::string::npos) << message;
  for (const std::string& name : architecture_names()) EXPECT_NE(message.find(name), std::string::npos) << message;
}

TEST(ArchSpec, UnknownOptionIsNamedWithTheValidOnes) {
  const std::string message = parse_error("tiny_ladeda:pooling=true");
  EXPECT_NE(message.find("unknown option 'pooling'"), std::string::npos) << message;
  EXPECT_NE(message.find("preprocess"), std::string::npos) << message;
  EXPECT_NE(parse_error("resnet18:preprocess=raw").find("unknown option 'preprocess'"), std::string::npos);
}

TEST(ArchSpec, BadValuesAreRejectedWithTheChoices) {
  const std::string message = parse_error("tiny_ladeda:preprocess=diag");
  EXPECT_NE(message.find("preprocess=diag"), std::string::npos) << message;
  EXPECT_NE(message.find("right_diag|left_diag|x_grad|y_grad|raw|NPR"), std::string::npos) << message;
  EXPECT_NE(parse_error("tiny_ladeda:pool=yes").find("true|false"), std::string::npos);
  EXPECT_NE(parse_error("resnet18:num_classes=0").find("not a positive integer"), std::string::npos);
  EXPECT_NE(parse_error("resnet18:num_classes=10x").find("not a positive integer"), std::string::npos);
  EXPECT_NE(parse_error("mobilenet_v2:num_classes=-3").find("not a positive integer"), std::string::npos);
}

TEST(ArchSpec, MalformedListsAreRejected) {
  EXPECT_NE(parse_error("tiny_ladeda:pool").find("'pool' is not key=value"), std::string::npos);
  EXPECT_NE(parse_error("tiny_ladeda:pool=").find("is not key=value"), std::string::npos);
  EXPECT_NE(parse_error("tiny_ladeda:").find("is not key=value"), std::string::npos);
  EXPECT_NE(parse_error("tiny_ladeda:pool=true,pool=false").find("given twice"), std::string::npos);
  EXPECT_NE(parse_error(":pool=true").find("names no architecture"), std::string::npos);
}

TEST(ArchSpec, KnowsTheFourArchitectures) {
  EXPECT_EQ(architecture_names(), (std::vector<std::string>{"tiny_ladeda", "resnet18", "mobilenet_v2", "ladeda"}));
}

}  // namespace
}  // namespace edgeport
