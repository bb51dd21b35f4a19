#include "serve/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace hyperdef::serve {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// A scratch tree:
//   app/index.html, app/js/main.js          the "/" mount
//   run/scene.czml, run/.scene.czml.tmp-1   the "/run/" mount (a hidden half-written file)
//   run/alias.czml -> scene.czml            a symlink that stays inside
//   run/leak.txt -> ../outside/secret.txt   a symlink that leaves
//   run/outdir -> ../outside                a directory symlink that leaves
//   run/sub/                                a directory
//   outside/secret.txt                      must never be served
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("hyperdef_static_files_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    WriteFile(base_ / "app/index.html", "<html></html>");
    WriteFile(base_ / "app/js/main.js", "//");
    WriteFile(base_ / "run/scene.czml", "[]");
    WriteFile(base_ / "run/.scene.czml.tmp-1", "[");
    WriteFile(base_ / "outside/secret.txt", "secret");
    fs::create_directories(base_ / "run/sub");
    fs::create_symlink("scene.czml", base_ / "run/alias.czml");
    fs::create_symlink("../outside/secret.txt", base_ / "run/leak.txt");
    fs::create_symlink("../outside", base_ / "run/outdir");
    mounts_ = CanonicalMounts({{"/", base_ / "app", "index.html"}, {"/run/", base_ / "run", ""}});
  }
  void TearDown() override { fs::remove_all(base_); }

  // The served file's path relative to the scratch tree, or "" when refused.
  std::string Resolve(std::string_view url) const {
    const auto r = ResolveRequestPath(mounts_, url);
    return r ? fs::relative(r->path, fs::canonical(base_)).string() : "";
  }

  fs::path base_;
  std::vector<Mount> mounts_;
};

TEST_F(StaticFilesTest, ServesFilesUnderTheirMount) {
  EXPECT_EQ(Resolve("/"), "app/index.html");  // the index for the prefix itself
  EXPECT_EQ(Resolve("/index.html"), "app/index.html");
  EXPECT_EQ(Resolve("/js/main.js"), "app/js/main.js");
  EXPECT_EQ(Resolve("/run/scene.czml"), "run/scene.czml");  // longest prefix wins over "/"
  const auto r = ResolveRequestPath(mounts_, "/run/scene.czml");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->mount, 1u);
}

TEST_F(StaticFilesTest, FollowsSymlinksThatStayInside) {
  EXPECT_EQ(Resolve("/run/alias.czml"), "run/scene.czml");
}

TEST_F(StaticFilesTest, RefusesTraversal) {
  // The HTTP layer has already percent-decoded the path, so %2e%2e arrives here as "..".
  for (const char* url :
       {"/run/../outside/secret.txt", "/../outside/secret.txt", "/run/sub/../../outside/secret.txt",
        "/run/./scene.czml", "/run/..", "/.."}) {
    EXPECT_EQ(Resolve(url), "") << url;
  }
}

TEST_F(StaticFilesTest, RefusesAbsolutePathsAndOddSegments) {
  const std::string abs_secret = (base_ / "outside/secret.txt").string();
  const std::vector<std::string> urls = {"/run/" + abs_secret,
                                         "/run/" + abs_secret.substr(1) + "/../../x",
                                         std::string("/run//etc/passwd"),
                                         std::string("//etc/passwd"),
                                         std::string("/run/..\\outside\\secret.txt"),
                                         std::string("/run/scene.czml\x01"),
                                         std::string("/run/scene.czml\0x", 17),
                                         std::string("/run/scene.czml/"),
                                         std::string("/run/sub/"),
                                         std::string("/run/sub"),
                                         std::string("/run/"),
                                         std::string("/run"),
                                         std::string("run/scene.czml"),
                                         std::string("")};
  for (const std::string& url : urls) {
    EXPECT_EQ(Resolve(url), "") << url;
  }
}

TEST_F(StaticFilesTest, RefusesSymlinksLeavingTheRoot) {
  EXPECT_EQ(Resolve("/run/leak.txt"), "");
  EXPECT_EQ(Resolve("/run/outdir/secret.txt"), "");
}

TEST_F(StaticFilesTest, RefusesHiddenFiles) {
  EXPECT_EQ(Resolve("/run/.scene.czml.tmp-1"), "");  // io::OutputDir's temporary name
}

TEST_F(StaticFilesTest, CanonicalMountsRejectsAMissingRoot) {
  EXPECT_THROW(CanonicalMounts({{"/", base_ / "no-such-dir", ""}}), std::runtime_error);
  EXPECT_THROW(CanonicalMounts({{"/", base_ / "run/scene.czml", ""}}), std::runtime_error);
}

TEST(ContentTypeFor, KnowsTheViewersFileTypes) {
  EXPECT_EQ(ContentTypeFor("scene.czml"), "application/json; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a/TRUTH.CSV"), "text/csv; charset=utf-8");  // case-insensitive
  EXPECT_EQ(ContentTypeFor("Cesium.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("0/0/0.jpg"), "image/jpeg");
  EXPECT_EQ(ContentTypeFor("draco_decoder.wasm"), "application/wasm");
  EXPECT_EQ(ContentTypeFor("report.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("noext"), "application/octet-stream");
}

}  // namespace
}  // namespace hyperdef::serve
