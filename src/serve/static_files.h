// Static files for `hyperdef view`: which file on disk a URL path names, if any, and its media
// type. This is the server's whole access policy, kept free of any socket so it can be tested as
// a table.
//
// A request path is served only if it lies under one of a few mounts (URL prefix -> directory):
// the viewer's page ("/"), the CesiumJS build ("/cesium/") and the run directory ("/run/"). The
// path is split on '/', every segment is checked, and the candidate file is then resolved with
// every symbolic link followed (std::filesystem::canonical) and must still lie inside its mount's
// canonical root. That refuses, independently:
//   - dot-dot segments, whether sent raw or percent-encoded (the HTTP layer decodes %2e%2e to ..
//     before we see the path, so both arrive here as "..");
//   - absolute paths smuggled in as an empty segment ("/run//etc/passwd") or a backslash;
//   - NUL bytes and other control characters;
//   - symbolic links inside a root that point outside it;
//   - anything that is not a regular file (directories, devices, sockets, FIFOs).
// The OWASP "Path Traversal" page lists these as the classic bypasses.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hyperdef::serve {

// One URL prefix served from one directory. `prefix` starts and ends with '/' ("/" or "/run/");
// `root` must exist. `index` (e.g. "index.html") is served for the prefix itself, if non-empty.
struct Mount {
  std::string prefix;
  std::filesystem::path root;
  std::string index;
};

// A file that may be served: its canonical path and which mount it came from.
struct ResolvedFile {
  std::filesystem::path path;
  size_t mount = 0;  // index into the mounts vector
};

// The mounts with their roots made canonical (symlinks followed). Throws std::runtime_error
// naming the directory if a root does not exist or is not a directory.
std::vector<Mount> CanonicalMounts(std::vector<Mount> mounts);

// The regular file that the decoded URL path `url_path` names under `mounts` (already canonical,
// see CanonicalMounts; the longest matching prefix wins), or nullopt if it names nothing that may
// be served. Never throws for any input.
std::optional<ResolvedFile> ResolveRequestPath(const std::vector<Mount>& mounts,
                                               std::string_view url_path);

// The media type for a file name, from its extension (lower-cased): text/html, text/javascript,
// application/json for .json and .czml, text/csv, image/png, ... ; application/octet-stream when
// unknown. Text types carry "; charset=utf-8".
std::string ContentTypeFor(const std::filesystem::path& file);

}  // namespace hyperdef::serve
