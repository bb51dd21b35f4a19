#include "serve/viewer_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "core/error.h"
#include "serve/static_files.h"

namespace hyperdef::serve {
namespace {

namespace fs = std::filesystem;

// Every file is streamed through a content provider of known length, in chunks of kChunkBytes.
// That also keeps httplib from compressing the response: Debian's libcpp-httplib is built with
// brotli, which it would pick for any browser at quality 11, about 17 s for the 4 MB Cesium.js
// on this machine; on the loopback interface compression buys nothing.
constexpr size_t kChunkBytes = 1u << 20;

const char* const kCesiumBuild = "node_modules/cesium/Build/Cesium";

// Content-Security-Policy: only this server's origin, so nothing the viewer runs can reach the
// network. The viewer's own page loads scripts from files only; a run directory's self-contained
// report.html keeps its scripts and styles inline, so that mount allows inline script too.
// 'unsafe-eval' is there for the knockout bindings inside Cesium's stock widgets (they compile
// data-bind expressions with new Function), blob: for Cesium's web workers (it starts each from a
// small blob script that imports the worker's code from /cesium/Workers/).
const char* const kCspViewer =
    "default-src 'self'; script-src 'self' 'unsafe-eval' blob:; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self' data: blob:; "
    "font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'none'; "
    "frame-ancestors 'self'";
const char* const kCspRun =
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self' data: blob:; font-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors 'self'";

enum MountIndex : size_t { kApp = 0, kCesium = 1, kRun = 2 };

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

// The host name of a Host header value: "127.0.0.1:8642" -> "127.0.0.1", "[::1]:80" -> "[::1]".
std::string HostName(const std::string& header) {
  if (!header.empty() && header.front() == '[') {
    const size_t close = header.find(']');
    return close == std::string::npos ? header : header.substr(0, close + 1);
  }
  return header.substr(0, header.find(':'));
}

void SetPlain(httplib::Response& res, int status, const std::string& text) {
  res.status = status;
  res.set_content(text + "\n", "text/plain; charset=utf-8");
}

void ServeFile(const ResolvedFile& file, httplib::Response& res) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(file.path, ec);
  if (ec) return SetPlain(res, 404, "not found");
  const std::string type = ContentTypeFor(file.path);
  res.set_header("Cache-Control", file.mount == kCesium ? "max-age=3600" : "no-store");
  res.set_header("Content-Security-Policy", file.mount == kRun ? kCspRun : kCspViewer);
  auto in = std::make_shared<std::ifstream>(file.path, std::ios::binary);
  if (!*in) return SetPlain(res, 403, "cannot read file");
  res.status = 200;
  res.set_content_provider(static_cast<size_t>(size), type.c_str(),
                           [in](size_t offset, size_t length, httplib::DataSink& sink) {
                             std::vector<char> buf(std::min(length, kChunkBytes));
                             in->clear();
                             in->seekg(static_cast<std::streamoff>(offset));
                             in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
                             const std::streamsize got = in->gcount();
                             if (got <= 0)
                               return false;  // the file shrank under us: abort the response
                             return sink.write(buf.data(), static_cast<size_t>(got));
                           });
}

bool IsViewerRoot(const fs::path& p) {
  std::error_code ec;
  return !p.empty() && fs::is_regular_file(p / "app" / "index.html", ec);
}

fs::path ExecutableDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

}  // namespace

fs::path FindViewerRoot() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("HYPERDEF_VIEWER_ROOT"); env != nullptr && *env != '\0') {
    candidates.emplace_back(env);
  }
#ifdef HYPERDEF_VIEWER_DIR
  candidates.emplace_back(HYPERDEF_VIEWER_DIR);
#endif
  if (const fs::path dir = ExecutableDir(); !dir.empty()) {
    candidates.push_back(dir / ".." / "share" / "hyperdef" / "viewer");
  }
  std::string looked;
  for (const fs::path& c : candidates) {
    if (IsViewerRoot(c)) return c;
    looked += (looked.empty() ? "" : ", ") + c.string();
  }
  throw std::runtime_error(fmt::format(
      "cannot find the web viewer (a folder holding app/index.html); looked in: {}. Set "
      "HYPERDEF_VIEWER_ROOT to the checkout's viewer/ folder",
      looked.empty() ? "nowhere" : looked));
}

ViewerServer::ViewerServer(ViewOptions options) : options_(std::move(options)) {
  std::error_code ec;
  if (!fs::is_directory(options_.run_dir, ec)) {
    throw core::InputError({options_.run_dir.string()}, "DIR",
                           "not a directory (expected a run directory written by hyperdef run)");
  }
  if (options_.port < 0 || options_.port > 65535) {
    throw core::InputError({}, "--port",
                           fmt::format("out of range (got {}, expected 0..65535; 0 picks a free "
                                       "port)",
                                       options_.port));
  }
  if (options_.viewer_root.empty()) options_.viewer_root = FindViewerRoot();
  if (!IsViewerRoot(options_.viewer_root)) {
    throw std::runtime_error(fmt::format("'{}' is not the web viewer: it has no app/index.html",
                                         options_.viewer_root.string()));
  }
  const fs::path cesium = options_.viewer_root / kCesiumBuild;
  if (!fs::is_regular_file(cesium / "Cesium.js", ec)) {
    throw std::runtime_error(
        fmt::format("the CesiumJS build is missing ({}/Cesium.js): run `npm ci` in {}",
                    cesium.string(), options_.viewer_root.string()));
  }

  // Order matches MountIndex.
  auto mounts = std::make_shared<const std::vector<Mount>>(
      CanonicalMounts({{"/", options_.viewer_root / "app", "index.html"},
                       {"/cesium/", cesium, ""},
                       {"/run/", options_.run_dir, ""}}));

  server_ = std::make_unique<httplib::Server>();
  // httplib's default also sets SO_REUSEPORT, which would let a second server bind the same port
  // and silently share its connections; keep only SO_REUSEADDR (quick restart after Ctrl-C).
  server_->set_socket_options([](int sock) {
    const int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  const bool check_host = IsLoopbackHost(options_.host);
  server_->set_pre_routing_handler(
      [check_host](const httplib::Request& req, httplib::Response& res) {
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("Referrer-Policy", "no-referrer");
        if (req.method != "GET" && req.method != "HEAD") {
          res.set_header("Allow", "GET, HEAD");
          SetPlain(res, 405, "method not allowed: this server answers GET and HEAD only");
          return httplib::Server::HandlerResponse::Handled;
        }
        if (check_host && !IsLoopbackHost(HostName(req.get_header_value("Host")))) {
          SetPlain(res, 403, "forbidden: Host must be a loopback address");
          return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
      });
  server_->Get(".*", [mounts](const httplib::Request& req, httplib::Response& res) {
    const std::optional<ResolvedFile> file = ResolveRequestPath(*mounts, req.path);
    if (!file) return SetPlain(res, 404, "not found");
    ServeFile(*file, res);
  });
  if (options_.log_requests) {
    server_->set_logger([](const httplib::Request& req, const httplib::Response& res) {
      fmt::print("{} {} {}\n", req.method, req.path, res.status);
      std::fflush(stdout);
    });
  }
}

ViewerServer::~ViewerServer() { Stop(); }

int ViewerServer::Bind() {
  const bool ok = options_.port == 0 ? (port_ = server_->bind_to_any_port(options_.host)) > 0
                                     : server_->bind_to_port(options_.host, options_.port);
  if (!ok) {
    throw core::InputError(
        {}, "--port",
        fmt::format("cannot listen on {}:{} (port in use, or not an address of this machine)",
                    options_.host, options_.port));
  }
  if (options_.port != 0) port_ = options_.port;
  return port_;
}

void ViewerServer::Listen() {
  listening_ = true;
  if (!stop_requested_) server_->listen_after_bind();
  listening_ = false;
}

void ViewerServer::Stop() {
  stop_requested_ = true;
  // Listen() may have been entered but not yet reached httplib's accept loop: wait for it, or
  // httplib's stop() (a no-op while not running) would be lost.
  while (listening_ && !server_->is_running()) std::this_thread::yield();
  server_->stop();
}

std::string ViewerServer::Url() const {
  const bool v6 = options_.host.find(':') != std::string::npos;
  return fmt::format("http://{}{}{}:{}/", v6 ? "[" : "", options_.host, v6 ? "]" : "", port_);
}

int RunViewer(const ViewOptions& options) {
  ViewerServer server(options);
  server.Bind();

  // Ctrl-C: block SIGINT/SIGTERM in every thread (httplib's workers inherit the mask) and take
  // them synchronously here with sigwait, then stop the server from ordinary code rather than
  // from a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const pthread_t main_thread = pthread_self();
  std::thread listener([&server, main_thread] {
    server.Listen();
    pthread_kill(main_thread, SIGTERM);  // wake the sigwait below if Listen ended by itself
  });

  const fs::path run = fs::absolute(server.options().run_dir);
  fmt::print("hyperdef view: showing {}\n  open {}  (Ctrl-C to stop)\n", run.string(),
             server.Url());
  if (!IsLoopbackHost(server.options().host)) {
    fmt::print(
        "  warning: bound to {}, not loopback: anyone who can reach this address can read the "
        "run directory\n",
        server.options().host);
  }
  std::fflush(stdout);

  int sig = 0;
  sigwait(&signals, &sig);
  server.Stop();
  listener.join();
  // Drain the listener's wake-up SIGTERM (and any second Ctrl-C) before unblocking, or it would
  // be delivered now and kill the process.
  const timespec zero{0, 0};
  while (sigtimedwait(&signals, nullptr, &zero) > 0) {
  }
  pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
  fmt::print("hyperdef view: stopped\n");
  return 0;
}

}  // namespace hyperdef::serve
