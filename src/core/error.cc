#include "core/error.h"

#include <fmt/format.h>

namespace hyperdef::core {

namespace {
std::string Format(const SourceLocation& where, const std::string& key,
                   const std::string& message) {
  std::string prefix = where.file.empty() ? std::string("<input>") : where.file;
  if (where.line > 0) prefix += fmt::format(":{}", where.line);
  if (where.line > 0 && where.column > 0) prefix += fmt::format(":{}", where.column);
  if (key.empty()) return fmt::format("{}: {}", prefix, message);
  return fmt::format("{}: {}: {}", prefix, key, message);
}
}  // namespace

InputError::InputError(SourceLocation where, std::string key, std::string message)
    : std::runtime_error(Format(where, key, message)),
      where_(std::move(where)),
      key_(std::move(key)),
      message_(std::move(message)) {}

void FailInvariant(const char* condition, const char* file, int line) {
  throw InvariantError(fmt::format("internal invariant broken: {} ({}:{})", condition, file, line));
}

}  // namespace hyperdef::core
