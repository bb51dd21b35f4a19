// Helpers shared by the end-to-end CLI tests: run build/bin/hyperdef and capture its output.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace hyperdef::testing {

struct CliResult {
  int code = -1;
  std::string output;  // stdout + stderr
};

// Runs the CLI (HYPERDEF_CLI, a compile definition) with `args`; returns its exit code and output.
inline CliResult RunCli(const std::string& args) {
  CliResult r;
  const std::string cmd = std::string(HYPERDEF_CLI) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  while (p && fgets(buf, sizeof buf, p)) r.output += buf;
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// A fresh, empty temporary directory unique to this process and `name`.
inline std::filesystem::path TempDir(const std::string& name) {
  const std::filesystem::path d = std::filesystem::temp_directory_path() /
                                  ("hyperdef-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace hyperdef::testing
