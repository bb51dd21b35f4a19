#include "io/output_dir.h"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

namespace hyperdef::io {

OutputDir::OutputDir(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec || !std::filesystem::is_directory(dir_)) {
    throw std::runtime_error(
        fmt::format("cannot create output directory '{}': {}", dir_.string(), ec.message()));
  }
}

std::filesystem::path OutputDir::Write(const std::string& name,
                                       const std::function<void(std::ostream&)>& write) const {
  const std::filesystem::path final_path = dir_ / name;
  const std::filesystem::path tmp = dir_ / fmt::format(".{}.tmp-{}", name, ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(fmt::format("cannot write '{}'", tmp.string()));
    write(out);
    out.flush();
    if (!out) {
      std::filesystem::remove(tmp);
      throw std::runtime_error(fmt::format("error writing '{}'", tmp.string()));
    }
  }
  std::filesystem::rename(tmp, final_path);
  return final_path;
}

}  // namespace hyperdef::io
