// A run's output directory. Each file is written to a temporary name beside its final one and
// renamed into place when complete, so an interrupted or failed run never leaves a half-written
// file under a final name.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

namespace hyperdef::io {

class OutputDir {
 public:
  // Creates the directory (and parents). Throws std::runtime_error naming the path on failure.
  explicit OutputDir(std::filesystem::path dir);
  const std::filesystem::path& path() const { return dir_; }
  // Writes `name` through `write`, atomically (temp file + rename). Returns the final path.
  std::filesystem::path Write(const std::string& name,
                              const std::function<void(std::ostream&)>& write) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace hyperdef::io
