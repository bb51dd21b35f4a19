// scene.czml: the thinning bound, Cesium's interpolation window, the packet structure (valid
// CZML, unique ids, sampled arrays, references), the entity kinds of a small defended run, and
// positions read back from the document against the truth.
#include "io/czml.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "core/constants.h"
#include "earth/wgs84.h"

namespace hyperdef::io {
namespace {

using nlohmann::ordered_json;

// Largest reconstruction error of a thinned series over its samples, as a multiple of each
// sample's tolerance.
double WorstRatio(const SampledSeries& s, const std::vector<size_t>& kept,
                  CzmlInterpolation interpolation, double tol, double rel) {
  double worst = 0.0;
  std::vector<double> r(static_cast<size_t>(s.dim));
  for (size_t i = 0; i < s.size(); ++i) {
    ReconstructCzml(s, kept, interpolation, s.t_s[i], r.data());
    double e2 = 0.0, v2 = 0.0;
    for (int j = 0; j < s.dim; ++j) {
      e2 += std::pow(r[static_cast<size_t>(j)] - s.at(i)[j], 2);
      v2 += s.at(i)[j] * s.at(i)[j];
    }
    worst = std::max(worst, std::sqrt(e2) / std::max(tol, rel * std::sqrt(v2)));
  }
  return worst;
}

SampledSeries Make(int dim, size_t n, double dt, const std::function<void(double, double*)>& f) {
  SampledSeries s;
  s.dim = dim;
  std::vector<double> v(static_cast<size_t>(dim));
  for (size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) * dt;
    f(t, v.data());
    s.t_s.push_back(t);
    s.values.insert(s.values.end(), v.begin(), v.end());
  }
  return s;
}

// A LEO orbit seen from the rotating Earth (7,400 km radius, 100 min period, Earth rate mixed in).
SampledSeries Orbit(size_t n, double dt) {
  return Make(3, n, dt, [](double t, double* v) {
    const double a = 7.4e6, w = core::kTwoPi / 6000.0, we = core::kEarthOmega_radps;
    const double x = a * std::cos(w * t), y = a * std::sin(w * t) * std::cos(1.2);
    const double z = a * std::sin(w * t) * std::sin(1.2);
    v[0] = x * std::cos(we * t) + y * std::sin(we * t);
    v[1] = -x * std::sin(we * t) + y * std::cos(we * t);
    v[2] = z;
  });
}

// A boost-coast-reentry like curve with acceleration jumps (kinks in velocity direction).
SampledSeries Kinked(size_t n, double dt) {
  return Make(3, n, dt, [](double t, double* v) {
    const double tb = 120.0;
    const double s = t < tb ? 20.0 * t * t : 20.0 * tb * tb + 4800.0 * (t - tb);
    const double h =
        t < tb ? 0.5 * 40.0 * t * t : 288e3 + 2500.0 * (t - tb) - 4.9 * (t - tb) * (t - tb);
    v[0] = 6.37e6 + h;
    v[1] = s;
    v[2] = 1000.0 * std::sin(t / 7.0);  // a weave
  });
}

TEST(CzmlThinning, BoundHoldsAndSmoothCurvesThinHard) {
  const double tol = 500.0;
  struct Case {
    const char* name;
    SampledSeries s;
  };
  const Case cases[] = {{"orbit", Orbit(241, 10.0)}, {"kinked", Kinked(900, 1.0)}};
  for (const Case& c : cases) {
    for (CzmlInterpolation interp : {CzmlInterpolation::kLinear, CzmlInterpolation::kLagrange5}) {
      const std::vector<size_t> kept = ThinSeries(c.s, interp, tol);
      ASSERT_GE(kept.size(), 2u);
      EXPECT_EQ(kept.front(), 0u);
      EXPECT_EQ(kept.back(), c.s.size() - 1);
      EXPECT_TRUE(std::is_sorted(kept.begin(), kept.end()));
      // The header's bound, at every original sample. 1e-9 relative: round-off of the
      // reconstruction, which the thinning itself evaluates with the same code.
      EXPECT_LE(WorstRatio(c.s, kept, interp, tol, 0.0), 1.0 + 1e-9) << c.name;
      // It is a thinning: the smooth orbit needs a sample per ~22 s with straight lines (sagitta
      // a theta^2 / 8 = 500 m) and far fewer with degree 5; the kinked curve also thins.
      if (std::string(c.name) == "orbit") {
        EXPECT_LE(kept.size(), interp == CzmlInterpolation::kLinear ? 130u : 40u)
            << c.name << " " << kept.size();
      } else {
        EXPECT_LE(kept.size(), c.s.size() / 4) << c.name << " " << kept.size();
      }
    }
  }
}

TEST(CzmlThinning, NoisySeriesAndRelativeTolerance) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> n01;
  double walk = 1000.0;
  const SampledSeries s = Make(1, 500, 1.0, [&](double, double* v) {
    walk = std::max(1.0, walk + 30.0 * n01(rng));
    v[0] = walk;
  });
  for (CzmlInterpolation interp : {CzmlInterpolation::kLinear, CzmlInterpolation::kLagrange5}) {
    const std::vector<size_t> kept = ThinSeries(s, interp, 1.0, 0.1);
    // 1e-9: round-off, as above.
    EXPECT_LE(WorstRatio(s, kept, interp, 1.0, 0.1), 1.0 + 1e-9);
  }
  // The union of two valid kept sets may break the bound for straight lines (up to twice the
  // tolerance); RefineKept restores it.
  const SampledSeries o = Orbit(241, 10.0);
  std::vector<size_t> a = ThinSeries(o, CzmlInterpolation::kLinear, 500.0);
  std::vector<size_t> b = ThinSeries(s, CzmlInterpolation::kLinear, 1.0, 0.1);
  std::vector<size_t> both;
  for (size_t k : b)
    if (k < o.size()) both.push_back(k);
  std::vector<size_t> u;
  std::set_union(a.begin(), a.end(), both.begin(), both.end(), std::back_inserter(u));
  if (u.back() != o.size() - 1) u.push_back(o.size() - 1);
  RefineKept(o, CzmlInterpolation::kLinear, 500.0, 0.0, &u);
  EXPECT_LE(WorstRatio(o, u, CzmlInterpolation::kLinear, 500.0, 0.0), 1.0 + 1e-9);
}

// Cesium's SampledProperty takes the 6 samples index-3 .. index+2 around the time (index: the
// first sample after it), shifted inside at the ends. A value that is 1 at one sample and 0 at the
// others is reconstructed as 0 exactly when that sample is outside the window.
TEST(CzmlThinning, LagrangeWindowIsCesiums) {
  const SampledSeries s = Make(1, 10, 1.0, [](double t, double* v) { v[0] = t == 0.0 ? 1 : 0; });
  std::vector<size_t> all(10);
  for (size_t i = 0; i < 10; ++i) all[i] = i;
  double r = 0.0;
  ReconstructCzml(s, all, CzmlInterpolation::kLagrange5, 2.5, &r);  // index 3: window 0..5
  EXPECT_GT(std::abs(r), 1e-3);
  ReconstructCzml(s, all, CzmlInterpolation::kLagrange5, 3.5, &r);  // index 4: window 1..6
  EXPECT_EQ(r, 0.0);
  ReconstructCzml(s, all, CzmlInterpolation::kLagrange5, 8.5, &r);  // end: window 4..9
  EXPECT_EQ(r, 0.0);
  // A degree-5 polynomial is reproduced (to round-off, 1e-6 of values ~1e5) by any window.
  const auto poly = [](double t) { return 3.0 - t + 0.5 * t * t - 0.02 * std::pow(t, 5); };
  const SampledSeries p = Make(1, 10, 1.3, [&](double t, double* v) { v[0] = poly(t); });
  for (double t : {0.3, 2.9, 6.1, 11.2}) {
    ReconstructCzml(p, all, CzmlInterpolation::kLagrange5, t, &r);
    EXPECT_NEAR(r, poly(t), 1e-6) << t;
  }
  // A kept sample is returned as it is.
  ReconstructCzml(p, all, CzmlInterpolation::kLagrange5, 1.3 * 4, &r);
  EXPECT_EQ(r, p.at(4)[0]);
}

// ---- A small defended run ---------------------------------------------------------------------

class CzmlRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    spec_ = new sim::ScenarioSpec(sim::LoadScenarioFromString(kScenario, "czml-small.yaml"));
    result_ = new sim::RunResult(sim::RunScenario(*spec_));
    std::ostringstream out;
    WriteSceneCzml(*spec_, *result_, out);
    text_ = new std::string(out.str());
    doc_ = new ordered_json(ordered_json::parse(*text_));
  }
  static void TearDownTestSuite() {
    delete doc_;
    delete text_;
    delete result_;
    delete spec_;
  }
  static const ordered_json* Packet(const std::string& id) {
    for (const ordered_json& p : *doc_)
      if (p.at("id") == id) return &p;
    return nullptr;
  }
  static inline const char* kScenario = R"(
name: czml-small
epoch_utc: 2027-01-01T00:00:00Z
duration_s: 900
seed: 7
world: {gravity: j4, atmosphere: us76, earth_rotation: true}
threats:
  - id: bm-1
    class: ballistic
    label: MRBM
    launch: {lat_deg: 40.2, lon_deg: 126.8, time_s: 30}
    aim: {lat_deg: 35.7, lon_deg: 139.7}
    booster: {preset: mrbm2}
    trajectory: minimum_energy
    rv: {mass_kg: 1000, ballistic_coefficient_kgpm2: 10000}
sensors:
  - id: layer-a
    class: space_ir
    walker: {pattern: delta, satellites: 28, planes: 4, phasing: 1, altitude_km: 1000,
             inclination_deg: 85}
    field_of_regard_deg: 65
  - id: x-band-1
    class: radar
    site: {lat_deg: 35.0, lon_deg: 133.0, alt_m: 100}
    faces: [{boresight_az_deg: 300, boresight_el_deg: 10, half_fov_az_deg: 60,
             half_fov_el_deg: 45}]
    min_elevation_deg: 1
    instrumented_range_km: 1500
    peak_power_w: 400000
    gain_db: 48
    wavelength_m: 0.03
    losses_db: 6
    noise_temperature_k: 500
    pulse_width_s: 1.0e-3
    pfa: 1.0e-9
    range_resolution_m: 150
    beamwidth_deg: 0.5
    range_sigma_m: 5
    angle_sigma_mrad: 0.5
    revisit_s: 1.0
  - id: ship-1
    class: radar
    site: {lat_deg: 37.5, lon_deg: 133.5, alt_m: 20}
    ship: {speed_kn: 15, course_deg: 45}
    faces:
      - {boresight_az_deg: 0, boresight_el_deg: 20, half_fov_az_deg: 45, half_fov_el_deg: 45}
      - {boresight_az_deg: 90, boresight_el_deg: 20, half_fov_az_deg: 45, half_fov_el_deg: 45}
      - {boresight_az_deg: 180, boresight_el_deg: 20, half_fov_az_deg: 45, half_fov_el_deg: 45}
      - {boresight_az_deg: 270, boresight_el_deg: 20, half_fov_az_deg: 45, half_fov_el_deg: 45}
    instrumented_range_km: 700
    peak_power_w: 4000000
    gain_db: 42
    wavelength_m: 0.1
    pulse_width_s: 1.0e-4
    pfa: 1.0e-9
    range_resolution_m: 150
    beamwidth_deg: 1.7
    range_rate_sigma_mps: 5
    revisit_s: 2.0
assets:
  - {id: area-a, lat_deg: 35.7, lon_deg: 139.7, radius_km: 30, value: 10}
tracker: {}
defense:
  batteries:
    - id: terminal-a
      interceptor: terminal
      site: {lat_deg: 35.6, lon_deg: 139.5, alt_m: 50}
      inventory: 4
      reaction_time_s: 5
)";
  static inline sim::ScenarioSpec* spec_ = nullptr;
  static inline sim::RunResult* result_ = nullptr;
  static inline std::string* text_ = nullptr;
  static inline ordered_json* doc_ = nullptr;
};

// Visits every JSON object under j (j included).
void ForEachObject(const ordered_json& j, const std::function<void(const ordered_json&)>& f) {
  if (j.is_object()) {
    f(j);
    for (const auto& [k, v] : j.items()) ForEachObject(v, f);
  } else if (j.is_array()) {
    for (const ordered_json& v : j) ForEachObject(v, f);
  }
}

TEST_F(CzmlRun, DocumentPacketComesFirstWithVersionAndClock) {
  ASSERT_TRUE(doc_->is_array());
  ASSERT_GE(doc_->size(), 2u);
  const ordered_json& d = doc_->at(0);
  EXPECT_EQ(d.at("id"), "document");
  EXPECT_EQ(d.at("version"), "1.0");
  EXPECT_EQ(d.at("clock").at("interval"),
            spec_->epoch.ToIso8601(0.0) + "/" + spec_->epoch.ToIso8601(spec_->duration_s));
  EXPECT_EQ(d.at("clock").at("currentTime"), "2027-01-01T00:00:00.000Z");
  // The streamed text is the same document as the one built whole.
  EXPECT_EQ(*doc_, SceneCzml(*spec_, *result_));
}

// CesiumJS's CZML loader throws on a null property value ("Cannot read properties of null"), so
// no value anywhere may be null, also for a shot still in flight at the end of the run.
TEST_F(CzmlRun, NoValueIsNullEvenWithAShotInFlight) {
  const std::function<int(const ordered_json&)> nulls = [&](const ordered_json& j) {
    if (j.is_null()) return 1;
    int n = 0;
    if (j.is_structured())
      for (const auto& v : j) n += nulls(v);
    return n;
  };
  EXPECT_EQ(nulls(*doc_), 0);
  sim::RunResult r = *result_;
  ASSERT_TRUE(r.tracking && r.tracking->engagement && !r.tracking->engagement->shots.empty());
  r.tracking->engagement->shots.front().result = "in_flight";
  r.tracking->engagement->shots.front().miss_m = std::nan("");
  EXPECT_EQ(nulls(SceneCzml(*spec_, r)), 0);
}

TEST_F(CzmlRun, IdsAreUniqueAndEveryEntityHasANameAndKind) {
  static const std::set<std::string> kinds = {"threat",      "satellite", "radar",   "track",
                                              "interceptor", "asset",     "battery", "impact",
                                              "footprint",   "intercept", "los"};
  std::set<std::string> ids;
  for (size_t k = 0; k < doc_->size(); ++k) {
    const ordered_json& p = doc_->at(k);
    const std::string id = p.at("id");
    EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
    EXPECT_TRUE(p.contains("name")) << id;
    if (k == 0) continue;
    ASSERT_TRUE(p.contains("properties")) << id;
    EXPECT_EQ(kinds.count(p.at("properties").at("kind").get<std::string>()), 1u) << id;
    EXPECT_TRUE(p.at("properties").contains("id")) << id;
  }
}

TEST_F(CzmlRun, SampledArraysHaveWholeSamplesInTimeOrder) {
  long sampled = 0;
  for (const ordered_json& p : *doc_) {
    ForEachObject(p, [&](const ordered_json& o) {
      if (!o.contains("epoch")) return;
      EXPECT_EQ(o.at("epoch"), "2027-01-01T00:00:00.000Z") << p.at("id");
      for (const auto& [key, stride] :
           {std::pair<std::string, size_t>{"cartesian", 4}, {"number", 2}, {"unitQuaternion", 5}}) {
        if (!o.contains(key)) continue;
        const ordered_json& a = o.at(key);
        ++sampled;
        ASSERT_TRUE(a.is_array()) << p.at("id");
        ASSERT_EQ(a.size() % stride, 0u) << p.at("id") << " " << key;
        for (size_t i = stride; i < a.size(); i += stride)
          EXPECT_LT(a[i - stride].get<double>(), a[i].get<double>()) << p.at("id");
        for (size_t i = 0; i < a.size(); i += stride) {
          EXPECT_GE(a[i].get<double>(), 0.0) << p.at("id");
          EXPECT_LE(a[i].get<double>(), spec_->duration_s) << p.at("id");
        }
      }
    });
  }
  EXPECT_GT(sampled, 30);  // satellites, the threat, tracks and interceptors are sampled
}

TEST_F(CzmlRun, ReferencesPointToExistingPositions) {
  std::set<std::string> with_position;
  for (const ordered_json& p : *doc_)
    if (p.contains("position")) with_position.insert(p.at("id").get<std::string>());
  long refs = 0;
  const auto check = [&](const std::string& ref, const std::string& from) {
    ++refs;
    const size_t hash = ref.find('#');
    ASSERT_NE(hash, std::string::npos) << from;
    EXPECT_EQ(ref.substr(hash + 1), "position") << from;
    EXPECT_EQ(with_position.count(ref.substr(0, hash)), 1u) << from << " -> " << ref;
  };
  for (const ordered_json& p : *doc_) {
    ForEachObject(p, [&](const ordered_json& o) {
      if (o.contains("reference")) check(o.at("reference"), p.at("id"));
      if (o.contains("references"))
        for (const ordered_json& r : o.at("references")) check(r, p.at("id"));
    });
  }
  EXPECT_GT(refs, 10);  // lines of sight and footprints
}

TEST_F(CzmlRun, ExpectedEntityKindsArePresent) {
  std::map<std::string, int> prefixes;
  for (const ordered_json& p : *doc_) {
    const std::string id = p.at("id");
    const std::string prefix = id.substr(0, id.find('/'));
    ++prefixes[prefix];
    if (id.find("/footprint") != std::string::npos) ++prefixes["sat-footprint"];
    if (id.find("/phase/") != std::string::npos) ++prefixes["phase"];
    if (id.find("/face/") != std::string::npos) ++prefixes["face"];
  }
  EXPECT_EQ(prefixes["threat"], 1 + prefixes["phase"]);
  EXPECT_GE(prefixes["phase"], 3);  // boost, midcourse, reentry
  EXPECT_EQ(prefixes["sat"], 28 + prefixes["sat-footprint"]);
  EXPECT_GE(prefixes["sat-footprint"], 2);  // stereo
  EXPECT_GE(prefixes["los"], 3);            // satellites and the radar
  EXPECT_EQ(prefixes["radar"], 7);          // two sites, 1 + 4 faces
  EXPECT_EQ(prefixes["face"], 5);
  EXPECT_EQ(prefixes["asset"], 1);
  EXPECT_EQ(prefixes["battery"], 1);
  EXPECT_GE(prefixes["track"], 1);
  EXPECT_GE(prefixes["impact"], 1);  // the ballistic track's predicted impact
  const size_t shots = result_->tracking->engagement->shots.size();
  ASSERT_GE(shots, 1u);
  EXPECT_EQ(prefixes["interceptor"], static_cast<int>(shots));
  // A radar line of sight references the radar and the threat.
  const ordered_json* los = Packet("los/x-band-1/x-band-1/bm-1");
  ASSERT_NE(los, nullptr);
  EXPECT_EQ(los->at("polyline").at("positions").at("references"),
            ordered_json({"radar/x-band-1#position", "threat/bm-1#position"}));
}

// Reads the sampled cartesian position of a packet back into a series.
SampledSeries ReadPosition(const ordered_json& p, std::vector<size_t>* all) {
  SampledSeries s;
  const ordered_json& a = p.at("position").at("cartesian");
  for (size_t i = 0; i < a.size(); i += 4) {
    s.t_s.push_back(a[i]);
    for (int j = 1; j < 4; ++j) s.values.push_back(a[i + static_cast<size_t>(j)]);
  }
  all->resize(s.size());
  for (size_t i = 0; i < s.size(); ++i) (*all)[i] = i;
  return s;
}

TEST_F(CzmlRun, ThreatPositionMatchesTheTrajectory) {
  const ordered_json* p = Packet("threat/bm-1");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->at("position").at("referenceFrame"), "FIXED");
  EXPECT_EQ(p->at("position").at("interpolationAlgorithm"), "LAGRANGE");
  std::vector<size_t> all;
  const SampledSeries s = ReadPosition(*p, &all);
  const threats::Trajectory& tr = result_->trajectories[0];
  ASSERT_GT(tr.samples.size(), 100u);
  EXPECT_LT(s.size(), tr.samples.size() / 4);  // thinned
  int exact = 0;
  for (const threats::TrajectorySample& ts : tr.samples) {
    const double t = std::round(ts.t_s * 1e3) / 1e3;
    if (t < s.t_s.front() || t > s.t_s.back()) continue;
    core::Vec3 r;
    ReconstructCzml(s, all, CzmlInterpolation::kLagrange5, t, r.data());
    const double err = (r - flight::PositionOf(ts.x)).norm();
    // The thinning bound (500 m) plus the written precision (1 cm per axis) and the 1 ms time
    // rounding (at most 0.5 ms x 7 km/s = 3.5 m).
    EXPECT_LE(err, 500.0 + 4.0) << t;
    if (std::binary_search(s.t_s.begin(), s.t_s.end(), t) && t == ts.t_s) {
      ++exact;
      EXPECT_LE(err, 0.01) << t;  // a written sample: the truth to 1 cm (rounding to 1 cm)
    }
  }
  EXPECT_GE(exact, 3);
  // The speed and altitude properties are sampled numbers.
  EXPECT_TRUE(p->at("properties").at("speed_mps").contains("number"));
  EXPECT_TRUE(p->at("properties").at("altitude_m").contains("number"));
  EXPECT_EQ(p->at("properties").at("phase").at(0).at("string"), "boost");
}

TEST_F(CzmlRun, InterceptorFliesFromItsBatteryToItsClosestApproach) {
  const std::vector<sim::ShotRecord>& shots = result_->tracking->engagement->shots;
  const core::Vec3 site = earth::EcefFromGeodetic(spec_->defense.batteries[0].site);
  for (size_t n = 0; n < shots.size(); ++n) {
    const sim::ShotRecord& shot = shots[n];
    ASSERT_GE(shot.path.size(), 2u) << n;
    EXPECT_NEAR(shot.path.front().t_s, shot.launch_time_s, 1e-9);
    // Launched from the battery (a land site: it does not move).
    EXPECT_LE((shot.path.front().r_Ecef - site).norm(), 1e-6) << n;
    const ordered_json* p = Packet("interceptor/" + std::to_string(n));
    ASSERT_NE(p, nullptr) << n;
    EXPECT_EQ(p->at("properties").at("result"), shot.result);
    if (shot.result != "kill" && shot.result != "miss") continue;
    EXPECT_NEAR(shot.path.back().t_s, shot.intercept_time_s, 1e-9) << n;
    // The closest approach lies at the miss distance from the threat's position then. The
    // threat's truth is interpolated from its 1 s samples the same way the seeker sees it; the
    // interceptor's is back-extrapolated over < one integration step (< 1 m at terminal steps).
    const threats::Trajectory& tr = result_->trajectories[0];
    flight::State x;
    ASSERT_TRUE(tr.StateAt(shot.intercept_time_s, &x));
    const double d = (shot.closest_approach_Ecef - flight::PositionOf(x)).norm();
    EXPECT_NEAR(d, shot.miss_m, 1.0) << n;
    const ordered_json* i = Packet("intercept/" + std::to_string(n));
    ASSERT_NE(i, nullptr) << n;
    EXPECT_EQ(i->at("label").at("text"),
              shot.result == "kill" ? std::string("kill")
                                    : "miss " + std::to_string(std::llround(shot.miss_m)) + " m");
  }
}

// A thousand satellites for an hour: the orbits thin to a few samples each and the file stays
// small (the issue's scale; threats add little next to this).
TEST(CzmlScale, ThousandSatellitesStaySmall) {
  sim::ScenarioSpec spec = sim::LoadScenarioFromString(R"(
name: scale
epoch_utc: 2027-01-01T00:00:00Z
duration_s: 3600
threats:
  - id: bm-1
    class: ballistic
    launch: {lat_deg: 40.2, lon_deg: 126.8}
    aim: {lat_deg: 35.7, lon_deg: 139.7}
    booster: {preset: mrbm2}
    rv: {mass_kg: 1000, ballistic_coefficient_kgpm2: 10000}
sensors:
  - id: big
    class: space_ir
    walker: {pattern: delta, satellites: 1000, planes: 20, phasing: 1, altitude_km: 1000,
             inclination_deg: 80}
)",
                                                       "scale.yaml");
  const sim::RunResult empty;  // no threat flown, nothing sensed: the satellites alone
  std::ostringstream out;
  WriteSceneCzml(spec, empty, out);
  const ordered_json doc = ordered_json::parse(out.str());
  ASSERT_EQ(doc.size(), 1001u);
  EXPECT_FALSE(doc[1].at("path").at("show").get<bool>());  // > 100 satellites: paths off
  const size_t samples = doc[1].at("position").at("cartesian").size() / 4;
  // 3,600 s of a 105 min orbit: 121 propagated samples thin to ~25 with degree 5 at 500 m.
  EXPECT_LE(samples, 40u);
  EXPECT_LE(out.str().size(), 5u * 1000u * 1000u);  // bytes; ~1.5 MB expected
  RecordProperty("bytes", std::to_string(out.str().size()));
  RecordProperty("samples_per_satellite", std::to_string(samples));
}

}  // namespace
}  // namespace hyperdef::io
