// End-to-end tests of the command line: exit codes, error messages, outputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli_util.h"

namespace {

namespace fs = std::filesystem;

using hyperdef::testing::RunCli;
using hyperdef::testing::TempDir;

std::string Scenario(const std::string& name) {
  return std::string(HYPERDEF_SOURCE_DIR) + "/scenarios/" + name;
}

TEST(Cli, VersionAndHelp) {
  EXPECT_EQ(RunCli("--version").code, 0);
  EXPECT_NE(RunCli("--version").output.find("hyperdef"), std::string::npos);
  for (const char* verb : {"run", "validate"}) {
    const auto r = RunCli(std::string(verb) + " --help");
    EXPECT_EQ(r.code, 0) << verb;
    EXPECT_NE(r.output.find("scenario"), std::string::npos) << r.output;
  }
}

TEST(Cli, ExamplesValidate) {
  for (const char* f : {"regional.yaml", "ballistic.yaml", "boost_glide.yaml",
                        "glider_from_state.yaml", "cruise.yaml"}) {
    const auto r = RunCli("validate " + Scenario(f));
    EXPECT_EQ(r.code, 0) << f << ": " << r.output;
  }
}

// The issue's own example of an error: file:line:col: key path: what is wrong (got X).
TEST(Cli, BadValueNamesFileLineKeyAndValueAndExitsTwo) {
  const fs::path dir = TempDir("bad");
  const fs::path f = dir / "regional.yaml";
  std::ofstream(f)
      << "name: bad\n"                                                             // 1
         "epoch_utc: 2027-01-01T00:00:00Z\n"                                       // 2
         "threats:\n"                                                              // 3
         "  - id: bm\n"                                                            // 4
         "    class: ballistic\n"                                                  // 5
         "    launch: {lat_deg: 40, lon_deg: 127}\n"                               // 6
         "    aim: {lat_deg: 37, lon_deg: 131}\n"                                  // 7
         "    rv: {mass_kg: 1000, ballistic_coefficient_kgpm2: 5000}\n"            // 8
         "    booster:\n"                                                          // 9
         "      stages:\n"                                                         // 10
         "        - {wet_mass_kg: 10000, propellant_mass_kg: 8000, isp_s: 250,\n"  // 11
         "           burn_time_s: 60, diameter_m: 1}\n"                            // 12
         "        - wet_mass_kg: 3000\n"                                           // 13
         "          isp_s: -3\n"                                                   // 14
         "          propellant_mass_kg: 2000\n"
         "          burn_time_s: 60\n"
         "          diameter_m: 1\n";
  const fs::path out = dir / "out";
  const auto r = RunCli("run " + f.string() + " --out " + out.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find(
                "regional.yaml:14:18: threats[0].booster.stages[1].isp_s: must be > 0 (got -3)"),
            std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(out)) << "nothing may be written on bad input";
  const auto v = RunCli("validate " + f.string());
  EXPECT_EQ(v.code, 2);
}

TEST(Cli, UnknownKeyIsAnError) {
  const fs::path dir = TempDir("unknown");
  const fs::path f = dir / "s.yaml";
  std::ofstream(f) << "epoch_utc: 2027-01-01T00:00:00Z\n"
                      "threats:\n"
                      "  - id: g\n"
                      "    class: boost_glide\n"
                      "    entry: {lat_deg: 30, lon_deg: 120, alt_km: 100, speed_mps: 6000, "
                      "flight_path_deg: -5}\n"
                      "    aim: {lat_deg: 30, lon_deg: 140}\n"
                      "    glider: {lift_to_dragg: 2.6}\n";
  const auto r = RunCli("validate " + f.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("s.yaml:7:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("lift_to_dragg"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("lift_to_drag"), std::string::npos) << r.output;
}

TEST(Cli, RunWritesSummaryAndTruth) {
  const fs::path out = TempDir("run") / "out";
  const auto r = RunCli("run " + Scenario("glider_from_state.yaml") + " --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  std::ifstream in(out / "summary.json");
  const nlohmann::json j = nlohmann::json::parse(in);
  ASSERT_EQ(j["threats"].size(), 1u);
  const auto& t = j["threats"][0];
  for (const char* k :
       {"id", "class", "launch_time_s", "impact_time_s", "ground_range_km", "apogee_km",
        "max_speed_mps", "max_mach", "impact", "distance_from_aimpoint_m"})
    EXPECT_TRUE(t.contains(k)) << k;
  EXPECT_EQ(t["class"], "boost_glide");
  EXPECT_TRUE(t["impacted"].get<bool>());
  EXPECT_GT(t["ground_range_km"].get<double>(), 2500.0);  // aimpoint ~2,980 km away
  std::ifstream csv(out / "truth.csv");
  std::string header, line;
  std::getline(csv, header);
  EXPECT_EQ(header.rfind("threat_id,t_s,phase,x_ecef_m", 0), 0u);
  int rows = 0;
  while (std::getline(csv, line)) ++rows;
  EXPECT_GT(rows, 500);
  for (const auto& e : fs::directory_iterator(out))
    EXPECT_EQ(e.path().filename().string().rfind(".", 0), std::string::npos) << "temp file left";
}

// The regional example with its tracker: tracks.csv, assessment.json and the summary's tracking
// block are written and hold what docs/outputs.md promises.
TEST(Cli, RunWithTrackerWritesTracksAndAssessment) {
  const fs::path out = TempDir("track") / "out";
  const auto r = RunCli("run " + Scenario("regional.yaml") + " --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("tracker:"), std::string::npos) << r.output;
  std::ifstream in(out / "summary.json");
  const nlohmann::json j = nlohmann::json::parse(in);
  ASSERT_TRUE(j.contains("tracking"));
  const auto& t = j["tracking"];
  EXPECT_EQ(t["filter"], "imm");
  ASSERT_EQ(t["threats"].size(), 3u);
  for (const auto& m : t["threats"]) {
    for (const char* k : {"custody_fraction", "time_to_confirmed_track_s", "rmse_position_m",
                          "nees", "track_breaks", "id_swaps", "fire_control_fraction"})
      EXPECT_TRUE(m.contains(k)) << k;
    EXPECT_GT(m["custody_fraction"].get<double>(), 0.3) << m["threat_id"];
  }
  std::ifstream csv(out / "tracks.csv");
  std::string header, line;
  std::getline(csv, header);
  EXPECT_EQ(header.rfind("t_s,track_id,status,x_ecef_m", 0), 0u) << header;
  EXPECT_NE(header.find("scored_truth_id"), std::string::npos);
  int confirmed = 0;
  while (std::getline(csv, line)) confirmed += line.find(",confirmed,") != std::string::npos;
  EXPECT_GT(confirmed, 500);
  // detections.csv: every row has the header's columns (IR and radar rows alike).
  std::ifstream dcsv(out / "detections.csv");
  std::getline(dcsv, header);
  const auto fields = [](const std::string& l) { return std::count(l.begin(), l.end(), ',') + 1; };
  int rows = 0;
  while (std::getline(dcsv, line)) {
    ASSERT_EQ(fields(line), fields(header)) << line;
    ++rows;
  }
  EXPECT_GT(rows, 1000);
  std::ifstream ain(out / "assessment.json");
  const nlohmann::json a = nlohmann::json::parse(ain);
  ASSERT_EQ(a["assets"].size(), 2u);
  bool impact = false, footprint = false;
  for (const auto& e : a["assessments"]) {
    impact |= e.contains("impact") && !e["impact"].is_null();
    footprint |= e.contains("footprint");
  }
  EXPECT_TRUE(impact) << "no ballistic track got an impact prediction";
  EXPECT_TRUE(footprint) << "no glider track got a footprint";
}

TEST(Cli, SameScenarioSameBytes) {
  const fs::path a = TempDir("det-a"), b = TempDir("det-b");
  ASSERT_EQ(RunCli("run -q " + Scenario("regional.yaml") + " --out " + a.string()).code, 0);
  ASSERT_EQ(RunCli("run -q " + Scenario("regional.yaml") + " --out " + b.string()).code, 0);
  for (const char* f :
       {"summary.json", "truth.csv", "detections.csv", "tracks.csv", "track_errors.csv",
        "set_metrics.csv", "assessment.json", "engagements.csv"}) {
    std::ifstream fa(a / f), fb(b / f);
    std::stringstream sa, sb;
    sa << fa.rdbuf();
    sb << fb.rdbuf();
    EXPECT_EQ(sa.str(), sb.str()) << f;
  }
}

}  // namespace
