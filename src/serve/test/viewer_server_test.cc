#include "serve/viewer_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"

namespace hyperdef::serve {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// Sends `request` byte for byte (no client-side normalisation of the path) and returns the
// response's status code (0 if none) and the whole response in `response`. Reads one response
// (headers, then Content-Length bytes), so it does not wait for the server's keep-alive timeout.
int RawRequest(int port, const std::string& request, std::string* response = nullptr) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string text;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
    char buf[4096];
    ssize_t n;
    size_t want = std::string::npos;  // total bytes of the response, once the headers are in
    while (text.size() < want && (n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
      text.append(buf, static_cast<size_t>(n));
      const size_t end = text.find("\r\n\r\n");
      if (want == std::string::npos && end != std::string::npos) {
        const size_t cl = text.find("Content-Length: ");
        want = end + 4 + (cl < end ? std::stoul(text.substr(cl + 16)) : 0);
      }
    }
  }
  ::close(fd);
  if (response) *response = text;
  if (text.rfind("HTTP/1.1 ", 0) != 0 || text.size() < 12) return 0;
  return std::stoi(text.substr(9, 3));
}

int RawGet(int port, const std::string& target, std::string* response = nullptr,
           const std::string& host = "127.0.0.1") {
  return RawRequest(
      port, "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n",
      response);
}

// A fake viewer (app/index.html and a stub Cesium build), a run directory with a symlink that
// leaves it, and a secret beside it; a server on a free port, listening on its own thread.
class ViewerServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("hyperdef_viewer_server_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    WriteFile(base_ / "viewer/app/index.html", "<!doctype html><title>viewer</title>");
    WriteFile(base_ / "viewer/app/main.js", "console.log(1);");
    WriteFile(base_ / "viewer/node_modules/cesium/Build/Cesium/Cesium.js", "var Cesium={};");
    WriteFile(base_ / "viewer/package.json", "{}");  // in the viewer root but not served
    WriteFile(base_ / "run/summary.json", R"({"scenario":{"name":"t"}})");
    WriteFile(base_ / "run/scene.czml", "[]");
    WriteFile(base_ / "secret.txt", "TOPSECRET");
    fs::create_symlink(base_ / "secret.txt", base_ / "run/leak.txt");
    ViewOptions options;
    options.run_dir = base_ / "run";
    options.viewer_root = base_ / "viewer";
    options.port = 0;
    server_ = std::make_unique<ViewerServer>(options);
    port_ = server_->Bind();
    thread_ = std::thread([this] { server_->Listen(); });
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
    server_.reset();
    fs::remove_all(base_);
  }

  fs::path base_;
  std::unique_ptr<ViewerServer> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(ViewerServerTest, ServesTheViewerCesiumAndTheRun) {
  ASSERT_GT(port_, 0);
  EXPECT_EQ(server_->Url(), "http://127.0.0.1:" + std::to_string(port_) + "/");
  httplib::Client cli("127.0.0.1", port_);
  auto res = cli.Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "<!doctype html><title>viewer</title>");
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(res->get_header_value("Content-Security-Policy").find("default-src 'self'"),
            std::string::npos);

  res = cli.Get("/cesium/Cesium.js");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "var Cesium={};");

  res = cli.Get("/run/summary.json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"scenario":{"name":"t"}})");
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");  // a re-run shows at once

  res = cli.Get("/run/missing.csv");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  res = cli.Get("/package.json");  // the viewer root itself is not a mount, only app/
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

TEST_F(ViewerServerTest, HeadGivesTheLengthWithoutABody) {
  httplib::Client cli("127.0.0.1", port_);
  auto res = cli.Head("/run/summary.json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Length"),
            std::to_string(fs::file_size(base_ / "run/summary.json")));
  EXPECT_TRUE(res->body.empty());
}

TEST_F(ViewerServerTest, AnswersOnlyGetAndHead) {
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"}) {
    std::string response;
    const int status = RawRequest(port_,
                                  std::string(method) +
                                      " /run/summary.json HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                      "Content-Length: 0\r\nConnection: close\r\n\r\n",
                                  &response);
    EXPECT_EQ(status, 405) << method << "\n" << response;
    EXPECT_NE(response.find("Allow: GET, HEAD"), std::string::npos) << method;
  }
  // A method httplib does not know at all is refused before routing.
  const int status = RawRequest(
      port_, "BREW /run/summary.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(status == 400 || status == 405) << status;
  // Nothing was written by any of them.
  std::ifstream in(base_ / "run/summary.json");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), R"({"scenario":{"name":"t"}})");
}

TEST_F(ViewerServerTest, RefusesPathTraversal) {
  const std::string abs = (base_ / "secret.txt").string();
  const std::vector<std::string> targets = {std::string("/run/../secret.txt"),
                                            std::string("/run/%2e%2e/secret.txt"),
                                            std::string("/run/%2E%2E/secret.txt"),
                                            std::string("/run/..%2fsecret.txt"),
                                            std::string("/run/%2e%2e%2fsecret.txt"),
                                            std::string("/run/%252e%252e/secret.txt"),
                                            std::string("/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"),
                                            std::string("/../../etc/passwd"),
                                            std::string("/cesium/../../../../secret.txt"),
                                            std::string("/run/..\\secret.txt"),
                                            std::string("/run/%5c..%5csecret.txt"),
                                            "/run/" + abs,
                                            "/run/%2F" + abs.substr(1),
                                            "/" + abs,
                                            "//" + abs.substr(1),
                                            std::string("/run/leak.txt"),
                                            std::string("/run/%00../secret.txt"),
                                            "http://127.0.0.1/run/../secret.txt",
                                            abs};
  for (const std::string& target : targets) {
    std::string response;
    const int status = RawGet(port_, target, &response);
    EXPECT_TRUE(status == 404 || status == 400) << target << " -> " << status;
    EXPECT_EQ(response.find("TOPSECRET"), std::string::npos) << target;
  }
  // The checks do not break the plain path to the same kind of file.
  EXPECT_EQ(RawGet(port_, "/run/%73ummary.json"), 200);  // %73 = 's'
}

TEST_F(ViewerServerTest, RefusesForeignHostHeaders) {
  // DNS rebinding: a page on evil.example resolving its name to 127.0.0.1.
  EXPECT_EQ(RawGet(port_, "/run/summary.json", nullptr, "evil.example:" + std::to_string(port_)),
            403);
  EXPECT_EQ(RawGet(port_, "/run/summary.json", nullptr, "localhost:" + std::to_string(port_)), 200);
  EXPECT_EQ(RawGet(port_, "/run/summary.json", nullptr, "[::1]:" + std::to_string(port_)), 200);
}

TEST_F(ViewerServerTest, StreamsLargeFilesWhole) {
  // Several of the server's 1 MiB chunks, and not a multiple of them.
  std::string big((17u << 20) + 12345, 'x');
  for (size_t k = 0; k < big.size(); k += 4099) big[k] = static_cast<char>('a' + k % 26);
  WriteFile(base_ / "run/detections.csv", big);
  httplib::Client cli("127.0.0.1", port_);
  auto res = cli.Get("/run/detections.csv");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body.size(), big.size());
  EXPECT_TRUE(res->body == big);
  res = cli.Head("/run/detections.csv");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Content-Length"), std::to_string(big.size()));
}

TEST_F(ViewerServerTest, ServesUncompressedWhateverTheBrowserAccepts) {
  // Debian's httplib would otherwise brotli-compress text at quality 11: ~4 s per MB here.
  std::string js(300000, ' ');
  for (size_t k = 0; k < js.size(); k += 7) js[k] = static_cast<char>('a' + k % 26);
  WriteFile(base_ / "viewer/node_modules/cesium/Build/Cesium/Cesium.js", js);
  httplib::Client cli("127.0.0.1", port_);
  auto res = cli.Get("/cesium/Cesium.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_FALSE(res->has_header("Content-Encoding"));
  EXPECT_TRUE(res->body == js);
}

TEST(ViewerServer, RejectsBadOptions) {
  const fs::path base =
      fs::temp_directory_path() / ("hyperdef_viewer_server_opts_" + std::to_string(::getpid()));
  fs::remove_all(base);
  WriteFile(base / "viewer/app/index.html", "x");
  fs::create_directories(base / "run");
  ViewOptions options;
  options.viewer_root = base / "viewer";
  options.run_dir = base / "no-run";
  try {
    ViewerServer s(options);
    ADD_FAILURE() << "accepted a missing run directory";
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.key(), "DIR");
    EXPECT_NE(std::string(e.what()).find("no-run"), std::string::npos) << e.what();
  }
  options.run_dir = base / "run";
  options.port = 70000;
  try {
    ViewerServer s(options);
    ADD_FAILURE() << "accepted port 70000";
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.key(), "--port");
    EXPECT_NE(e.message().find("70000"), std::string::npos) << e.what();
  }
  options.port = 0;  // the viewer has no Cesium build yet
  try {
    ViewerServer s(options);
    ADD_FAILURE() << "accepted a viewer without node_modules";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("npm ci"), std::string::npos) << e.what();
  }
  fs::remove_all(base);
}

TEST(ViewerServer, RefusesAPortInUseAndStopsBeforeListening) {
  const fs::path base =
      fs::temp_directory_path() / ("hyperdef_viewer_server_port_" + std::to_string(::getpid()));
  fs::remove_all(base);
  WriteFile(base / "viewer/app/index.html", "x");
  WriteFile(base / "viewer/node_modules/cesium/Build/Cesium/Cesium.js", "x");
  fs::create_directories(base / "run");
  ViewOptions options;
  options.viewer_root = base / "viewer";
  options.run_dir = base / "run";
  options.port = 0;
  ViewerServer first(options);
  options.port = first.Bind();
  ViewerServer second(options);
  try {
    second.Bind();
    ADD_FAILURE() << "bound a port already in use";
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.key(), "--port");
  }
  first.Stop();
  first.Listen();  // returns at once: the stop was asked for before listening
  fs::remove_all(base);
}

TEST(FindViewerRoot, PrefersTheEnvironmentVariable) {
  const fs::path base =
      fs::temp_directory_path() / ("hyperdef_viewer_root_env_" + std::to_string(::getpid()));
  fs::remove_all(base);
  WriteFile(base / "app/index.html", "x");
  ::setenv("HYPERDEF_VIEWER_ROOT", base.c_str(), 1);
  EXPECT_EQ(FindViewerRoot(), base);
  ::unsetenv("HYPERDEF_VIEWER_ROOT");
  fs::remove_all(base);
}

}  // namespace
}  // namespace hyperdef::serve
