// Errors: one catalogue of how hyperdef says "your input is wrong".
// User input is checked at the edge and rejected with `file:line:col: key: message (got X)`;
// inside, invariants are asserts (HYPERDEF_ASSERT) that stay on in every build.
#pragma once

#include <stdexcept>
#include <string>

namespace hyperdef::core {

// Where a value came from in a user file. line/column are 1-based; 0 means unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

// A problem with user input (scenario file, command-line option). The CLI turns it into exit
// code 2.
class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, std::string key, std::string message);
  const SourceLocation& where() const { return where_; }
  const std::string& key() const { return key_; }
  const std::string& message() const { return message_; }

 private:
  SourceLocation where_;
  std::string key_;
  std::string message_;
};

// An internal invariant was broken: a bug in hyperdef, not in the user's input.
class InvariantError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void FailInvariant(const char* condition, const char* file, int line);

}  // namespace hyperdef::core

#define HYPERDEF_ASSERT(cond) \
  ((cond) ? static_cast<void>(0) : ::hyperdef::core::FailInvariant(#cond, __FILE__, __LINE__))
