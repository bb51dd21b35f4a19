#include "io/czml.h"

#include <fmt/format.h>

#include <Eigen/Eigenvalues>
#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

#include "core/constants.h"
#include "core/frames.h"
#include "earth/wgs84.h"
#include "orbits/j2_propagator.h"
#include "threats/trajectory.h"
#include "tracking/types.h"

namespace hyperdef::io {

using core::Vec3;
using nlohmann::ordered_json;

// ---- Thinning ---------------------------------------------------------------------------------

namespace {

double Norm(const double* a, int dim) {
  double s = 0.0;
  for (int j = 0; j < dim; ++j) s += a[j] * a[j];
  return std::sqrt(s);
}

double Tolerance(const SampledSeries& s, size_t i, double tol, double rel) {
  return rel > 0.0 ? std::max(tol, rel * Norm(s.at(i), s.dim)) : tol;
}

// Reconstruction at t, where idx is the first kept sample later than t (Cesium's insertion index;
// 0 < idx < kept.size()), t strictly between two kept samples.
void ReconstructAt(const SampledSeries& s, const std::vector<size_t>& kept,
                   CzmlInterpolation interpolation, size_t idx, double t, double* out) {
  const long m = static_cast<long>(kept.size());
  const long points = std::min<long>(interpolation == CzmlInterpolation::kLinear ? 2 : 6, m);
  const long degree = points - 1;
  // SampledProperty.getValue: computedFirstIndex = index - floor(degree / 2) - 1, shifted inside.
  long first = static_cast<long>(idx) - degree / 2 - 1;
  if (first < 0) first = 0;
  long last = first + degree;
  if (last > m - 1) {
    last = m - 1;
    first = std::max(0L, last - degree);
  }
  const double t_last = s.t_s[kept[static_cast<size_t>(last)]];
  const double x = t - t_last;
  for (int j = 0; j < s.dim; ++j) out[j] = 0.0;
  // LagrangePolynomialApproximation.interpolateOrderZero (and the linear case, the same formula
  // with two points), abscissae relative to the last point of the window as Cesium takes them.
  for (long i = first; i <= last; ++i) {
    const double xi = s.t_s[kept[static_cast<size_t>(i)]] - t_last;
    double c = 1.0;
    for (long k = first; k <= last; ++k) {
      if (k == i) continue;
      const double xk = s.t_s[kept[static_cast<size_t>(k)]] - t_last;
      c *= (x - xk) / (xi - xk);
    }
    const double* v = s.at(kept[static_cast<size_t>(i)]);
    for (int j = 0; j < s.dim; ++j) out[j] += c * v[j];
  }
}

// Douglas-Peucker on the synchronised Euclidean distance (straight-line interpolation in time).
std::vector<size_t> DouglasPeucker(const SampledSeries& s, double tol, double rel) {
  const size_t n = s.size();
  std::vector<char> keep(n, 0);
  keep[0] = keep[n - 1] = 1;
  std::vector<std::pair<size_t, size_t>> stack{{0, n - 1}};
  std::vector<double> interp(static_cast<size_t>(s.dim));
  while (!stack.empty()) {
    const auto [a, b] = stack.back();
    stack.pop_back();
    if (b <= a + 1) continue;
    double worst = 1.0;
    size_t at = 0;
    const double ta = s.t_s[a], tb = s.t_s[b];
    for (size_t i = a + 1; i < b; ++i) {
      const double u = (s.t_s[i] - ta) / (tb - ta);
      double e2 = 0.0;
      for (int j = 0; j < s.dim; ++j) {
        const double d = s.at(a)[j] + u * (s.at(b)[j] - s.at(a)[j]) - s.at(i)[j];
        e2 += d * d;
      }
      const double ratio = std::sqrt(e2) / Tolerance(s, i, tol, rel);
      if (ratio > worst) {
        worst = ratio;
        at = i;
      }
    }
    if (at == 0) continue;
    keep[at] = 1;
    stack.push_back({a, at});
    stack.push_back({at, b});
  }
  std::vector<size_t> kept;
  for (size_t i = 0; i < n; ++i)
    if (keep[i]) kept.push_back(i);
  return kept;
}

}  // namespace

void ReconstructCzml(const SampledSeries& s, const std::vector<size_t>& kept,
                     CzmlInterpolation interpolation, double t_s, double* out) {
  const auto later = std::upper_bound(kept.begin(), kept.end(), t_s,
                                      [&](double t, size_t k) { return t < s.t_s[k]; });
  const size_t idx = static_cast<size_t>(later - kept.begin());
  if (idx > 0 && s.t_s[kept[idx - 1]] == t_s) {  // a kept sample: returned as it is
    std::copy(s.at(kept[idx - 1]), s.at(kept[idx - 1]) + s.dim, out);
    return;
  }
  if (idx == 0 || idx >= kept.size()) {  // outside the samples (no extrapolation here): hold
    const size_t k = idx == 0 ? kept.front() : kept.back();
    std::copy(s.at(k), s.at(k) + s.dim, out);
    return;
  }
  ReconstructAt(s, kept, interpolation, idx, t_s, out);
}

void RefineKept(const SampledSeries& s, CzmlInterpolation interpolation, double tolerance,
                double relative_tolerance, std::vector<size_t>* kept) {
  std::vector<double> r(static_cast<size_t>(s.dim));
  for (;;) {
    std::vector<size_t> added;
    for (size_t g = 0; g + 1 < kept->size(); ++g) {
      const size_t a = (*kept)[g], b = (*kept)[g + 1];
      double worst = 1.0;
      size_t at = 0;
      for (size_t i = a + 1; i < b; ++i) {
        ReconstructAt(s, *kept, interpolation, g + 1, s.t_s[i], r.data());
        double e2 = 0.0;
        for (int j = 0; j < s.dim; ++j) {
          const double d = r[static_cast<size_t>(j)] - s.at(i)[j];
          e2 += d * d;
        }
        const double ratio = std::sqrt(e2) / Tolerance(s, i, tolerance, relative_tolerance);
        if (ratio > worst) {
          worst = ratio;
          at = i;
        }
      }
      if (at != 0) added.push_back(at);
    }
    if (added.empty()) return;
    std::vector<size_t> merged;
    merged.reserve(kept->size() + added.size());
    std::merge(kept->begin(), kept->end(), added.begin(), added.end(), std::back_inserter(merged));
    *kept = std::move(merged);
  }
}

std::vector<size_t> ThinSeries(const SampledSeries& s, CzmlInterpolation interpolation,
                               double tolerance, double relative_tolerance) {
  const size_t n = s.size();
  if (n < 3) {
    std::vector<size_t> all(n);
    for (size_t i = 0; i < n; ++i) all[i] = i;
    return all;
  }
  // A degree-5 polynomial needs far fewer samples than straight lines on smooth curves: start
  // coarse and let the refinement add what the bound needs.
  const double coarse = interpolation == CzmlInterpolation::kLinear ? 1.0 : 64.0;
  std::vector<size_t> kept =
      DouglasPeucker(s, coarse * tolerance, std::min(coarse * relative_tolerance, 0.5));
  RefineKept(s, interpolation, tolerance, relative_tolerance, &kept);
  return kept;
}

void CzmlOptions::Validate() const {
  const auto positive = [](double v, const char* name) {
    if (!(v > 0.0) || !std::isfinite(v))
      throw std::invalid_argument(std::string("CzmlOptions.") + name + " must be > 0 (got " +
                                  std::to_string(v) + ")");
  };
  positive(position_tolerance_m, "position_tolerance_m");
  positive(track_position_tolerance_m, "track_position_tolerance_m");
  positive(speed_tolerance_mps, "speed_tolerance_mps");
  positive(altitude_tolerance_m, "altitude_tolerance_m");
  positive(relative_tolerance, "relative_tolerance");
  positive(probability_tolerance, "probability_tolerance");
  positive(orbit_sample_step_s, "orbit_sample_step_s");
  positive(min_sample_spacing_s, "min_sample_spacing_s");
  positive(impact_sigma_scale, "impact_sigma_scale");
  if (max_orbit_paths < 0)
    throw std::invalid_argument("CzmlOptions.max_orbit_paths must be >= 0 (got " +
                                std::to_string(max_orbit_paths) + ")");
}

// ---- The scene --------------------------------------------------------------------------------

namespace {

// Written precision: 1 ms for times, 1 cm for positions (round-trip shortest printing then keeps
// the numbers short: no 17-digit floats).
double Round(double x, int digits) {
  if (!std::isfinite(x)) return x;
  const double p = std::pow(10.0, digits);
  return std::round(x * p) / p;
}
double RoundT(double t) { return Round(t, 3); }
double RoundP(double x) { return Round(x, 2); }

ordered_json Rgba(int r, int g, int b, int a = 255) { return {{"rgba", {r, g, b, a}}}; }
ordered_json Solid(const ordered_json& color) { return {{"solidColor", {{"color", color}}}}; }

struct Colour {
  int r, g, b;
  ordered_json With(int a = 255) const { return Rgba(r, g, b, a); }
};

Colour PhaseColour(threats::Phase p) {
  switch (p) {
    case threats::Phase::kBoost:
      return {255, 165, 0};  // orange
    case threats::Phase::kMidcourse:
      return {255, 255, 0};  // yellow
    case threats::Phase::kReentry:
      return {255, 0, 0};  // red
    case threats::Phase::kPullUp:
      return {255, 0, 255};  // magenta
    case threats::Phase::kGlide:
      return {0, 255, 255};  // cyan
    case threats::Phase::kCruise:
      return {0, 200, 0};  // green
    case threats::Phase::kDive:
      return {199, 21, 133};  // red-violet
    case threats::Phase::kImpact:
      return {255, 0, 0};
  }
  return {255, 255, 255};
}

Colour LayerColour(size_t k) {
  static const Colour palette[] = {
      {100, 180, 255}, {190, 140, 255}, {120, 255, 180}, {255, 210, 120}, {220, 220, 220}};
  return palette[k % (sizeof(palette) / sizeof(palette[0]))];
}

// A series being built from samples: times rounded to 1 ms and values to their written precision
// (what is thinned is what is written); a sample closer than min_spacing to the previous one
// replaces it (the first sample is kept), so that no two samples crowd a Lagrange window.
class SeriesBuilder {
 public:
  SeriesBuilder(int dim, double min_spacing_s, int digits) : digits_(digits), min_(min_spacing_s) {
    s_.dim = dim;
  }
  void Add(double t, const double* v) {
    t = RoundT(t);
    if (!s_.t_s.empty()) {
      if (t <= s_.t_s.back()) return;  // not after the previous sample: dropped
      if (t - s_.t_s.back() < min_ && s_.t_s.size() > 1) {
        s_.t_s.pop_back();
        s_.values.resize(s_.values.size() - static_cast<size_t>(s_.dim));
      } else if (t - s_.t_s.back() < min_) {
        return;
      }
    }
    s_.t_s.push_back(t);
    for (int j = 0; j < s_.dim; ++j) s_.values.push_back(Round(v[j], digits_));
  }
  void Add(double t, const Vec3& v) { Add(t, v.data()); }
  void Add(double t, double v) { Add(t, &v); }
  const SampledSeries& series() const { return s_; }

 private:
  SampledSeries s_;
  int digits_;
  double min_;
};

const char* AlgorithmName(CzmlInterpolation i) {
  return i == CzmlInterpolation::kLinear ? "LINEAR" : "LAGRANGE";
}

// Everything one scene needs, and the packet sink.
struct Scene {
  const sim::ScenarioSpec& spec;
  const sim::RunResult& result;
  const CzmlOptions& o;
  const std::function<void(ordered_json&&)>& emit;
  std::string epoch;  // ISO 8601 of t = 0

  std::string Iso(double t) const { return spec.epoch.ToIso8601(t); }
  std::string Interval(double a, double b) const { return Iso(a) + "/" + Iso(b); }
  double Clamp(double t) const { return std::clamp(t, 0.0, spec.duration_s); }

  // A sampled property: {"epoch", <key>: [t, v..., t, v...]} over the kept samples.
  ordered_json Sampled(const SampledSeries& s, const std::vector<size_t>& kept, const char* key,
                       CzmlInterpolation interpolation) const {
    ordered_json flat = ordered_json::array();
    for (size_t k : kept) {
      flat.push_back(s.t_s[k]);
      for (int j = 0; j < s.dim; ++j) flat.push_back(s.at(k)[j]);
    }
    ordered_json p;
    p["epoch"] = epoch;
    if (interpolation != CzmlInterpolation::kLinear) {
      p["interpolationAlgorithm"] = AlgorithmName(interpolation);
      p["interpolationDegree"] = 5;
    }
    p[key] = std::move(flat);
    return p;
  }

  // A sampled ECEF position (a constant one for a single sample).
  ordered_json Position(const SampledSeries& s, const std::vector<size_t>& kept,
                        CzmlInterpolation interpolation) const {
    if (s.size() == 1) {
      return {{"referenceFrame", "FIXED"}, {"cartesian", {s.at(0)[0], s.at(0)[1], s.at(0)[2]}}};
    }
    ordered_json p;
    p["epoch"] = epoch;
    p["referenceFrame"] = "FIXED";
    p["interpolationAlgorithm"] = AlgorithmName(interpolation);
    p["interpolationDegree"] = interpolation == CzmlInterpolation::kLinear ? 1 : 5;
    ordered_json flat = ordered_json::array();
    for (size_t k : kept) {
      flat.push_back(s.t_s[k]);
      for (int j = 0; j < 3; ++j) flat.push_back(s.at(k)[j]);
    }
    p["cartesian"] = std::move(flat);
    return p;
  }

  // A thinned scalar property (linear: Cesium's default for sampled numbers).
  ordered_json Numbers(const SampledSeries& s, double tol, double rel) const {
    if (s.size() == 1) return s.at(0)[0];
    return Sampled(s, ThinSeries(s, CzmlInterpolation::kLinear, tol, rel), "number",
                   CzmlInterpolation::kLinear);
  }

  ordered_json StaticPosition(const Vec3& r) const {
    return {{"referenceFrame", "FIXED"},
            {"cartesian", {RoundP(r.x()), RoundP(r.y()), RoundP(r.z())}}};
  }

  // Piecewise-constant strings: [{"interval", "string"}, ...].
  ordered_json Strings(const std::vector<std::tuple<double, double, std::string>>& pieces) const {
    ordered_json list = ordered_json::array();
    for (const auto& [a, b, text] : pieces)
      list.push_back({{"interval", Interval(a, b)}, {"string", text}});
    return list;
  }

  // A boolean that is true inside `on` (sorted, disjoint) and false elsewhere on [a, b], as
  // CZML intervals covering [a, b] (outside any interval a CZML value is undefined, and an
  // undefined `show` means shown).
  ordered_json ShowIntervals(const std::vector<std::pair<double, double>>& on, double a,
                             double b) const {
    ordered_json list = ordered_json::array();
    double t = a;
    for (const auto& [s, e] : on) {
      if (s > t) list.push_back({{"interval", Interval(t, s)}, {"boolean", false}});
      list.push_back({{"interval", Interval(s, e)}, {"boolean", true}});
      t = e;
    }
    if (b > t) list.push_back({{"interval", Interval(t, b)}, {"boolean", false}});
    return list;
  }

  ordered_json Label(const std::string& text, const ordered_json& colour) const {
    return {{"text", text},
            {"font", "12px sans-serif"},
            {"fillColor", colour},
            {"horizontalOrigin", "LEFT"},
            {"pixelOffset", {{"cartesian2", {8, -8}}}},
            {"showBackground", true},
            {"backgroundColor", Rgba(0, 0, 0, 140)}};
  }

  ordered_json Point(double size, const ordered_json& colour) const {
    return {{"pixelSize", size},
            {"color", colour},
            {"outlineColor", Rgba(0, 0, 0, 200)},
            {"outlineWidth", 1}};
  }
};

// Merges [t, t + dt] intervals (times ascending) that touch or overlap.
std::vector<std::pair<double, double>> MergeIntervals(std::vector<std::pair<double, double>> v) {
  std::sort(v.begin(), v.end());
  std::vector<std::pair<double, double>> out;
  for (const auto& iv : v) {
    if (!out.empty() && iv.first <= out.back().second + 1e-6) {
      out.back().second = std::max(out.back().second, iv.second);
    } else {
      out.push_back(iv);
    }
  }
  return out;
}

// ---- Document ---------------------------------------------------------------------------------

void EmitDocument(const Scene& sc) {
  sc.emit({{"id", "document"},
           {"name", sc.spec.name},
           {"version", "1.0"},
           {"clock",
            {{"interval", sc.Interval(0.0, sc.spec.duration_s)},
             {"currentTime", sc.epoch},
             {"multiplier", 10},
             {"range", "LOOP_STOP"},
             {"step", "SYSTEM_CLOCK_MULTIPLIER"}}}});
}

// ---- Threats ----------------------------------------------------------------------------------

void EmitThreats(const Scene& sc) {
  for (size_t i = 0; i < sc.result.trajectories.size(); ++i) {
    const threats::Trajectory& tr = sc.result.trajectories[i];
    if (tr.samples.empty()) continue;
    const threats::ThreatSpec& ts = sc.spec.threats[i];
    SeriesBuilder pos(3, sc.o.min_sample_spacing_s, 2), speed(1, sc.o.min_sample_spacing_s, 2),
        alt(1, sc.o.min_sample_spacing_s, 1);
    for (const threats::TrajectorySample& s : tr.samples) {
      const Vec3 r = flight::PositionOf(s.x);
      pos.Add(s.t_s, r);
      speed.Add(s.t_s, s.speed_mps);
      alt.Add(s.t_s, s.alt_m);
    }
    const SampledSeries& ps = pos.series();
    const std::vector<size_t> kept =
        ThinSeries(ps, CzmlInterpolation::kLagrange5, sc.o.position_tolerance_m);
    const double t0 = ps.t_s.front(), t1 = ps.t_s.back();

    // Phases: runs of equal phase (the impact sample joins the run before it).
    struct Run {
      threats::Phase phase;
      size_t first, last;  // sample indices, the next run's first sample included in `last`
    };
    std::vector<Run> runs;
    for (size_t k = 0; k < tr.samples.size(); ++k) {
      const threats::Phase p = tr.samples[k].phase;
      if (!runs.empty() && (p == runs.back().phase || p == threats::Phase::kImpact)) {
        runs.back().last = k;
        continue;
      }
      if (!runs.empty()) runs.back().last = k;
      runs.push_back({p, k, k});
    }
    std::vector<std::tuple<double, double, std::string>> phases;
    for (size_t k = 0; k < runs.size(); ++k) {
      const double a = tr.samples[runs[k].first].t_s;
      const double b =
          k + 1 < runs.size() ? tr.samples[runs[k + 1].first].t_s : tr.samples[runs[k].last].t_s;
      phases.emplace_back(a, b, threats::PhaseName(runs[k].phase));
    }

    const std::string id = "threat/" + tr.threat_id;
    ordered_json properties = {
        {"kind", "threat"},
        {"id", tr.threat_id},
        {"class", threats::ThreatClassName(tr.threat_class)},
        {"label", ts.class_label},
        {"phase", sc.Strings(phases)},
        {"speed_mps", sc.Numbers(speed.series(), sc.o.speed_tolerance_mps, 0.0)},
        {"altitude_m", sc.Numbers(alt.series(), sc.o.altitude_tolerance_m, 0.0)},
        {"launch_time_s", RoundT(tr.launch_time_s)},
        {"impacted", tr.impacted},
    };
    ordered_json packet = {
        {"id", id},
        {"name",
         ts.class_label.empty() ? tr.threat_id : tr.threat_id + " (" + ts.class_label + ")"},
        {"availability", sc.Interval(t0, t1)},
        {"position", sc.Position(ps, kept, CzmlInterpolation::kLagrange5)},
        {"point", sc.Point(9, Rgba(255, 60, 60))},
        {"label", sc.Label(tr.threat_id, Rgba(255, 200, 200))},
        {"path",
         {{"show", true},
          {"leadTime", 0},
          {"trailTime", std::max(1.0, RoundT(t1 - t0))},
          {"width", 2},
          {"resolution", 5},
          {"material", Solid(Rgba(255, 255, 255, 160))}}},
        {"properties", std::move(properties)},
    };
    sc.emit(std::move(packet));

    // Static polylines, one per phase run, each to the first sample of the next run.
    for (size_t k = 0; k < runs.size(); ++k) {
      SeriesBuilder seg(3, 0.0, 2);
      for (size_t q = runs[k].first; q <= runs[k].last; ++q)
        seg.Add(tr.samples[q].t_s, flight::PositionOf(tr.samples[q].x));
      const SampledSeries& ss = seg.series();
      if (ss.size() < 2) continue;
      const std::vector<size_t> keep =
          ThinSeries(ss, CzmlInterpolation::kLinear, sc.o.position_tolerance_m);
      ordered_json flat = ordered_json::array();
      for (size_t q : keep)
        for (int j = 0; j < 3; ++j) flat.push_back(ss.at(q)[j]);
      const char* phase = threats::PhaseName(runs[k].phase);
      sc.emit({{"id", id + "/phase/" + std::to_string(k)},
               {"name", tr.threat_id + " " + phase},
               {"polyline",
                {{"positions", {{"cartesian", std::move(flat)}}},
                 {"arcType", "NONE"},
                 {"width", 3},
                 {"material", Solid(PhaseColour(runs[k].phase).With(220))}}},
               {"properties",
                {{"kind", "threat"},
                 {"part", "phase"},
                 {"id", tr.threat_id},
                 {"phase", phase},
                 {"start_s", RoundT(ss.t_s.front())},
                 {"end_s", RoundT(ss.t_s.back())}}}});
    }
  }
}

// ---- Satellites and what they saw -------------------------------------------------------------

// Ground radius (m, along the surface of a sphere of the mean radius) of the cap a field of regard
// of half-angle eta around nadir covers from orbit radius a: the whole visible cap (central angle
// acos(R/a)) when eta reaches the limb (sin eta_limb = R/a), else asin((a/R) sin eta) - eta (the
// law of sines in the Earth-centre / satellite / ground-point triangle). Spherical Earth: the
// footprint is a picture, off by < 0.3 % (flattening).
double FootprintRadius_m(double a_m, double eta_rad) {
  const double R = core::kEarthMeanRadius_m;
  if (a_m <= R) return 0.0;
  const double limb = std::asin(R / a_m);
  const double lambda =
      eta_rad >= limb ? std::acos(R / a_m) : std::asin(a_m / R * std::sin(eta_rad)) - eta_rad;
  return R * lambda;
}

struct LosKey {
  std::string sensor, platform, threat;
  bool operator<(const LosKey& o) const {
    return std::tie(sensor, platform, threat) < std::tie(o.sensor, o.platform, o.threat);
  }
};

void EmitSatellites(const Scene& sc,
                    const std::map<std::pair<std::string, std::string>,
                                   std::vector<std::pair<double, double>>>& looking) {
  size_t total = 0;
  for (const sim::SpaceLayerSpec& l : sc.spec.space_layers) total += l.satellites.size();
  const bool paths = total <= static_cast<size_t>(sc.o.max_orbit_paths);
  // Sample times and their Earth rotation angles, shared by every satellite.
  std::vector<double> times, era;
  const double step = sc.o.orbit_sample_step_s;
  for (long k = 0;; ++k) {
    const double t = std::min(static_cast<double>(k) * step, sc.spec.duration_s);
    times.push_back(t);
    era.push_back(sc.spec.epoch.EarthRotationAngle_rad(t));
    if (t >= sc.spec.duration_s) break;
  }
  constexpr size_t kChunk = 64;  // satellites propagated together (memory: chunk x times)
  for (size_t li = 0; li < sc.spec.space_layers.size(); ++li) {
    const sim::SpaceLayerSpec& layer = sc.spec.space_layers[li];
    const Colour c = LayerColour(li);
    const std::string& lid = layer.sensor.id;
    for (size_t c0 = 0; c0 < layer.satellites.size(); c0 += kChunk) {
      const size_t c1 = std::min(layer.satellites.size(), c0 + kChunk);
      orbits::J2SecularBatch batch;
      for (size_t k = c0; k < c1; ++k) batch.Add(layer.satellites[k].elements, 0.0);
      std::vector<SeriesBuilder> series(c1 - c0, SeriesBuilder(3, 0.0, 2));
      std::vector<Vec3> r;
      for (size_t q = 0; q < times.size(); ++q) {
        batch.PositionsEcef(times[q], era[q], &r);
        for (size_t k = 0; k < r.size(); ++k) series[k].Add(times[q], r[k]);
      }
      for (size_t k = c0; k < c1; ++k) {
        const orbits::Satellite& sat = layer.satellites[k];
        const SampledSeries& s = series[k - c0].series();
        const std::vector<size_t> kept =
            ThinSeries(s, CzmlInterpolation::kLagrange5, sc.o.position_tolerance_m);
        const double a = sat.elements.a_m;
        const double period = core::kTwoPi * std::sqrt(a * a * a / core::kEarthMu_m3ps2);
        const std::string id = "sat/" + lid + "/" + sat.id;
        sc.emit({{"id", id},
                 {"name", sat.id + " (" + lid + ")"},
                 {"availability", sc.Interval(0.0, sc.spec.duration_s)},
                 {"position", sc.Position(s, kept, CzmlInterpolation::kLagrange5)},
                 {"point", {{"pixelSize", 4}, {"color", c.With(255)}}},
                 {"path",
                  {{"show", paths},
                   {"leadTime", Round(period / 2, 0)},
                   {"trailTime", Round(period / 2, 0)},
                   {"width", 1},
                   {"resolution", 60},
                   {"material", Solid(c.With(90))}}},
                 {"properties",
                  {{"kind", "satellite"},
                   {"id", sat.id},
                   {"layer", lid},
                   {"plane", sat.plane},
                   {"slot", sat.slot},
                   {"altitude_km", Round((a - core::kWgs84A_m) / 1e3, 1)},
                   {"period_s", Round(period, 1)}}}});
        auto it = looking.find({lid, sat.id});
        if (it == looking.end()) continue;
        const std::vector<std::pair<double, double>>& on = it->second;
        const double radius =
            Round(FootprintRadius_m(a, layer.sensor.field_of_regard_half_angle_rad), 0);
        sc.emit({{"id", id + "/footprint"},
                 {"name", sat.id + " field of regard"},
                 {"availability", sc.Interval(on.front().first, on.back().second)},
                 {"position", {{"reference", id + "#position"}}},
                 {"ellipse",
                  {{"show", sc.ShowIntervals(on, on.front().first, on.back().second)},
                   {"semiMajorAxis", radius},
                   {"semiMinorAxis", radius},
                   {"height", 0},
                   {"fill", true},
                   {"material", Solid(c.With(40))},
                   {"outline", true},
                   {"outlineColor", c.With(160)}}},
                 {"properties",
                  {{"kind", "satellite"},
                   {"part", "footprint"},
                   {"id", sat.id},
                   {"layer", lid},
                   {"ground_radius_km", Round(radius / 1e3, 1)}}}});
      }
    }
  }
}

// ---- Radars, assets, batteries ----------------------------------------------------------------

// A moving site (ship) sampled every 60 s and thinned (great circle at constant speed).
template <typename SiteAt>
ordered_json MovingPosition(const Scene& sc, const SiteAt& site_at) {
  SeriesBuilder b(3, 0.0, 2);
  for (long k = 0;; ++k) {
    const double t = std::min(60.0 * static_cast<double>(k), sc.spec.duration_s);
    b.Add(t, earth::EcefFromGeodetic(site_at(t)));
    if (t >= sc.spec.duration_s) break;
  }
  const SampledSeries& s = b.series();
  return sc.Position(s, ThinSeries(s, CzmlInterpolation::kLinear, sc.o.position_tolerance_m),
                     CzmlInterpolation::kLinear);
}

// The ground fan of a radar face: the site, then the arc at the instrumented range (as a ground
// distance along the geodesic) across the face's azimuth span, every <= 3 deg; a full circle
// without the site when the span reaches 360 deg.
ordered_json FanCartesian(const earth::Geodetic& site, const sensors::RadarFace& face,
                          double range_m) {
  ordered_json flat = ordered_json::array();
  const auto add = [&](const Vec3& r) {
    for (int j = 0; j < 3; ++j) flat.push_back(RoundP(r[j]));
  };
  const bool full = face.half_fov_az_rad >= core::kPi - 1e-6;
  const double span = full ? core::kTwoPi : 2.0 * face.half_fov_az_rad;
  const int n = std::max(2, static_cast<int>(std::ceil(span / (3.0 * core::kDegToRad))));
  if (!full) add(earth::EcefFromGeodetic({site.lat_rad, site.lon_rad, 0.0}));
  const double az0 = full ? 0.0 : face.boresight_az_rad - face.half_fov_az_rad;
  for (int k = 0; k <= (full ? n - 1 : n); ++k) {
    double lat = 0.0, lon = 0.0;
    earth::GeodesicDirect(site.lat_rad, site.lon_rad, az0 + span * k / n, range_m, &lat, &lon);
    add(earth::EcefFromGeodetic({lat, lon, 0.0}));
  }
  return flat;
}

void EmitRadars(const Scene& sc) {
  for (const sim::RadarSiteSpec& r : sc.spec.radars) {
    const std::string id = "radar/" + r.radar.id;
    const bool ship = r.ship_speed_mps > 0.0;
    const auto site_at = [&](double t) { return r.SiteAt(t, nullptr); };
    sc.emit({{"id", id},
             {"name", r.radar.id + " (radar)"},
             {"position", ship ? MovingPosition(sc, site_at)
                               : sc.StaticPosition(earth::EcefFromGeodetic(r.site))},
             {"point", sc.Point(8, Rgba(80, 255, 80))},
             {"label", sc.Label(r.radar.id, Rgba(180, 255, 180))},
             {"properties",
              {{"kind", "radar"},
               {"id", r.radar.id},
               {"faces", r.radar.faces.size()},
               {"instrumented_range_km", Round(r.radar.instrumented_range_m / 1e3, 1)},
               {"ship_speed_mps", Round(r.ship_speed_mps, 2)}}}});
    for (size_t k = 0; k < r.radar.faces.size(); ++k) {
      const sensors::RadarFace& face = r.radar.faces[k];
      ordered_json positions;
      if (!ship) {
        positions = {{"cartesian", FanCartesian(r.site, face, r.radar.instrumented_range_m)}};
      } else {
        // A ship's fan moves with it: piecewise-constant fans, each drawn at its interval's
        // middle, intervals short enough that the ship moves < 2 tolerances in one (>= 60 s, at
        // most 500 intervals).
        const double dt = std::max(
            {60.0, 2.0 * sc.o.position_tolerance_m / r.ship_speed_mps, sc.spec.duration_s / 500.0});
        positions = ordered_json::array();
        for (double a = 0.0; a < sc.spec.duration_s; a += dt) {
          const double b = std::min(a + dt, sc.spec.duration_s);
          positions.push_back({{"interval", sc.Interval(a, b)},
                               {"cartesian", FanCartesian(site_at(0.5 * (a + b)), face,
                                                          r.radar.instrumented_range_m)}});
        }
      }
      sc.emit({{"id", id + "/face/" + std::to_string(k)},
               {"name", r.radar.id + " face " + std::to_string(k)},
               {"polygon",
                {{"positions", std::move(positions)},
                 {"height", 0},
                 {"fill", true},
                 {"material", Solid(Rgba(80, 255, 80, 30))},
                 {"outline", true},
                 {"outlineColor", Rgba(80, 255, 80, 140)}}},
               {"properties",
                {{"kind", "radar"},
                 {"part", "face"},
                 {"id", r.radar.id},
                 {"face", k},
                 {"boresight_az_deg", Round(face.boresight_az_rad * core::kRadToDeg, 2)},
                 {"half_fov_az_deg", Round(face.half_fov_az_rad * core::kRadToDeg, 2)}}}});
    }
  }
}

void EmitAssetsAndBatteries(const Scene& sc) {
  for (const sim::AssetSpec& a : sc.spec.assets) {
    sc.emit({{"id", "asset/" + a.id},
             {"name", a.id + " (defended asset)"},
             {"position", sc.StaticPosition(earth::EcefFromGeodetic({a.lat_rad, a.lon_rad, 0.0}))},
             {"point", sc.Point(7, Rgba(60, 140, 255))},
             {"label", sc.Label(a.id, Rgba(170, 200, 255))},
             {"ellipse",
              {{"semiMajorAxis", Round(a.radius_m, 1)},
               {"semiMinorAxis", Round(a.radius_m, 1)},
               {"height", 0},
               {"material", Solid(Rgba(60, 140, 255, 50))},
               {"outline", true},
               {"outlineColor", Rgba(60, 140, 255, 200)}}},
             {"properties",
              {{"kind", "asset"},
               {"id", a.id},
               {"radius_m", Round(a.radius_m, 1)},
               {"value", a.value}}}});
  }
  if (!sc.spec.defense.enabled) return;
  for (const sim::BatterySpec& b : sc.spec.defense.batteries) {
    const auto site_at = [&](double t) { return b.SiteAt(t); };
    sc.emit(
        {{"id", "battery/" + b.id},
         {"name", b.id + " (battery)"},
         {"position", b.ship_speed_mps > 0.0 ? MovingPosition(sc, site_at)
                                             : sc.StaticPosition(earth::EcefFromGeodetic(b.site))},
         {"point", sc.Point(8, Rgba(255, 255, 255))},
         {"label", sc.Label(b.id, Rgba(255, 255, 255))},
         {"properties",
          {{"kind", "battery"},
           {"id", b.id},
           {"interceptor", b.interceptor_preset},
           {"inventory", b.inventory},
           {"ship_speed_mps", Round(b.ship_speed_mps, 2)}}}});
  }
}

// ---- Tracks and the assessment ----------------------------------------------------------------

void EmitTracks(const Scene& sc) {
  if (!sc.result.tracking) return;
  const sim::TrackingResult& tr = *sc.result.tracking;
  const tracking::TrackingFrame frame{sc.spec.epoch.EarthRotationAngle_rad()};
  std::map<int, std::vector<const sim::TrackRow*>> rows;
  for (const sim::TrackRow& r : tr.rows)
    if (r.status == tracking::TrackStatus::kConfirmed) rows[r.track_id].push_back(&r);
  // Scoring: each track's error against the threat it followed (track_errors.csv).
  std::map<int, SeriesBuilder> errors;
  for (const tracking::TruthMetrics& m : tr.metrics.truths)
    for (const tracking::ErrorSample& e : m.errors)
      errors.try_emplace(e.track_id, 1, 0.0, 1).first->second.Add(e.t_s, e.position_error_m);
  const double gap = 1.5 * sc.spec.outputs.step_s;
  std::map<int, double> last_confirmed;
  for (const auto& [track_id, list] : rows) {
    last_confirmed[track_id] = list.back()->t_s;
    SeriesBuilder pos(3, 0.0, 2), radii(3, 0.0, 1), quat(4, 0.0, 6), sigma(1, 0.0, 1),
        prob(1, 0.0, 3);
    std::vector<std::pair<double, double>> alive;
    std::vector<std::tuple<double, double, std::string>> classes, truths;
    const auto piece = [](std::vector<std::tuple<double, double, std::string>>* v, double t,
                          const std::string& text) {
      if (!v->empty() && std::get<2>(v->back()) == text) {
        std::get<1>(v->back()) = t;
      } else {
        if (!v->empty()) std::get<1>(v->back()) = t;
        v->emplace_back(t, t, text);
      }
    };
    Eigen::Matrix3d axes_prev = Eigen::Matrix3d::Identity();
    Eigen::Quaterniond q_prev = Eigen::Quaterniond::Identity();
    bool first = true;
    for (const sim::TrackRow* r : list) {
      const double t = r->t_s;
      if (!alive.empty() && t - alive.back().second <= gap) {
        alive.back().second = t;
      } else {
        alive.push_back({t, t});
      }
      pos.Add(t, Vec3(r->x_Ecef.head<3>()));
      // The Earth-fixed position covariance: P_Ecef = R P_Eci R^T at t.
      const core::Mat3 R = core::R_EciFromEcef(frame.EraAt(t)).transpose();
      const Eigen::Matrix3d P = R * r->P_Eci.topLeftCorner<3, 3>() * R.transpose();
      const Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eig(0.5 * (P + P.transpose()));
      Eigen::Matrix3d axes = eig.eigenvectors();
      // Continuity for interpolation: each axis signed like the previous sample's, right-handed,
      // and the quaternion on the previous one's side of the double cover.
      if (!first)
        for (int j = 0; j < 2; ++j)
          if (axes.col(j).dot(axes_prev.col(j)) < 0.0) axes.col(j) *= -1.0;
      axes.col(2) = axes.col(0).cross(axes.col(1));
      Eigen::Quaterniond q(axes);
      q.normalize();
      if (!first && q.coeffs().dot(q_prev.coeffs()) < 0.0) q.coeffs() *= -1.0;
      axes_prev = axes;
      q_prev = q;
      first = false;
      const Eigen::Vector3d lambda = eig.eigenvalues().cwiseMax(0.0);
      radii.Add(t, Vec3(3.0 * lambda.cwiseSqrt()));
      const double qv[4] = {q.x(), q.y(), q.z(), q.w()};
      quat.Add(t, qv);
      sigma.Add(t, std::sqrt(lambda.maxCoeff()));
      prob.Add(t, r->class_probability);
      piece(&classes, t, r->class_name.empty() ? "unknown" : r->class_name);
      piece(&truths, t, r->scored_truth_id);
    }
    // Position, radii and orientation at common times: the union of the position's and the
    // radii's kept samples, refined so that both bounds still hold.
    const SampledSeries &ps = pos.series(), &rs = radii.series();
    std::vector<size_t> kept =
        ThinSeries(ps, CzmlInterpolation::kLinear, sc.o.track_position_tolerance_m);
    const std::vector<size_t> kr =
        ThinSeries(rs, CzmlInterpolation::kLinear, 1.0, sc.o.relative_tolerance);
    std::vector<size_t> both;
    std::set_union(kept.begin(), kept.end(), kr.begin(), kr.end(), std::back_inserter(both));
    if (ps.size() >= 3) {
      RefineKept(ps, CzmlInterpolation::kLinear, sc.o.track_position_tolerance_m, 0.0, &both);
      RefineKept(rs, CzmlInterpolation::kLinear, 1.0, sc.o.relative_tolerance, &both);
    }
    std::vector<std::string> avail;
    for (const auto& [a, b] : alive) avail.push_back(sc.Interval(a, b));
    const std::string name = "track " + std::to_string(track_id);
    ordered_json properties = {
        {"kind", "track"},
        {"id", track_id},
        {"class", sc.Strings(classes)},
        {"class_probability", sc.Numbers(prob.series(), sc.o.probability_tolerance, 0.0)},
        {"sigma_position_m", sc.Numbers(sigma.series(), 1.0, sc.o.relative_tolerance)},
        {"truth_id", sc.Strings(truths)},
    };
    auto e = errors.find(track_id);
    if (e != errors.end())
      properties["position_error_m"] = sc.Numbers(e->second.series(), 1.0, sc.o.relative_tolerance);
    ordered_json packet = {
        {"id", "track/" + std::to_string(track_id)},
        {"name", name},
        {"availability", avail.size() == 1 ? ordered_json(avail[0]) : ordered_json(avail)},
        {"position", sc.Position(ps, both, CzmlInterpolation::kLinear)},
        {"point", sc.Point(6, Rgba(255, 255, 0))},
        {"label", sc.Label(fmt::format("T{}", track_id), Rgba(255, 255, 150))},
    };
    if (ps.size() == 1) {
      packet["orientation"] = {{"unitQuaternion",
                                {quat.series().at(0)[0], quat.series().at(0)[1],
                                 quat.series().at(0)[2], quat.series().at(0)[3]}}};
      packet["ellipsoid"] = {{"radii", {{"cartesian", {rs.at(0)[0], rs.at(0)[1], rs.at(0)[2]}}}}};
    } else {
      packet["orientation"] =
          sc.Sampled(quat.series(), both, "unitQuaternion", CzmlInterpolation::kLinear);
      packet["ellipsoid"] = {
          {"radii", sc.Sampled(rs, both, "cartesian", CzmlInterpolation::kLinear)}};
    }
    packet["ellipsoid"]["material"] = Solid(Rgba(255, 255, 0, 60));
    packet["ellipsoid"]["outline"] = false;
    packet["properties"] = std::move(properties);
    sc.emit(std::move(packet));
  }

  // Impact ellipses and glide footprints, each shown from its assessment to the track's next one
  // (the last: to the track's last confirmed output time, at least one assessment step).
  std::map<int, std::vector<const sim::TrackAssessment*>> by_track;
  for (const sim::TrackAssessment& a : tr.assessments) {
    if ((a.impact && a.impact->ok) || a.footprint) by_track[a.track_id].push_back(&a);
  }
  for (const auto& [track_id, list] : by_track) {
    int n_impact = 0, n_footprint = 0;
    for (size_t k = 0; k < list.size(); ++k) {
      const sim::TrackAssessment& a = *list[k];
      const double until =
          k + 1 < list.size()
              ? list[k + 1]->t_s
              : std::max(last_confirmed.count(track_id) ? last_confirmed[track_id] : a.t_s,
                         a.t_s + sc.spec.tracker.assessment_step_s);
      const std::string interval = sc.Interval(a.t_s, sc.Clamp(until));
      const std::string tid = std::to_string(track_id);
      if (a.impact && a.impact->ok) {
        const assessment::ImpactPrediction& p = *a.impact;
        const double s = sc.o.impact_sigma_scale;
        const double major = std::max(1.0, Round(s * p.semi_major_m, 1));
        const double minor = std::min(major, std::max(1.0, Round(s * p.semi_minor_m, 1)));
        const std::string sub = tid + "/" + std::to_string(n_impact++);
        sc.emit(
            {{"id", "impact/" + sub},
             {"name", "track " + tid + " predicted impact"},
             {"availability", interval},
             {"position", sc.StaticPosition(earth::EcefFromGeodetic({p.lat_rad, p.lon_rad, 0.0}))},
             // Cesium's rotation is counter-clockwise from north; the orientation clockwise.
             {"ellipse",
              {{"semiMajorAxis", major},
               {"semiMinorAxis", minor},
               {"rotation", Round(-p.orientation_rad, 5)},
               {"height", 0},
               {"material", Solid(Rgba(255, 60, 60, 80))},
               {"outline", true},
               {"outlineColor", Rgba(255, 60, 60, 220)}}},
             {"properties",
              {{"kind", "impact"},
               {"id", sub},
               {"track_id", track_id},
               {"t_s", RoundT(a.t_s)},
               {"impact_time_s", Round(p.t_impact_s, 2)},
               {"lat_deg", Round(p.lat_rad * core::kRadToDeg, 6)},
               {"lon_deg", Round(p.lon_rad * core::kRadToDeg, 6)},
               {"sigma_scale", s},
               {"semi_major_1sigma_m", Round(p.semi_major_m, 1)},
               {"semi_minor_1sigma_m", Round(p.semi_minor_m, 1)},
               {"cep_m", Round(p.cep_m, 1)}}}});
      }
      if (a.footprint && a.footprint->polygon_lat_lon_rad.size() >= 3) {
        ordered_json flat = ordered_json::array();
        for (const auto& [lat, lon] : a.footprint->polygon_lat_lon_rad) {
          const Vec3 r = earth::EcefFromGeodetic({lat, lon, 0.0});
          for (int j = 0; j < 3; ++j) flat.push_back(RoundP(r[j]));
        }
        const std::string sub = tid + "/" + std::to_string(n_footprint++);
        sc.emit({{"id", "footprint/" + sub},
                 {"name", "track " + tid + " reachable footprint"},
                 {"availability", interval},
                 {"polygon",
                  {{"positions", {{"cartesian", std::move(flat)}}},
                   {"height", 0},
                   {"material", Solid(Rgba(0, 255, 255, 50))},
                   {"outline", true},
                   {"outlineColor", Rgba(0, 255, 255, 200)}}},
                 {"properties",
                  {{"kind", "footprint"},
                   {"id", sub},
                   {"track_id", track_id},
                   {"t_s", RoundT(a.t_s)},
                   {"max_range_km", Round(a.footprint->max_range_m / 1e3, 2)},
                   {"min_range_km", Round(a.footprint->min_range_m / 1e3, 2)}}}});
      }
    }
  }
}

// ---- Interceptors -----------------------------------------------------------------------------

void EmitInterceptors(const Scene& sc) {
  if (!sc.result.tracking || !sc.result.tracking->engagement) return;
  const std::vector<sim::ShotRecord>& shots = sc.result.tracking->engagement->shots;
  for (size_t n = 0; n < shots.size(); ++n) {
    const sim::ShotRecord& shot = shots[n];
    if (shot.path.empty()) continue;
    SeriesBuilder b(3, sc.o.min_sample_spacing_s, 2);
    for (const sim::PathPoint& p : shot.path) b.Add(p.t_s, p.r_Ecef);
    const SampledSeries& s = b.series();
    const std::vector<size_t> kept =
        ThinSeries(s, CzmlInterpolation::kLagrange5, sc.o.position_tolerance_m);
    const std::string id = "interceptor/" + std::to_string(n);
    const bool flown = shot.result != "in_flight";
    const auto miss = [&]() -> ordered_json {
      if (!flown || !std::isfinite(shot.miss_m)) return nullptr;
      return Round(shot.miss_m, 2);
    };
    ordered_json properties = {{"kind", "interceptor"},
                               {"id", n},
                               {"battery", shot.battery_id},
                               {"track", shot.track_id},
                               {"threat_id", shot.threat_id},
                               {"result", shot.result},
                               {"launch_time_s", RoundT(shot.launch_time_s)},
                               {"predicted_pk", Round(shot.predicted_pk, 4)}};
    // Absent, not null, while unknown: CesiumJS's CZML loader fails on a null property value.
    if (!miss().is_null()) properties["miss_m"] = miss();
    if (flown && std::isfinite(shot.intercept_time_s))
      properties["intercept_time_s"] = RoundT(shot.intercept_time_s);
    sc.emit({{"id", id},
             {"name", "interceptor " + std::to_string(n) + " (" + shot.battery_id + ")"},
             {"availability", sc.Interval(s.t_s.front(), s.t_s.back())},
             {"position", sc.Position(s, kept, CzmlInterpolation::kLagrange5)},
             {"point", sc.Point(6, Rgba(120, 200, 255))},
             {"path",
              {{"show", true},
               {"leadTime", 0},
               {"trailTime", std::max(1.0, RoundT(s.t_s.back() - s.t_s.front()))},
               {"width", 2},
               {"resolution", 1},
               {"material", Solid(Rgba(120, 200, 255, 200))}}},
             {"properties", std::move(properties)}});
    if (shot.result != "kill" && shot.result != "miss") continue;
    if (!std::isfinite(shot.intercept_time_s)) continue;
    const bool kill = shot.result == "kill";
    const std::string text =
        kill ? "kill" : "miss " + std::to_string(std::llround(shot.miss_m)) + " m";
    const double t = sc.Clamp(shot.intercept_time_s);
    sc.emit({{"id", "intercept/" + std::to_string(n)},
             {"name", "intercept " + std::to_string(n) + ": " + text},
             {"availability", sc.Interval(t, sc.spec.duration_s)},
             {"position", sc.StaticPosition(shot.closest_approach_Ecef)},
             {"point", sc.Point(10, kill ? Rgba(255, 80, 0) : Rgba(200, 200, 200))},
             {"label", sc.Label(text, kill ? Rgba(255, 160, 80) : Rgba(220, 220, 220))},
             {"properties",
              {{"kind", "intercept"},
               {"id", n},
               {"result", shot.result},
               {"miss_m", miss()},
               {"threat_id", shot.threat_id},
               {"time_s", RoundT(shot.intercept_time_s)}}}});
  }
}

// ---- Lines of sight ---------------------------------------------------------------------------

void EmitLos(const Scene& sc, const std::map<LosKey, std::vector<std::pair<double, double>>>& los) {
  std::map<std::string, size_t> layer_index;
  for (size_t k = 0; k < sc.spec.space_layers.size(); ++k)
    layer_index[sc.spec.space_layers[k].sensor.id] = k;
  for (const auto& [key, on] : los) {
    const auto layer = layer_index.find(key.sensor);
    const bool radar = layer == layer_index.end();
    const std::string platform =
        radar ? "radar/" + key.platform : "sat/" + key.sensor + "/" + key.platform;
    const Colour c = radar ? Colour{80, 255, 80} : LayerColour(layer->second);
    const double a = on.front().first, b = on.back().second;
    sc.emit({{"id", "los/" + key.sensor + "/" + key.platform + "/" + key.threat},
             {"name", key.platform + " sees " + key.threat},
             {"availability", sc.Interval(a, b)},
             {"polyline",
              {{"positions",
                {{"references", {platform + "#position", "threat/" + key.threat + "#position"}}}},
               {"arcType", "NONE"},
               {"width", 1},
               {"material", Solid(c.With(150))},
               {"show", sc.ShowIntervals(on, a, b)}}},
             {"properties",
              {{"kind", "los"},
               {"id", key.sensor + "/" + key.platform + "/" + key.threat},
               {"sensor", key.sensor},
               {"platform", key.platform},
               {"threat_id", key.threat},
               {"radar", radar}}}});
  }
}

void BuildScene(const sim::ScenarioSpec& spec, const sim::RunResult& result,
                const CzmlOptions& options, const std::function<void(ordered_json&&)>& emit) {
  options.Validate();
  const Scene sc{spec, result, options, emit, spec.epoch.ToIso8601(0.0)};

  // Detections of threats (false alarms are not entities): per (sensor, platform, threat) the
  // frames it detected, each shown for its frame period, adjacent frames merged; and per
  // satellite, the frames it detected anything (its footprint).
  std::map<std::string, double> frame_s;
  for (const sim::SpaceLayerSpec& l : spec.space_layers)
    frame_s[l.sensor.id] = l.sensor.frame_time_s;
  std::map<std::string, const sim::RadarSiteSpec*> radars;
  for (const sim::RadarSiteSpec& r : spec.radars) radars[r.radar.id] = &r;
  std::map<std::string, double> threat_end;
  for (const threats::Trajectory& t : result.trajectories)
    if (!t.samples.empty()) threat_end[t.threat_id] = RoundT(t.samples.back().t_s);
  std::map<LosKey, std::vector<std::pair<double, double>>> los;
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<double, double>>> looking;
  for (const sim::Detection& d : result.sensing.detections) {
    if (d.false_alarm() || d.truth_id().empty()) continue;
    auto end = threat_end.find(d.truth_id());
    if (end == threat_end.end()) continue;
    double dt = 1.0;
    if (d.is_radar) {
      auto r = radars.find(d.sensor_id);
      if (r == radars.end()) continue;
      dt = d.tasked ? r->second->track_revisit_s : r->second->radar.revisit_s;
    } else {
      auto f = frame_s.find(d.sensor_id);
      if (f == frame_s.end()) continue;
      dt = f->second;
    }
    const double a = RoundT(d.t_s);
    const double b = std::min({RoundT(d.t_s + dt), spec.duration_s, end->second});
    if (b < a) continue;
    los[{d.sensor_id, d.platform_id, d.truth_id()}].push_back({a, b});
    if (!d.is_radar)
      looking[{d.sensor_id, d.platform_id}].push_back(
          {a, RoundT(std::min(d.t_s + dt, spec.duration_s))});
  }
  for (auto& [k, v] : los) v = MergeIntervals(std::move(v));
  for (auto& [k, v] : looking) v = MergeIntervals(std::move(v));

  EmitDocument(sc);
  EmitAssetsAndBatteries(sc);
  EmitRadars(sc);
  EmitSatellites(sc, looking);
  EmitThreats(sc);
  EmitTracks(sc);
  EmitInterceptors(sc);
  EmitLos(sc, los);
}

}  // namespace

ordered_json SceneCzml(const sim::ScenarioSpec& spec, const sim::RunResult& result,
                       const CzmlOptions& options) {
  ordered_json doc = ordered_json::array();
  BuildScene(spec, result, options, [&](ordered_json&& p) { doc.push_back(std::move(p)); });
  return doc;
}

void WriteSceneCzml(const sim::ScenarioSpec& spec, const sim::RunResult& result, std::ostream& out,
                    const CzmlOptions& options) {
  bool first = true;
  out << "[\n";
  BuildScene(spec, result, options, [&](ordered_json&& p) {
    out << (first ? "" : ",\n") << p.dump();
    first = false;
  });
  out << "\n]\n";
}

}  // namespace hyperdef::io
