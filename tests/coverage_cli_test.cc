// End-to-end test of `hyperdef coverage`: files written, JSON naming the layer and the threats.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "cli_util.h"

namespace {

namespace fs = std::filesystem;

using hyperdef::testing::RunCli;

TEST(CoverageCli, RegionalWritesJsonCsvAndPng) {
  const fs::path dir =
      fs::temp_directory_path() / ("hyperdef-coverage-cli-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string scenario = std::string(HYPERDEF_SOURCE_DIR) + "/scenarios/regional.yaml";
  const auto r =
      RunCli("coverage " + scenario + " --out " + dir.string() + " --grid-deg 10 --step-s 60");
  ASSERT_EQ(r.code, 0) << r.output;
  for (const char* f :
       {"coverage.json", "coverage_threats.csv", "coverage_map.csv", "coverage_map_layer-a.png"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  const nlohmann::json j = nlohmann::json::parse(std::ifstream(dir / "coverage.json"));
  // Every space layer of the scenario, each with every threat; layer-a is the 28-satellite one.
  ASSERT_GE(j["layers"].size(), 1u);
  bool found_a = false;
  for (const auto& layer : j["layers"]) {
    const std::string id = layer["id"].get<std::string>();
    EXPECT_TRUE(fs::exists(dir / ("coverage_map_" + id + ".png"))) << id;
    if (id == "layer-a") {
      found_a = true;
      EXPECT_EQ(layer["satellites"], 28);
    }
    std::set<std::string> ids;
    for (const auto& t : layer["threats"]) ids.insert(t["id"].get<std::string>());
    EXPECT_EQ(ids, (std::set<std::string>{"hgv-1", "bm-1", "bm-2"})) << id;
    EXPECT_EQ(layer["map"]["n_lat"], 18);
    EXPECT_EQ(layer["map"]["n_lon"], 36);
  }
  EXPECT_TRUE(found_a);
  EXPECT_EQ(RunCli("coverage --help").code, 0);
  EXPECT_EQ(RunCli("coverage " + scenario + " --out " + dir.string() + " --grid-deg 7").code, 2);
  fs::remove_all(dir);
}

}  // namespace
