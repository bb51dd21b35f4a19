#include "sim/coverage.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "earth/wgs84.h"
#include "orbits/j2_propagator.h"
#include "sensors/line_of_sight.h"
#include "sensors/space_ir.h"
#include "sim/run.h"

namespace hyperdef::sim {

using core::Vec3;

namespace {

core::InputError OptionError(const std::string& key, const std::string& message) {
  return core::InputError({"", 0, 0}, key, message);
}

// Adds one sample to running custody statistics; `gap` is the stretch without stereo so far.
void Accumulate(const CoverageSample& s, CustodyStats* st, double* gap) {
  st->seconds += s.weight_s;
  if (s.n_visible >= 1) st->seen1_s += s.weight_s;
  if (s.n_visible >= 2) st->seen2_s += s.weight_s;
  if (s.n_visible >= 3) st->seen3_s += s.weight_s;
  *gap = s.n_visible >= 2 ? 0.0 : *gap + s.weight_s;
  st->longest_stereo_gap_s = std::max(st->longest_stereo_gap_s, *gap);
}

double AreaWeightedMean(const CoverageMap& m, const std::vector<double>& v) {
  double sum = 0.0, weight = 0.0;
  for (int i = 0; i < m.n_lat; ++i) {
    // Exact band area on the sphere (sin difference), so the mean does not depend on the grid.
    const double w = std::sin((m.LatDeg(i) + 0.5 * m.grid_deg) * core::kDegToRad) -
                     std::sin((m.LatDeg(i) - 0.5 * m.grid_deg) * core::kDegToRad);
    for (int j = 0; j < m.n_lon; ++j) {
      sum += w * v[static_cast<size_t>(i * m.n_lon + j)];
      weight += w;
    }
  }
  return weight > 0.0 ? sum / weight : 0.0;
}

}  // namespace

void CoverageOptions::Validate() const {
  if (!(altitude_m >= 0.0 && altitude_m <= 1e6))
    throw OptionError("--altitude-km",
                      fmt::format("must be in [0, 1000] (got {})", altitude_m / 1e3));
  const double cells = 180.0 / grid_deg;
  if (!(grid_deg > 0.0 && grid_deg <= 90.0) || std::abs(cells - std::round(cells)) > 1e-6)
    throw OptionError("--grid-deg", fmt::format("must divide 180, at most 90 (got {})", grid_deg));
  if (!(step_s > 0.0)) throw OptionError("--step-s", fmt::format("must be > 0 (got {})", step_s));
  if (!(threat_step_s >= 0.0))
    throw OptionError("threat_step_s", fmt::format("must be >= 0 (got {})", threat_step_s));
}

double CoverageMap::MeanStereo() const { return AreaWeightedMean(*this, stereo_fraction); }
double CoverageMap::MeanSingle() const { return AreaWeightedMean(*this, single_fraction); }

int VisibleSatelliteCount(const ScenarioSpec& spec, const SpaceLayerSpec& layer, double t_s,
                          const Vec3& target_r_Ecef) {
  std::vector<Vec3> sats;
  layer.Propagator().PositionsEcef(spec.epoch, t_s, &sats);
  const Vec3 sun = sensors::SunDirectionEcef(spec.epoch, t_s);
  return static_cast<int>(
      sensors::CandidateSatellites(layer.sensor, sats, target_r_Ecef, &sun).size());
}

ThreatCoverage ComputeThreatCoverage(const ScenarioSpec& spec, const SpaceLayerSpec& layer,
                                     const threats::Trajectory& tr, double step_s) {
  HYPERDEF_ASSERT(step_s > 0.0);
  ThreatCoverage out;
  out.threat_id = tr.threat_id;
  if (tr.samples.size() < 2) return out;
  out.start_s = tr.samples.front().t_s;
  out.end_s = tr.samples.back().t_s;
  // Sample times: the launch, then the frame grid k * step_s strictly inside the flight.
  std::vector<double> times{out.start_s};
  for (long k = static_cast<long>(std::floor(out.start_s / step_s)) + 1;; ++k) {
    const double t = static_cast<double>(k) * step_s;
    if (t >= out.end_s) break;
    if (t > out.start_s) times.push_back(t);
  }
  const orbits::J2SecularBatch batch = layer.Propagator();
  sensors::IrVisibilityCuller culler(layer.sensor);
  std::vector<Vec3> sats;
  std::vector<int> visible;
  for (size_t k = 0; k < times.size(); ++k) {
    CoverageSample s;
    s.t_s = times[k];
    s.weight_s = (k + 1 < times.size() ? times[k + 1] : out.end_s) - times[k];
    flight::State x;
    if (!tr.StateAt(s.t_s, &x, &s.phase)) continue;  // cannot happen: t inside the samples
    batch.PositionsEcef(spec.epoch, s.t_s, &sats);
    culler.SetSatellites(sats);
    const Vec3 sun = sensors::SunDirectionEcef(spec.epoch, s.t_s);
    culler.Candidates(flight::PositionOf(x), &sun, &visible);
    s.n_visible = static_cast<int>(visible.size());
    out.samples.push_back(s);
  }
  // Overall and per phase; a phase's gap counts only time inside that phase (a phase may recur,
  // e.g. a skip glide, so each keeps its own running gap, reset when the phase is left).
  double gap_all = 0.0;
  std::vector<double> gap_phase;
  threats::Phase previous = threats::Phase::kImpact;
  for (const CoverageSample& s : out.samples) {
    Accumulate(s, &out.overall, &gap_all);
    auto it = std::find_if(out.phases.begin(), out.phases.end(),
                           [&](const PhaseCoverage& p) { return p.phase == s.phase; });
    if (it == out.phases.end()) {
      out.phases.push_back({s.phase, {}});
      gap_phase.push_back(0.0);
      it = out.phases.end() - 1;
    }
    double& gap = gap_phase[static_cast<size_t>(it - out.phases.begin())];
    if (s.phase != previous) gap = 0.0;
    Accumulate(s, &it->stats, &gap);
    previous = s.phase;
  }
  return out;
}

CoverageMap ComputeCoverageMap(const ScenarioSpec& spec, const SpaceLayerSpec& layer,
                               const CoverageOptions& options) {
  options.Validate();
  CoverageMap m;
  m.grid_deg = options.grid_deg;
  m.altitude_m = options.altitude_m;
  m.step_s = options.step_s;
  m.n_lat = static_cast<int>(std::lround(180.0 / options.grid_deg));
  m.n_lon = 2 * m.n_lat;
  const size_t cells = static_cast<size_t>(m.n_lat) * static_cast<size_t>(m.n_lon);
  // The grid is fixed in ECEF: convert once (GeographicLib), then only satellites move.
  std::vector<Vec3> cell_r(cells);
  for (int i = 0; i < m.n_lat; ++i)
    for (int j = 0; j < m.n_lon; ++j)
      cell_r[static_cast<size_t>(i * m.n_lon + j)] = earth::EcefFromGeodetic(
          {m.LatDeg(i) * core::kDegToRad, m.LonDeg(j) * core::kDegToRad, options.altitude_m});
  std::vector<long> n1(cells, 0), n2(cells, 0);
  m.frames = static_cast<long>(std::floor(spec.duration_s / options.step_s + 1e-9)) + 1;
  const orbits::J2SecularBatch batch = layer.Propagator();
  sensors::IrVisibilityCuller culler(layer.sensor);
  std::vector<Vec3> sats;
  std::vector<int> visible;
  // Per frame and cell, the culler's cheap central-angle test rejects most satellites with one
  // dot product; the exact tests run only near the footprint (measured in docs/outputs.md).
  for (long f = 0; f < m.frames; ++f) {
    const double t = static_cast<double>(f) * options.step_s;
    batch.PositionsEcef(spec.epoch, t, &sats);
    culler.SetSatellites(sats);
    const Vec3 sun = sensors::SunDirectionEcef(spec.epoch, t);
    for (size_t c = 0; c < cells; ++c) {
      culler.Candidates(cell_r[c], &sun, &visible);
      if (visible.size() >= 1) ++n1[c];
      if (visible.size() >= 2) ++n2[c];
    }
  }
  m.stereo_fraction.resize(cells);
  m.single_fraction.resize(cells);
  for (size_t c = 0; c < cells; ++c) {
    m.stereo_fraction[c] = static_cast<double>(n2[c]) / static_cast<double>(m.frames);
    m.single_fraction[c] = static_cast<double>(n1[c]) / static_cast<double>(m.frames);
  }
  return m;
}

CoverageResult ComputeCoverage(const ScenarioSpec& spec, const CoverageOptions& options,
                               const std::vector<threats::Trajectory>& trajectories) {
  options.Validate();
  if (spec.space_layers.empty())
    throw core::InputError({spec.file, 0, 0}, "sensors",
                           "coverage needs at least one space_ir layer (found none)");
  CoverageResult out;
  out.options = options;
  for (const SpaceLayerSpec& layer : spec.space_layers) {
    LayerCoverage lc;
    lc.layer_id = layer.sensor.id;
    lc.satellites = layer.satellites.size();
    lc.threat_step_s =
        options.threat_step_s > 0.0 ? options.threat_step_s : layer.sensor.frame_time_s;
    for (const threats::Trajectory& tr : trajectories)
      lc.threats.push_back(ComputeThreatCoverage(spec, layer, tr, lc.threat_step_s));
    lc.map = ComputeCoverageMap(spec, layer, options);
    out.layers.push_back(std::move(lc));
  }
  return out;
}

CoverageResult ComputeCoverage(const ScenarioSpec& spec, const CoverageOptions& options) {
  // Check the cheap things before flying every threat.
  options.Validate();
  if (spec.space_layers.empty()) return ComputeCoverage(spec, options, {});
  return ComputeCoverage(spec, options, FlyThreats(spec));
}

}  // namespace hyperdef::sim
