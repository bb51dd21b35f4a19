#include "io/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "core/error.h"
#include "io/output_dir.h"
#include "io/run_outputs.h"
#include "io/test/test_util.h"
#include "sim/run.h"
#include "sim/scenario.h"

namespace hyperdef::io {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void Spit(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

fs::path TempDir(const std::string& name) {
  const fs::path d =
      fs::temp_directory_path() / ("hyperdef-report-test-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

using test_util::Tokens;

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size())
    s.replace(at, from.size(), to);
}

// Width and height from a PNG's IHDR, after checking the signature (full decoding is
// plot_test's job).
std::pair<int, int> PngSize(const std::string& png) {
  if (png.size() < 24 || png.substr(0, 8) != std::string("\x89PNG\r\n\x1a\n", 8) ||
      png.substr(12, 4) != "IHDR")
    return {-1, -1};
  const auto u32 = [&](size_t at) {
    std::uint32_t v = 0;
    for (size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(png[at + k]);
    return static_cast<int>(v);
  };
  return {u32(16), u32(20)};
}

// The regional example cut down to two threats and 700 s (a run of about a second), with its
// space layers, radars, tracker and defence: every file a run writes.
class ReportOnARun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sim::ScenarioSpec spec =
        sim::LoadScenario(std::string(HYPERDEF_SOURCE_DIR) + "/scenarios/regional.yaml");
    spec.duration_s = 700;
    std::erase_if(spec.threats, [](const auto& t) { return t.id == "bm-2"; });
    const sim::RunResult result = sim::RunScenario(spec);
    run_dir_ = new fs::path(TempDir("run"));
    WriteRunOutputs(spec, result, OutputDir(*run_dir_));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*run_dir_);
    delete run_dir_;
  }
  // A fresh copy of the run directory.
  static fs::path Copy(const std::string& name) {
    const fs::path d = TempDir(name);
    fs::copy(*run_dir_, d, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    return d;
  }
  static inline fs::path* run_dir_ = nullptr;
};

std::vector<std::string> SvgBlocks(const std::string& html) {
  std::vector<std::string> out;
  size_t at = 0;
  while ((at = html.find("<svg", at)) != std::string::npos) {
    const size_t end = html.find("</svg>", at);
    if (end == std::string::npos) break;
    out.push_back(html.substr(at, end + 6 - at));
    at = end;
  }
  return out;
}

TEST_F(ReportOnARun, EverySectionEveryPlotAndNoUrl) {
  const fs::path dir = Copy("full");
  // Monte Carlo and sweep files beside the run's (formats of `hyperdef mc` / `sweep`).
  Spit(dir / "runs.csv",
       "run,kills,leakers,shots,hgv-1.killed,hgv-1.t_detect_s,note\n"
       "0,1,1,3,1,70.5,a\n1,2,0,4,1,71.25,b\n2,0,2,2,0,,c\n3,1,1,3,0,69.0,d\n");
  Spit(dir / "sweep.csv",
       "sensors[0].walker.planes,sensors[0].walker.satellites_per_plane,runs,"
       "pk.mean,pk.ci_lo,pk.ci_hi\n"
       "3,4,10,0.5,0.3,0.7\n4,4,10,0.6,0.4,0.8\n3,6,10,0.7,0.5,0.9\n4,6,10,0.8,0.6,0.95\n");
  nlohmann::ordered_json summary = nlohmann::ordered_json::parse(Slurp(dir / "summary.json"));
  summary["monte_carlo"] = {{"runs", 4},
                            {"kills", {{"mean", 1.0}, {"ci_lo", 0.2}, {"ci_hi", 1.8}}},
                            {"leakers", {{"mean", 1.0}, {"ci_lo", 0.2}, {"ci_hi", 1.8}}}};
  Spit(dir / "summary.json", summary.dump(1));

  const std::vector<fs::path> written = WriteReport(dir);
  ASSERT_FALSE(written.empty());
  EXPECT_EQ(written.front(), dir / "report.html");
  const std::string html = Slurp(dir / "report.html");
  for (const char* id :
       {"summary", "trajectories", "sensors", "tracking", "engagement", "monte-carlo", "sweep"}) {
    EXPECT_NE(html.find(std::string("<section id=\"") + id + "\">"), std::string::npos) << id;
  }
  // Self-contained: no URL of any scheme, no script, no external resource.
  EXPECT_EQ(html.find("http"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);

  // One inline SVG per PNG, and every PNG named in the page exists and has the figure's size.
  const std::vector<std::string> svgs = SvgBlocks(html);
  std::set<std::string> named;
  for (const std::string& name : Tokens(html, "href=\"plots/", "\"")) named.insert(name);
  EXPECT_EQ(named.size(), svgs.size());
  EXPECT_EQ(written.size(), svgs.size() + 1);
  for (const std::string& name : named) {
    const auto [w, h] = PngSize(Slurp(dir / "plots" / name));
    EXPECT_GT(w, 100) << name;
    EXPECT_GT(h, 100) << name;
  }
  // The figures each section promises.
  for (const char* name :
       {"trajectory_altitude_range.png", "trajectory_speed_range.png", "sensor_timeline.png",
        "sensor_count_layer-a.png", "sensor_count_layer-b.png", "track_error_hgv-1.png",
        "track_error_bm-1.png", "track_nees.png", "engagement_timeline.png", "mc_kills.png",
        "mc_hgv-1.t_detect_s.png", "sweep_pk.png"}) {
    EXPECT_TRUE(named.count(name)) << name;
  }
  EXPECT_FALSE(named.count("mc_run.png"));   // the run number is not a distribution
  EXPECT_FALSE(named.count("mc_note.png"));  // nor is a text column
  // Ids are unique across the page (cairo numbers glyphs from 1 in every SVG).
  std::set<std::string> ids;
  for (const std::string& id : Tokens(html, " id=\"", "\""))
    EXPECT_TRUE(ids.insert(id).second) << id;
  // The aggregate table shows the monte_carlo block.
  EXPECT_NE(html.find("<td>kills</td>"), std::string::npos);
  // No temporary file left behind.
  for (const auto& e : fs::recursive_directory_iterator(dir))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST_F(ReportOnARun, SameInputSameBytes) {
  const fs::path a = Copy("det-a"), b = Copy("det-b");
  WriteReport(a);
  WriteReport(b);
  // The page names its directory; with that replaced the two reports are identical.
  std::string ha = Slurp(a / "report.html"), hb = Slurp(b / "report.html");
  ReplaceAll(ha, a.string(), "DIR");
  ReplaceAll(hb, b.string(), "DIR");
  // (Compared as a bool: a failure would otherwise print two megabytes of SVG.)
  EXPECT_TRUE(ha == hb) << "reports differ from byte "
                        << std::mismatch(ha.begin(), ha.end(), hb.begin(), hb.end()).first -
                               ha.begin();
  EXPECT_EQ(Slurp(a / "plots" / "track_nees.png"), Slurp(b / "plots" / "track_nees.png"));
}

TEST_F(ReportOnARun, MissingFilesDropSectionsAndEmptyFilesGiveNotes) {
  const fs::path dir = Copy("partial");
  fs::remove(dir / "truth.csv");
  fs::remove(dir / "track_errors.csv");
  {
    // Header only.
    const std::string head =
        Slurp(dir / "detections.csv").substr(0, Slurp(dir / "detections.csv").find('\n') + 1);
    Spit(dir / "detections.csv", head);
  }
  Spit(dir / "runs.csv", "");  // zero bytes
  WriteReport(dir);
  const std::string html = Slurp(dir / "report.html");
  EXPECT_EQ(html.find("id=\"trajectories\""), std::string::npos);
  EXPECT_EQ(html.find("id=\"sweep\""), std::string::npos);
  EXPECT_NE(html.find("detections.csv has no rows"), std::string::npos);
  EXPECT_NE(html.find("runs.csv has no runs"), std::string::npos);
  EXPECT_EQ(html.find("track_error_"), std::string::npos);
  EXPECT_NE(html.find("id=\"engagement\""), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "plots" / "trajectory_altitude_range.png"));
}

TEST(Report, NotARunDirectoryNamesThePath) {
  const fs::path dir = TempDir("empty");
  try {
    WriteReport(dir);
    FAIL() << "expected InputError";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(dir.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("summary.json"), std::string::npos) << e.what();
  }
  EXPECT_THROW(WriteReport(dir / "absent"), core::InputError);
  Spit(dir / "summary.json", "{ not json");
  try {
    WriteReport(dir);
    FAIL() << "expected InputError";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("summary.json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("JSON"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "report.html"));  // nothing written on failure
  fs::remove_all(dir);
}

TEST(Report, SummaryAloneGivesAPage) {
  const fs::path dir = TempDir("summary-only");
  Spit(dir / "summary.json", R"({"scenario": {"name": "x<y"}, "threats": []})");
  const std::vector<fs::path> written = WriteReport(dir);
  EXPECT_EQ(written.size(), 1u);
  const std::string html = Slurp(dir / "report.html");
  EXPECT_NE(html.find("x&lt;y"), std::string::npos);  // escaped
  EXPECT_EQ(html.find("x<y"), std::string::npos);
  fs::remove_all(dir);
}

TEST(SweepFigures, OneSeriesPerCombinationSortedWithCi) {
  const fs::path dir = TempDir("sweep");
  Spit(dir / "sweep.csv",
       "a.planes,a.spp,runs,pk.mean,pk.ci_lo,pk.ci_hi,custody.mean,custody.ci_lo,custody.ci_hi\n"
       "5,4,10,0.5,0.3,0.7,0.9,0.8,1.0\n"
       "3,4,10,0.4,0.2,0.6,0.8,0.7,0.9\n"
       "3,6,10,0.7,0.5,0.9,0.85,0.8,0.9\n"
       "5,6,10,0.8,0.6,0.95,,,\n");
  const std::vector<NamedFigure> figs = SweepFigures(dir / "sweep.csv");
  ASSERT_EQ(figs.size(), 2u);
  EXPECT_EQ(figs[0].name, "sweep_pk");
  EXPECT_EQ(figs[1].name, "sweep_custody");
  const plot::Figure& f = figs[0].figure;
  EXPECT_EQ(f.x_label, "a.planes");
  ASSERT_EQ(f.series.size(), 2u);
  EXPECT_EQ(f.series[0].label, "spp=4");
  EXPECT_EQ(f.series[1].label, "spp=6");
  EXPECT_EQ(f.series[0].x, (std::vector<double>{3, 5}));  // sorted by the swept value
  EXPECT_EQ(f.series[0].y, (std::vector<double>{0.4, 0.5}));
  EXPECT_EQ(f.series[0].y_lo, (std::vector<double>{0.2, 0.3}));
  EXPECT_EQ(f.series[0].y_hi, (std::vector<double>{0.6, 0.7}));
  EXPECT_TRUE(std::isnan(figs[1].figure.series[1].y[1]));  // empty cell: no value

  const std::vector<fs::path> pngs = WriteSweepPlots(dir);
  ASSERT_EQ(pngs.size(), 2u);
  EXPECT_EQ(pngs[0], dir / "plots" / "sweep_pk.png");
  EXPECT_EQ(PngSize(Slurp(pngs[0])), (std::pair<int, int>{800, 450}));

  // A non-numeric first key becomes categories in order of appearance; one key: no legend label.
  Spit(dir / "sweep.csv", "tracker.association,runs,pk.mean\njpda,5,0.6\ngnn,5,0.5\n");
  const std::vector<NamedFigure> cat = SweepFigures(dir / "sweep.csv");
  ASSERT_EQ(cat.size(), 1u);
  EXPECT_EQ(cat[0].figure.x_categories, (std::vector<std::string>{"jpda", "gnn"}));
  ASSERT_EQ(cat[0].figure.series.size(), 1u);
  EXPECT_EQ(cat[0].figure.series[0].label, "");
  EXPECT_EQ(cat[0].figure.series[0].x, (std::vector<double>{0, 1}));

  Spit(dir / "sweep.csv", "a,b,pk.mean\n1,2,3\n");
  try {
    SweepFigures(dir / "sweep.csv");
    FAIL() << "expected InputError";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("sweep.csv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("runs"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

TEST(PlotFileStem, ReplacesUnsafeCharacters) {
  EXPECT_EQ(PlotFileStem("sweep_hgv-1.killed"), "sweep_hgv-1.killed");
  EXPECT_EQ(PlotFileStem("a/b c[0]"), "a_b_c_0_");
  EXPECT_EQ(PlotFileStem("../x"), "_.._x");
}

}  // namespace
}  // namespace hyperdef::io
