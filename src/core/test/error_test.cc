// Error catalogue: the user-facing message format and the always-on invariant check.
#include "core/error.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace hyperdef::core {
namespace {

TEST(ErrorTest, InputErrorFormatsFileLineColumnKeyMessage) {
  const InputError e({"scenarios/raid.yaml", 12, 5}, "threats[0].range_km",
                     "must be positive (got -3, expected > 0)");
  EXPECT_STREQ(e.what(),
               "scenarios/raid.yaml:12:5: threats[0].range_km: must be positive (got -3, "
               "expected > 0)");
  EXPECT_EQ(e.where().file, "scenarios/raid.yaml");
  EXPECT_EQ(e.where().line, 12);
  EXPECT_EQ(e.where().column, 5);
  EXPECT_EQ(e.key(), "threats[0].range_km");
  EXPECT_EQ(e.message(), "must be positive (got -3, expected > 0)");
}

TEST(ErrorTest, InputErrorOmitsUnknownParts) {
  EXPECT_STREQ(InputError({"a.yaml", 7, 0}, "seed", "not an integer").what(),
               "a.yaml:7: seed: not an integer");
  EXPECT_STREQ(InputError({"a.yaml", 0, 3}, "seed", "not an integer").what(),
               "a.yaml: seed: not an integer");
  EXPECT_STREQ(InputError({"", 0, 0}, "--threads", "must be >= 1").what(),
               "<input>: --threads: must be >= 1");
  EXPECT_STREQ(InputError({"a.yaml", 2, 1}, "", "empty document").what(),
               "a.yaml:2:1: empty document");
}

TEST(ErrorTest, InputErrorIsARuntimeError) {
  try {
    throw InputError({"x.yaml", 1, 1}, "k", "m");
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "x.yaml:1:1: k: m");
    return;
  }
  FAIL() << "not caught as std::runtime_error";
}

TEST(ErrorTest, AssertThrowsInvariantErrorNamingTheCondition) {
  const int two = 2;
  EXPECT_NO_THROW(HYPERDEF_ASSERT(two == 2));
  try {
    HYPERDEF_ASSERT(two == 3);
    FAIL() << "no exception";
  } catch (const InvariantError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("two == 3"), std::string::npos) << what;
    EXPECT_NE(what.find("error_test.cc"), std::string::npos) << what;
  }
  EXPECT_THROW(HYPERDEF_ASSERT(false), std::logic_error);
}

}  // namespace
}  // namespace hyperdef::core
