#include "serve/static_files.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <system_error>

namespace hyperdef::serve {
namespace {

// A path segment we are willing to join onto a root: non-empty, not hidden (which also refuses
// "." and ".."; the run directory's half-written files are hidden too: io::OutputDir writes
// ".name.tmp-PID"), no separator of another OS, no control character.
bool SafeSegment(std::string_view s) {
  if (s.empty() || s.front() == '.') return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '\\' || u < 0x20 || u == 0x7f;
  });
}

// True if `p` equals `root` or lies below it (both canonical).
bool IsInside(const std::filesystem::path& root, const std::filesystem::path& p) {
  auto r = root.begin();
  auto q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (q == p.end() || *r != *q) return false;
  }
  return true;
}

}  // namespace

std::vector<Mount> CanonicalMounts(std::vector<Mount> mounts) {
  for (Mount& m : mounts) {
    std::error_code ec;
    const std::filesystem::path root = std::filesystem::canonical(m.root, ec);
    if (ec || !std::filesystem::is_directory(root)) {
      throw std::runtime_error("cannot serve '" + m.root.string() + "': not a directory");
    }
    m.root = root;
  }
  return mounts;
}

std::optional<ResolvedFile> ResolveRequestPath(const std::vector<Mount>& mounts,
                                               std::string_view url_path) {
  // Longest prefix first, so "/run/x" goes to the run directory, not to the viewer's "/".
  size_t best = mounts.size();
  for (size_t k = 0; k < mounts.size(); ++k) {
    if (url_path.substr(0, mounts[k].prefix.size()) != mounts[k].prefix) continue;
    if (best == mounts.size() || mounts[k].prefix.size() > mounts[best].prefix.size()) best = k;
  }
  if (best == mounts.size()) return std::nullopt;
  const Mount& m = mounts[best];
  std::string_view rest = url_path.substr(m.prefix.size());
  if (rest.empty()) {
    if (m.index.empty()) return std::nullopt;
    rest = m.index;
  }

  std::filesystem::path candidate = m.root;
  while (true) {
    const size_t slash = rest.find('/');
    const std::string_view seg = rest.substr(0, slash);
    if (!SafeSegment(seg)) return std::nullopt;  // also refuses "a//b" and a trailing '/'
    candidate /= std::string(seg);
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }

  std::error_code ec;
  const std::filesystem::path real = std::filesystem::canonical(candidate, ec);
  if (ec || !IsInside(m.root, real)) return std::nullopt;  // missing, or a symlink leaving root
  if (!std::filesystem::is_regular_file(real, ec) || ec) return std::nullopt;
  return ResolvedFile{real, best};
}

std::string ContentTypeFor(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  struct Entry {
    const char* ext;
    const char* type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".cjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".czml", "application/json; charset=utf-8"},  // CZML is a JSON array of packets
      {".geojson", "application/json; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/plain; charset=utf-8"},
      {".xml", "application/xml; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".wasm", "application/wasm"},
      {".glb", "model/gltf-binary"},
      {".gltf", "model/gltf+json"},
      {".ktx2", "image/ktx2"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".pdf", "application/pdf"},
  };
  for (const Entry& e : kTypes) {
    if (ext == e.ext) return e.type;
  }
  return "application/octet-stream";
}

}  // namespace hyperdef::serve
