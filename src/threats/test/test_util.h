// Helpers shared by the threat tests: reading the shared reference CSV tables.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace hyperdef::threats::testing {

// Rows of numbers from a reference CSV (lines starting with '#' and the header are skipped).
// Fails the calling test if the file is missing: validation must not pass silently.
inline std::vector<std::vector<double>> ReadReferenceTable(const std::string& name) {
  const std::string path = std::string(HYPERDEF_REFERENCE_DIR) + "/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "missing reference table " << path;
  std::vector<std::vector<double>> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::vector<double> row;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) row.push_back(cell.empty() ? 0.0 : std::stod(cell));
    rows.push_back(row);
  }
  return rows;
}

}  // namespace hyperdef::threats::testing
