#include <gtest/gtest.h>

#include <unistd.h>

#include "core/process_identity.h"
#include "process_identities.h"

namespace edgeport {
namespace {

using testing::with_field;

TEST(ProcessIdentity, NamesThisProcessUntilItEnds) {
  const std::string identity = process_identity();
  EXPECT_EQ(with_field(identity, 1, std::to_string(::getpid())), identity);
  EXPECT_FALSE(process_has_ended(identity));

  testing::ChildProcess child;
  EXPECT_FALSE(process_has_ended(child.identity())) << child.identity();
  child.end();
  EXPECT_TRUE(process_has_ended(child.identity())) << child.identity();
}

TEST(ProcessIdentity, AReusedPidOrAnotherBootIsAnEndedProcess) {
  const std::string identity = process_identity();
  EXPECT_TRUE(process_has_ended(with_field(identity, 0, "1"))) << "same pid, started at another time";
  EXPECT_TRUE(process_has_ended(with_field(identity, 2, std::string(32, 'f')))) << "an earlier boot";
}

// Another machine or container sharing the folder has its own pids.
TEST(ProcessIdentity, AnotherHostIsNeverJudged) {
  const std::string ended = testing::ended_process_identity();
  EXPECT_FALSE(process_has_ended(with_field(ended, 3, "another-host")));
  EXPECT_FALSE(process_has_ended(with_field(process_identity(), 3, "another-host")));
}

TEST(ProcessIdentity, WhatDoesNotParseIsNeverJudged) {
  const std::string identity = process_identity();
  for (const std::string& text :
       {std::string(), std::string("abc"), std::string("a-b-c-d"), with_field(identity, 2, "123"),
        with_field(identity, 1, "12x"), with_field(identity, 1, "0"), with_field(identity, 0, "")}) {
    EXPECT_FALSE(process_has_ended(text)) << text;
  }
}

// .edgeport-staging-<pid>, as edgeport 0.1.0 named it.
TEST(ProcessIdentity, ABarePidHasEndedWhenNoProcessHasIt) {
  EXPECT_FALSE(process_has_ended(std::to_string(::getpid())));
  testing::ChildProcess child;
  const std::string pid = std::to_string(child.pid());
  child.end();
  EXPECT_TRUE(process_has_ended(pid));
}

}  // namespace
}  // namespace edgeport
