// The HTTP server behind `hyperdef view DIR`: serves the web viewer (viewer/app), the CesiumJS
// build it runs on (viewer/node_modules/cesium/Build/Cesium) and one run directory, and nothing
// else, to a browser on the same machine.
//
// URL layout:
//   /            viewer/app/index.html and the viewer's scripts and styles
//   /cesium/     the CesiumJS build (Cesium.js, Widgets/, Assets/ with the Natural Earth II tiles,
//                Workers/, ThirdParty/)
//   /run/        the run directory: scene.czml, truth.csv, detections.csv, ..., report.html
//
// Security model (docs: "hyperdef view"):
//   - binds 127.0.0.1 unless told otherwise; when bound to a loopback address it also refuses a
//     request whose Host header is not a loopback name (403), which stops a web page elsewhere
//     from reaching this server through DNS rebinding;
//   - answers GET and HEAD only; every other method gets 405 with "Allow: GET, HEAD";
//   - maps paths through serve::ResolveRequestPath (static_files.h): no traversal, no hidden
//     files, no symlink out of a root, regular files only; anything else is 404;
//   - every response carries X-Content-Type-Options: nosniff and a Content-Security-Policy that
//     allows no origin but this server's, so the viewer cannot reach the network even by mistake.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

namespace httplib {
class Server;
}

namespace hyperdef::serve {

struct ViewOptions {
  std::filesystem::path run_dir;      // the run directory to show (must exist)
  std::string host = "127.0.0.1";     // address to bind; anything but loopback is the user's call
  int port = 8642;                    // TCP port; 0 picks a free one
  std::filesystem::path viewer_root;  // the viewer/ folder; empty: FindViewerRoot()
  bool log_requests = false;          // print "METHOD path status" per request to stdout
};

// Where the viewer's files are, first match wins:
//   1. $HYPERDEF_VIEWER_ROOT, if set;
//   2. the source tree's viewer/ (compile definition HYPERDEF_VIEWER_DIR, set by CMake), which is
//      what build/bin/hyperdef uses;
//   3. <directory of the running executable>/../share/hyperdef/viewer (an installed layout).
// A candidate counts if it holds app/index.html. Throws std::runtime_error listing the places
// looked at if none does.
std::filesystem::path FindViewerRoot();

class ViewerServer {
 public:
  // Checks the options and the viewer's files; opens no socket. Throws core::InputError (key
  // "DIR" or "--port") for a run directory that is not a directory or a port outside [0, 65535],
  // and std::runtime_error if the viewer root lacks app/index.html or the CesiumJS build (the
  // message says to run `npm ci` in viewer/).
  explicit ViewerServer(ViewOptions options);
  ~ViewerServer();
  ViewerServer(const ViewerServer&) = delete;
  ViewerServer& operator=(const ViewerServer&) = delete;

  // Binds host:port and returns the port bound (the chosen one when the port is 0). Throws
  // core::InputError (key "--port") if the address cannot be bound (in use, or not local).
  int Bind();
  // Serves until Stop(); call after Bind(), typically on its own thread.
  void Listen();
  // Makes Listen() return; safe from any thread, and before or while Listen() runs.
  void Stop();

  // "http://127.0.0.1:PORT/" (after Bind()).
  std::string Url() const;
  const ViewOptions& options() const { return options_; }

 private:
  ViewOptions options_;
  int port_ = 0;
  std::unique_ptr<httplib::Server> server_;
  std::atomic<bool> listening_{false};
  std::atomic<bool> stop_requested_{false};
};

// `hyperdef view`: binds, prints the URL (and a warning if the address is not loopback), serves
// until SIGINT or SIGTERM (Ctrl-C), then returns 0. Errors as for ViewerServer.
int RunViewer(const ViewOptions& options);

}  // namespace hyperdef::serve
