#include "io/coverage_outputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "io/png.h"
#include "io/run_outputs.h"

namespace hyperdef::io {

using nlohmann::ordered_json;

namespace {

ordered_json StatsJson(const sim::CustodyStats& s) {
  ordered_json j;
  j["seconds"] = s.seconds;
  j["seen_1_s"] = s.seen1_s;
  j["seen_2_s"] = s.seen2_s;
  j["seen_3_s"] = s.seen3_s;
  j["seen_1_fraction"] = s.Fraction(s.seen1_s);
  j["seen_2_fraction"] = s.Fraction(s.seen2_s);
  j["seen_3_fraction"] = s.Fraction(s.seen3_s);
  j["longest_stereo_gap_s"] = s.longest_stereo_gap_s;
  return j;
}

}  // namespace

ordered_json CoverageJson(const sim::ScenarioSpec& spec, const sim::CoverageResult& result) {
  ordered_json j = ScenarioHeaderJson(spec);
  j["options"] = {{"altitude_m", result.options.altitude_m},
                  {"grid_deg", result.options.grid_deg},
                  {"step_s", result.options.step_s}};
  ordered_json layers = ordered_json::array();
  for (const sim::LayerCoverage& l : result.layers) {
    ordered_json lj;
    lj["id"] = l.layer_id;
    lj["satellites"] = l.satellites;
    lj["threat_step_s"] = l.threat_step_s;
    ordered_json threats = ordered_json::array();
    for (const sim::ThreatCoverage& t : l.threats) {
      ordered_json tj;
      tj["id"] = t.threat_id;
      tj["start_s"] = t.start_s;
      tj["end_s"] = t.end_s;
      tj["overall"] = StatsJson(t.overall);
      ordered_json phases = ordered_json::array();
      for (const sim::PhaseCoverage& p : t.phases) {
        ordered_json pj;
        pj["phase"] = threats::PhaseName(p.phase);
        pj.update(StatsJson(p.stats));
        phases.push_back(pj);
      }
      tj["phases"] = phases;
      threats.push_back(tj);
    }
    lj["threats"] = threats;
    const sim::CoverageMap& m = l.map;
    const auto [smin, smax] =
        std::minmax_element(m.stereo_fraction.begin(), m.stereo_fraction.end());
    lj["map"] = {{"n_lat", m.n_lat},
                 {"n_lon", m.n_lon},
                 {"frames", m.frames},
                 {"mean_stereo_fraction", m.MeanStereo()},
                 {"mean_single_fraction", m.MeanSingle()},
                 {"min_stereo_fraction", m.stereo_fraction.empty() ? 0.0 : *smin},
                 {"max_stereo_fraction", m.stereo_fraction.empty() ? 0.0 : *smax},
                 {"png", CoverageMapPngName(l.layer_id)}};
    layers.push_back(lj);
  }
  j["layers"] = layers;
  return j;
}

void WriteCoverageThreatsCsv(const sim::CoverageResult& result, std::ostream& out) {
  out << "t_s,threat_id,layer_id,phase,n_visible\n";
  for (const sim::LayerCoverage& l : result.layers)
    for (const sim::ThreatCoverage& t : l.threats)
      for (const sim::CoverageSample& s : t.samples)
        out << fmt::format("{:.3f},{},{},{},{}\n", s.t_s, t.threat_id, l.layer_id,
                           threats::PhaseName(s.phase), s.n_visible);
}

void WriteCoverageMapCsv(const sim::CoverageResult& result, std::ostream& out) {
  out << "lat_deg,lon_deg,layer_id,stereo_fraction,single_fraction\n";
  for (const sim::LayerCoverage& l : result.layers) {
    const sim::CoverageMap& m = l.map;
    for (int i = 0; i < m.n_lat; ++i)
      for (int j = 0; j < m.n_lon; ++j) {
        const size_t c = static_cast<size_t>(i * m.n_lon + j);
        out << fmt::format("{:.4f},{:.4f},{},{:.6f},{:.6f}\n", m.LatDeg(i), m.LonDeg(j), l.layer_id,
                           m.stereo_fraction[c], m.single_fraction[c]);
      }
  }
}

std::string CoverageMapPngName(const std::string& layer_id) {
  std::string s = layer_id;
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') c = '_';
  return "coverage_map_" + s + ".png";
}

void WriteCoverageOutputs(const sim::ScenarioSpec& spec, const sim::CoverageResult& result,
                          const OutputDir& dir) {
  dir.Write("coverage_threats.csv", [&](std::ostream& o) { WriteCoverageThreatsCsv(result, o); });
  dir.Write("coverage_map.csv", [&](std::ostream& o) { WriteCoverageMapCsv(result, o); });
  for (const sim::LayerCoverage& l : result.layers) {
    const sim::CoverageMap& m = l.map;
    // About 720 pixels wide whatever the grid, at least one pixel per cell.
    const int cell_px = std::max(1, 720 / std::max(1, m.n_lon));
    const RgbImage img = HeatMapImage(m.stereo_fraction, m.n_lat, m.n_lon, m.grid_deg, cell_px);
    dir.Write(CoverageMapPngName(l.layer_id), [&](std::ostream& o) { WritePng(img, o); });
  }
  // Last: its presence means the other files are complete.
  dir.Write("coverage.json",
            [&](std::ostream& o) { o << CoverageJson(spec, result).dump(2) << "\n"; });
}

}  // namespace hyperdef::io
