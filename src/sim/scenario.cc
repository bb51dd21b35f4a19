#include "sim/scenario.h"

#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <set>
#include <stdexcept>

#include "core/constants.h"
#include "core/error.h"
#include "core/random.h"
#include "engagement/interceptor_presets.h"
#include "sim/yaml_reader.h"

namespace hyperdef::sim {

using core::kDegToRad;
using core::kKnot_mps;
using threats::ThreatSpec;

orbits::J2SecularBatch SpaceLayerSpec::Propagator() const {
  std::vector<orbits::KeplerianElements> elements;
  elements.reserve(satellites.size());
  for (const orbits::Satellite& s : satellites) elements.push_back(s.elements);
  return orbits::J2SecularBatch(elements, 0.0);
}

namespace {
// A site that sails a great circle at constant speed from `site` (speed 0: fixed).
earth::Geodetic SailedSite(const earth::Geodetic& site, double speed_mps, double course_rad,
                           double t_s, core::Vec3* v_Site_Ecef) {
  if (v_Site_Ecef) v_Site_Ecef->setZero();
  if (speed_mps <= 0.0) return site;
  const auto at = [&](double t) {
    earth::Geodetic g = site;
    earth::GeodesicDirect(site.lat_rad, site.lon_rad, course_rad, speed_mps * t, &g.lat_rad,
                          &g.lon_rad);
    return g;
  };
  const earth::Geodetic g = at(t_s);
  if (v_Site_Ecef) {  // central difference over +-0.5 s: exact enough for a ship's range rate
    *v_Site_Ecef = earth::EcefFromGeodetic(at(t_s + 0.5)) - earth::EcefFromGeodetic(at(t_s - 0.5));
  }
  return g;
}
}  // namespace

earth::Geodetic RadarSiteSpec::SiteAt(double t_s, core::Vec3* v_Site_Ecef) const {
  return SailedSite(site, ship_speed_mps, ship_course_rad, t_s, v_Site_Ecef);
}

earth::Geodetic BatterySpec::SiteAt(double t_s) const {
  return SailedSite(site, ship_speed_mps, ship_course_rad, t_s, nullptr);
}

threats::SegmentOptions ScenarioSpec::SegmentOptionsFor() const {
  threats::SegmentOptions o;
  o.record_step_s = outputs.step_s;
  o.relative_tolerance = world.relative_tolerance;
  o.max_step_s = world.max_step_s;
  o.rk4_step_s = world.rk4_step_s;
  return o;
}

bool BoosterPreset(const std::string& name, threats::BoosterSpec* out, double* payload_kg) {
  using flight::Stage;
  threats::BoosterSpec b;
  double payload = 1000.0;
  // Stage fields: wet kg, propellant kg, Isp s, burn s, diameter m, coast s.
  if (name == "scud_b") {  // Forden 2007: dry 1198 kg, fuelled 4897 kg, Isp 230 s, 75 s, 0.84 m
    b.stages = {Stage{4897, 4897 - 1198, 230, 75, 0.84, 0}};
  } else if (name == "nodong") {  // Forden 2007: dry 3900, fuelled 19900, Isp 240 s, 70 s, 0.88 m
    b.stages = {Stage{19900, 19900 - 3900, 240, 70, 0.88, 0}};
  } else if (name == "icbm3") {  // MIT LNSP public three-stage model, bus 1000 kg, 1.7 m
    b.stages = {Stage{23230, 20780, 267, 61, 1.7, 0}, Stage{7270, 6240, 287, 66, 1.7, 0},
                Stage{3710, 3306, 285, 61, 1.7, 0}};
  } else if (name == "mrbm2") {  // hyperdef assumption: the MIT model's 2nd and 3rd stages alone
    b.stages = {Stage{7270, 6240, 287, 66, 1.7, 0}, Stage{3710, 3306, 285, 61, 1.7, 0}};
  } else if (name == "cruise_booster") {  // illustrative solid booster (assumed, see references)
    b.stages = {Stage{1800, 1400, 250, 25, 0.6, 0}};
    payload = 1500.0;
  } else {
    return false;
  }
  *out = b;
  if (payload_kg) *payload_kg = payload;
  return true;
}

std::vector<std::string> BoosterPresetNames() {
  return {"scud_b", "nodong", "icbm3", "mrbm2", "cruise_booster"};
}

namespace {

using Ref = std::function<double&(ScenarioSpec&)>;

// Parses the scenario tree into a ScenarioSpec, recording every distribution-valued parameter.
class Loader {
 public:
  explicit Loader(ScenarioSpec* spec) : spec_(spec) {}

  void Load(const Node& root);

 private:
  // A number that Monte Carlo may vary: `key` (unit in its name) read as a distribution,
  // nominal value stored through `ref` after scaling to SI.
  void Number(const Node& map, const std::string& key, double fallback, const Check& check,
              double scale, const Ref& ref, bool required = false) {
    std::optional<Node> n = map.Find(key);
    Distribution d = Distribution::Constant(fallback);
    if (n) {
      d = n->AsDistribution(check);
    } else if (required) {
      map.Get(key);  // throws "missing required key"
    }
    ref(*spec_) = d.Nominal() * scale;
    if (!d.IsConstant()) {
      spec_->varied.push_back({n->path(), d, scale, ref});
    }
  }

  void LoadWorld(const Node& n);
  void LoadSensors(const Node& list);
  void LoadSpaceIr(const Node& n, const std::string& id);
  void LoadRadar(const Node& n, const std::string& id);
  void LoadSite(const Node& n, earth::Geodetic* site, double* ship_speed_mps,
                double* ship_course_rad);
  void LoadOutputs(const Node& n);
  void LoadAssets(const Node& list);
  void LoadTracker(const Node& n);
  void LoadDefense(const Node& n);
  void LoadThreat(const Node& n, size_t i);
  threats::BoosterSpec ParseBooster(const Node& n, size_t i,
                                    std::function<threats::BoosterSpec&(ThreatSpec&)> get);
  void LoadState(const Node& n, size_t i, std::function<threats::StateSpec&(ThreatSpec&)> get);

  ScenarioSpec* spec_;
};

Ref ThreatRef(size_t i, std::function<double&(ThreatSpec&)> f) {
  return [i, f](ScenarioSpec& s) -> double& { return f(s.threats[i]); };
}

// signature.rcs_aspect: {aspect_deg: [...], rcs_m2: [...]}, angles strictly increasing in
// [0, 180], one positive RCS per angle, at least two points. Stored in dBsm vs aspect in rad.
std::shared_ptr<const flight::Table1D> ParseRcsAspect(const Node& n) {
  const Node angles = n.Get("aspect_deg");
  const Node values = n.Get("rcs_m2");
  const std::vector<double> deg = n.GetDoubleList("aspect_deg", Check::Between(0, 180));
  const std::vector<double> rcs = n.GetDoubleList("rcs_m2", Check::Positive());
  n.RejectUnknownKeys();
  if (deg.size() < 2) {
    throw core::InputError(angles.where(), angles.path(),
                           fmt::format("a table needs at least two aspect angles (got {}); use "
                                       "signature.rcs_m2 for a constant RCS",
                                       deg.size()));
  }
  for (size_t k = 1; k < deg.size(); ++k) {
    if (!(deg[k] > deg[k - 1])) {
      throw core::InputError(angles[k].where(), angles[k].path(),
                             fmt::format("aspect angles must be strictly increasing (got {} after "
                                         "{})",
                                         deg[k], deg[k - 1]));
    }
  }
  if (rcs.size() != deg.size()) {
    throw core::InputError(values.where(), values.path(),
                           fmt::format("expected one RCS per aspect angle: {} values for {} angles",
                                       rcs.size(), deg.size()));
  }
  std::vector<double> x_rad, y_dbsm;
  for (size_t k = 0; k < deg.size(); ++k) {
    x_rad.push_back(deg[k] * kDegToRad);
    y_dbsm.push_back(10.0 * std::log10(rcs[k]));
  }
  return std::make_shared<const flight::Table1D>(std::move(x_rad), std::move(y_dbsm));
}

void Loader::LoadWorld(const Node& n) {
  const std::string g = n.GetEnum("gravity", {"point", "j2", "j4"}, "j4");
  auto& env = spec_->world.environment;
  env.gravity = g == "point" ? earth::GravityModel::kPointMass
                : g == "j2"  ? earth::GravityModel::kJ2
                             : earth::GravityModel::kJ2J4;
  env.earth_rotation = n.GetBool("earth_rotation", true);
  // UT1 - UTC from IERS Bulletin A for the epoch; |dUT1| < 0.9 s by definition of UTC.
  spec_->world.dut1_s = n.GetDouble("dut1_s", 0.0, Check::Between(-0.9, 0.9));
  n.GetEnum("atmosphere", {"us76"}, "us76");
  spec_->world.relative_tolerance =
      n.GetDouble("relative_tolerance", 1e-8, Check::Between(1e-13, 1e-3));
  spec_->world.max_step_s = n.GetDouble("max_step_s", 60.0, Check::Positive());
  if (n.GetEnum("integrator", {"dopri54", "rk4"}, "dopri54") == "rk4") {
    spec_->world.rk4_step_s = n.GetDouble("rk4_step_s", 0.1, Check::Between(1e-4, 10));
  }
  n.RejectUnknownKeys();
}

void Loader::LoadOutputs(const Node& n) {
  spec_->outputs.step_s = n.GetDouble("step_s", 1.0, Check::Positive());
  spec_->outputs.truth = n.GetBool("truth", true);
  spec_->outputs.detections = n.GetBool("detections", true);
  n.RejectUnknownKeys();
}

// Runs a model's own Validate() and re-throws its complaint at the YAML node it came from.
template <class F>
void ValidateAt(const Node& n, F&& validate) {
  try {
    validate();
  } catch (const core::InputError& e) {
    throw core::InputError(n.where(), n.path(), e.key() + ": " + e.message());
  } catch (const std::exception& e) {
    throw core::InputError(n.where(), n.path(), e.what());
  }
}

void Loader::LoadSpaceIr(const Node& n, const std::string& id) {
  SpaceLayerSpec layer;
  sensors::SpaceIrSpec& s = layer.sensor;
  s.id = id;
  const Node w = n.Get("walker");
  orbits::WalkerConfig c;
  c.pattern = w.GetEnum("pattern", {"delta", "star"}, "delta") == "star"
                  ? orbits::WalkerPattern::kStar
                  : orbits::WalkerPattern::kDelta;
  c.planes = static_cast<int>(w.GetInt("planes", 0, Check::Positive()));
  // The size as a total T or per plane (T = P x S: a sweep over planes and satellites per plane
  // is then always a valid Walker pattern).
  const std::optional<Node> per_plane = w.Find("satellites_per_plane");
  if (per_plane && w.Find("satellites")) {
    throw core::InputError(per_plane->where(), per_plane->path(),
                           "give either satellites (the total) or satellites_per_plane, not both");
  }
  c.total = per_plane ? c.planes * static_cast<int>(w.GetInt("satellites_per_plane", 0,
                                                             Check::Between(1, 10000)))
                      : static_cast<int>(w.GetInt("satellites", 0, Check::Positive()));
  c.phasing = static_cast<int>(w.GetInt("phasing", 0, Check::NonNegative()));
  c.altitude_m = w.GetDouble("altitude_km", Check::Between(150, 40000)) * 1e3;
  c.inclination_rad = w.GetDouble("inclination_deg", Check::Between(0, 180)) * kDegToRad;
  c.raan0_rad = w.GetDouble("raan0_deg", 0.0, Check::Between(-360, 360)) * kDegToRad;
  c.id_prefix = id;
  w.RejectUnknownKeys();
  ValidateAt(w, [&] { layer.satellites = orbits::MakeWalkerConstellation(c); });
  s.field_of_regard_half_angle_rad =
      n.GetDouble("field_of_regard_deg", 65.0, Check::Between(1, 90)) * kDegToRad;
  s.frame_time_s = n.GetDouble("frame_time_s", 1.0, Check::Between(0.01, 60));
  s.wide_field_nei_W_per_m2 =
      n.GetDouble("nei_w_per_m2", s.wide_field_nei_W_per_m2, Check::Positive());
  const std::vector<double> band = n.Has("band_um") ? n.GetDoubleList("band_um", Check::Positive())
                                                    : std::vector<double>{2.7, 3.0};
  if (band.size() != 2 || band[0] >= band[1]) {
    throw core::InputError(n.Get("band_um").where(), n.path() + ".band_um",
                           "expected [low, high] in micrometres with low < high");
  }
  s.band_lo_m = band[0] * 1e-6;
  s.band_hi_m = band[1] * 1e-6;
  s.plume_intensity_per_thrust_W_per_sr_N = n.GetDouble(
      "plume_w_per_sr_per_n", s.plume_intensity_per_thrust_W_per_sr_N, Check::NonNegative());
  s.clutter_nei_factor =
      n.GetDouble("clutter_factor", s.clutter_nei_factor, Check::Between(1, 1e3));
  s.snr_threshold = n.GetDouble("snr_threshold", s.snr_threshold, Check::Positive());
  s.pixel_count = n.GetDouble("pixels", s.pixel_count, Check::Positive());
  s.angle_sigma_rad = n.GetDouble("angle_sigma_urad", 20.0, Check::Positive()) * 1e-6;
  s.position_knowledge_sigma_m =
      n.GetDouble("position_sigma_m", s.position_knowledge_sigma_m, Check::NonNegative());
  s.grazing_altitude_m = n.GetDouble("grazing_altitude_km", 20.0, Check::Between(0, 200)) * 1e3;
  s.sun_exclusion_half_angle_rad =
      n.GetDouble("sun_exclusion_deg", 10.0, Check::Between(0, 90)) * kDegToRad;
  if (auto nf = n.Find("narrow_field")) {  // the tasked (cued) fire-control mode
    s.narrow_field_nei_W_per_m2 =
        nf->GetDouble("nei_w_per_m2", s.narrow_field_nei_W_per_m2, Check::Positive());
    s.narrow_field_half_angle_rad =
        nf->GetDouble("half_angle_deg", 0.5, Check::Between(0.001, 10)) * kDegToRad;
    s.narrow_field_angle_sigma_rad =
        nf->GetDouble("angle_sigma_urad", 5.0, Check::Positive()) * 1e-6;
    s.narrow_field_max_targets = static_cast<int>(
        nf->GetInt("max_targets", s.narrow_field_max_targets, Check::NonNegative()));
    s.tasked_satellites_per_track = static_cast<int>(
        nf->GetInt("satellites_per_track", s.tasked_satellites_per_track, Check::Between(1, 10)));
    nf->RejectUnknownKeys();
  }
  n.RejectUnknownKeys();
  ValidateAt(n, [&] { s.Validate(); });
  spec_->space_layers.push_back(std::move(layer));
}

// `site: {lat_deg, lon_deg, alt_m}` and an optional `ship: {speed_kn, course_deg}` (radars and
// batteries alike).
void Loader::LoadSite(const Node& n, earth::Geodetic* site, double* ship_speed_mps,
                      double* ship_course_rad) {
  const Node s = n.Get("site");
  site->lat_rad = s.GetDouble("lat_deg", Check::Between(-90, 90)) * kDegToRad;
  site->lon_rad = s.GetDouble("lon_deg", Check::Between(-180, 360)) * kDegToRad;
  site->h_m = s.GetDouble("alt_m", 0.0, Check::Between(-500, 10000));
  s.RejectUnknownKeys();
  if (auto ship = n.Find("ship")) {
    *ship_speed_mps = ship->GetDouble("speed_kn", Check::Between(0, 60)) * kKnot_mps;
    *ship_course_rad = ship->GetDouble("course_deg", Check::Between(-360, 360)) * kDegToRad;
    ship->RejectUnknownKeys();
  }
}

void Loader::LoadRadar(const Node& n, const std::string& id) {
  RadarSiteSpec r;
  sensors::RadarSpec& s = r.radar;
  s.id = id;
  LoadSite(n, &r.site, &r.ship_speed_mps, &r.ship_course_rad);
  const Node faces = n.Get("faces");
  for (size_t k = 0; k < faces.size(); ++k) {
    const Node f = faces[k];
    sensors::RadarFace face;
    face.boresight_az_rad = f.GetDouble("boresight_az_deg", Check::Between(-360, 360)) * kDegToRad;
    face.boresight_el_rad = f.GetDouble("boresight_el_deg", 0.0, Check::Between(0, 90)) * kDegToRad;
    face.half_fov_az_rad = f.GetDouble("half_fov_az_deg", Check::Between(0.1, 180)) * kDegToRad;
    face.half_fov_el_rad = f.GetDouble("half_fov_el_deg", Check::Between(0.1, 90)) * kDegToRad;
    f.RejectUnknownKeys();
    s.faces.push_back(face);
  }
  s.min_elevation_rad = n.GetDouble("min_elevation_deg", 0.0, Check::Between(-5, 90)) * kDegToRad;
  s.instrumented_range_m = n.GetDouble("instrumented_range_km", Check::Positive()) * 1e3;
  s.peak_power_W = n.GetDouble("peak_power_w", Check::Positive());
  s.gain_dB = n.GetDouble("gain_db", Check::Between(0, 80));
  s.wavelength_m = n.GetDouble("wavelength_m", Check::Between(1e-3, 10));
  s.losses_dB = n.GetDouble("losses_db", 3.0, Check::Between(0, 50));
  s.noise_temperature_K = n.GetDouble("noise_temperature_k", 500.0, Check::Positive());
  s.pulse_width_s = n.GetDouble("pulse_width_s", Check::Positive());
  s.coherent_pulses = static_cast<int>(n.GetInt("coherent_pulses", 1, Check::Positive()));
  s.pfa = n.GetDouble("pfa", 1e-6, Check::Between(1e-15, 0.1));
  const long long sw = n.GetInt("swerling", 1, Check::Between(0, 3));
  if (sw == 2) {
    throw core::InputError(n.Get("swerling").where(), n.path() + ".swerling",
                           "must be 0, 1 or 3 (got 2)");
  }
  s.swerling = sw == 0   ? sensors::SwerlingCase::k0
               : sw == 1 ? sensors::SwerlingCase::k1
                         : sensors::SwerlingCase::k3;
  s.range_resolution_m = n.GetDouble("range_resolution_m", 150.0, Check::Positive());
  s.beamwidth_rad = n.GetDouble("beamwidth_deg", 1.0, Check::Between(0.01, 90)) * kDegToRad;
  s.range_sigma_m0 = n.GetDouble("range_sigma_m", 10.0, Check::Positive());
  s.angle_sigma_rad0 = n.GetDouble("angle_sigma_mrad", 1.0, Check::Positive()) * 1e-3;
  s.range_rate_sigma_mps0 = n.GetDouble("range_rate_sigma_mps", 0.0, Check::NonNegative());
  s.refraction_4_3 = n.GetBool("refraction_4_3", true);
  s.revisit_s = n.GetDouble("revisit_s", 1.0, Check::Between(0.01, 600));
  s.track_capacity = static_cast<int>(n.GetInt("track_capacity", 100, Check::NonNegative()));
  r.track_revisit_s = n.GetDouble("track_revisit_s", 1.0, Check::Between(0.01, 600));
  r.track_snr_gain = n.GetDouble("track_snr_gain", 4.0, Check::Between(1, 1000));
  n.RejectUnknownKeys();
  ValidateAt(n, [&] { s.Validate(); });
  spec_->radars.push_back(std::move(r));
}

void Loader::LoadSensors(const Node& list) {
  std::set<std::string> ids;
  for (size_t i = 0; i < list.size(); ++i) {
    const Node n = list[i];
    const std::string id = n.GetString("id");
    if (!ids.insert(id).second) {
      throw core::InputError(n.Get("id").where(), n.path() + ".id",
                             fmt::format("duplicate sensor id '{}'", id));
    }
    if (n.GetEnum("class", {"space_ir", "radar"}, "") == "space_ir") {
      LoadSpaceIr(n, id);
    } else {
      LoadRadar(n, id);
    }
  }
}

threats::BoosterSpec Loader::ParseBooster(const Node& n, size_t i,
                                          std::function<threats::BoosterSpec&(ThreatSpec&)> get) {
  threats::BoosterSpec b;
  if (auto preset = n.Find("preset")) {
    if (!BoosterPreset(preset->AsString(), &b, nullptr)) {
      preset->AsEnum(BoosterPresetNames());  // throws with the list of presets
    }
  }
  get(spec_->threats[i]) = b;
  if (auto stages = n.Find("stages")) {
    if (stages->size() < 1 || stages->size() > 3) {
      throw core::InputError(stages->where(), stages->path(),
                             fmt::format("must list 1 to 3 stages (got {})", stages->size()));
    }
    get(spec_->threats[i]).stages.resize(stages->size());
    for (size_t k = 0; k < stages->size(); ++k) {
      const Node s = (*stages)[k];
      const auto st = [i, k, get](auto field) {
        return ThreatRef(
            i, [k, get, field](ThreatSpec& t) -> double& { return get(t).stages[k].*field; });
      };
      Number(s, "wet_mass_kg", 0, Check::Positive(), 1, st(&flight::Stage::wet_mass_kg), true);
      Number(s, "propellant_mass_kg", 0, Check::Positive(), 1,
             st(&flight::Stage::propellant_mass_kg), true);
      Number(s, "isp_s", 0, Check::Positive(), 1, st(&flight::Stage::isp_s), true);
      Number(s, "burn_time_s", 0, Check::Positive(), 1, st(&flight::Stage::burn_time_s), true);
      Number(s, "diameter_m", 0, Check::Positive(), 1, st(&flight::Stage::diameter_m), true);
      Number(s, "coast_after_s", 0, Check::NonNegative(), 1, st(&flight::Stage::coast_after_s));
      const flight::Stage& stage = get(spec_->threats[i]).stages[k];
      if (stage.propellant_mass_kg >= stage.wet_mass_kg) {
        throw core::InputError(s.Get("propellant_mass_kg").where(),
                               s.path() + ".propellant_mass_kg",
                               fmt::format("must be less than wet_mass_kg {} (got {})",
                                           stage.wet_mass_kg, stage.propellant_mass_kg));
      }
      s.RejectUnknownKeys();
    }
  }
  threats::BoosterSpec& out = get(spec_->threats[i]);
  if (out.stages.empty()) {
    throw core::InputError(n.where(), n.path(),
                           "needs 'preset' (" +
                               fmt::format("{}", fmt::join(BoosterPresetNames(), ", ")) +
                               ") or 'stages'");
  }
  if (auto drag = n.Find("drag")) {
    out.drag.mach = drag->GetDoubleList("mach", Check::NonNegative());
    out.drag.cd = drag->GetDoubleList("cd", Check::Positive());
    if (out.drag.mach.size() != out.drag.cd.size() || out.drag.mach.size() < 2) {
      throw core::InputError(drag->where(), drag->path(),
                             "mach and cd must be lists of the same length (>= 2)");
    }
    for (size_t k = 1; k < out.drag.mach.size(); ++k) {
      if (out.drag.mach[k] <= out.drag.mach[k - 1]) {
        throw core::InputError(drag->Get("mach").where(), drag->path() + ".mach",
                               "must be strictly increasing");
      }
    }
    drag->RejectUnknownKeys();
  }
  const auto bref = [i, get](double threats::BoosterSpec::*field) {
    return ThreatRef(i, [get, field](ThreatSpec& t) -> double& { return get(t).*field; });
  };
  Number(n, "vertical_rise_s", 6.0, Check::NonNegative(), 1,
         bref(&threats::BoosterSpec::vertical_rise_s));
  Number(n, "pitch_over_s", 4.0, Check::Positive(), 1, bref(&threats::BoosterSpec::pitch_over_s));
  if (n.Has("pitch_kick_deg")) {
    get(spec_->threats[i]).pitch_kick_rad = 0.0;
    Number(n, "pitch_kick_deg", 0, Check::Between(0, 89), kDegToRad,
           ThreatRef(i, [get](ThreatSpec& t) -> double& { return *get(t).pitch_kick_rad; }));
  }
  n.RejectUnknownKeys();
  return get(spec_->threats[i]);
}

void Loader::LoadState(const Node& n, size_t i,
                       std::function<threats::StateSpec&(ThreatSpec&)> get) {
  get(spec_->threats[i]) = threats::StateSpec{};
  const auto f = [i, get](auto getter) {
    return ThreatRef(i, [get, getter](ThreatSpec& t) -> double& { return getter(get(t)); });
  };
  using S = threats::StateSpec;
  Number(n, "time_s", 0, Check::NonNegative(), 1, f([](S& s) -> double& { return s.time_s; }));
  Number(n, "lat_deg", 0, Check::Between(-90, 90), kDegToRad,
         f([](S& s) -> double& { return s.position.lat_rad; }), true);
  Number(n, "lon_deg", 0, Check::Between(-180, 360), kDegToRad,
         f([](S& s) -> double& { return s.position.lon_rad; }), true);
  Number(n, "alt_km", 0, Check::Between(0, 2000), 1e3,
         f([](S& s) -> double& { return s.position.alt_m; }), true);
  Number(n, "speed_mps", 0, Check::Positive(), 1, f([](S& s) -> double& { return s.speed_mps; }),
         true);
  Number(n, "flight_path_deg", 0, Check::Between(-90, 90), kDegToRad,
         f([](S& s) -> double& { return s.flight_path_rad; }), true);
  if (n.Has("heading_deg")) {
    get(spec_->threats[i]).heading_rad = 0.0;
    Number(n, "heading_deg", 0, Check::Between(-360, 360), kDegToRad,
           f([](S& s) -> double& { return *s.heading_rad; }));
  }
  n.RejectUnknownKeys();
}

void Loader::LoadThreat(const Node& n, size_t i) {
  ThreatSpec& t0 = spec_->threats[i];
  t0.id = n.GetString("id");
  for (size_t j = 0; j < i; ++j) {
    if (spec_->threats[j].id == t0.id) {
      throw core::InputError(n.Get("id").where(), n.path() + ".id",
                             fmt::format("duplicate threat id '{}'", t0.id));
    }
  }
  const std::string cls = n.GetEnum("class", {"ballistic", "boost_glide", "cruise"}, "");
  t0.threat_class = cls == "ballistic"     ? threats::ThreatClass::kBallistic
                    : cls == "boost_glide" ? threats::ThreatClass::kBoostGlide
                                           : threats::ThreatClass::kCruise;
  t0.class_label = n.GetString("label", cls);

  using T = ThreatSpec;
  const auto tr = [i](auto getter) { return ThreatRef(i, getter); };
  const bool from_state =
      (cls == "ballistic" && n.Has("burnout")) || (cls == "boost_glide" && n.Has("entry"));
  if (auto launch = n.Find("launch"); launch || !from_state) {
    const Node l = launch ? *launch : n.Get("launch");
    Number(l, "lat_deg", 0, Check::Between(-90, 90), kDegToRad,
           tr([](T& t) -> double& { return t.launch.lat_rad; }), true);
    Number(l, "lon_deg", 0, Check::Between(-180, 360), kDegToRad,
           tr([](T& t) -> double& { return t.launch.lon_rad; }), true);
    Number(l, "alt_m", 0, Check::Between(-500, 10000), 1,
           tr([](T& t) -> double& { return t.launch.alt_m; }));
    Number(l, "time_s", 0, Check::NonNegative(), 1,
           tr([](T& t) -> double& { return t.launch_time_s; }));
    l.RejectUnknownKeys();
  }
  const Node aim = n.Get("aim");
  Number(aim, "lat_deg", 0, Check::Between(-90, 90), kDegToRad,
         tr([](T& t) -> double& { return t.aim.lat_rad; }), true);
  Number(aim, "lon_deg", 0, Check::Between(-180, 360), kDegToRad,
         tr([](T& t) -> double& { return t.aim.lon_rad; }), true);
  Number(aim, "alt_m", 0, Check::Between(-500, 10000), 1,
         tr([](T& t) -> double& { return t.aim.alt_m; }));
  aim.RejectUnknownKeys();

  if (cls == "ballistic") {
    if (auto b = n.Find("burnout")) {
      LoadState(*b, i, [](T& t) -> threats::StateSpec& {
        if (!t.ballistic.burnout) t.ballistic.burnout.emplace();
        return *t.ballistic.burnout;
      });
      spec_->threats[i].launch = {spec_->threats[i].ballistic.burnout->position};
      spec_->threats[i].launch_time_s = spec_->threats[i].ballistic.burnout->time_s;
    } else {
      ParseBooster(n.Get("booster"), i,
                   [](T& t) -> threats::BoosterSpec& { return t.ballistic.booster; });
      const std::string shape =
          n.GetEnum("trajectory", {"minimum_energy", "lofted", "depressed"}, "minimum_energy");
      spec_->threats[i].ballistic.shape = shape == "lofted" ? threats::TrajectoryShape::kLofted
                                          : shape == "depressed"
                                              ? threats::TrajectoryShape::kDepressed
                                              : threats::TrajectoryShape::kMinimumEnergy;
    }
    const Node rv = n.Get("rv");
    Number(rv, "mass_kg", 0, Check::Positive(), 1,
           tr([](T& t) -> double& { return t.ballistic.rv.mass_kg; }), true);
    Number(rv, "ballistic_coefficient_kgpm2", 0, Check::Positive(), 1,
           tr([](T& t) -> double& { return t.ballistic.rv.ballistic_coefficient_kgpm2; }), true);
    Number(rv, "nose_radius_m", 0.1, Check::Positive(), 1,
           tr([](T& t) -> double& { return t.ballistic.rv.nose_radius_m; }));
    Number(rv, "emissivity", 0.8, Check::Between(0.01, 1), 1,
           tr([](T& t) -> double& { return t.ballistic.rv.emissivity; }));
    rv.RejectUnknownKeys();
  } else if (cls == "boost_glide") {
    if (auto e = n.Find("entry")) {
      LoadState(*e, i, [](T& t) -> threats::StateSpec& {
        if (!t.boost_glide.entry) t.boost_glide.entry.emplace();
        return *t.boost_glide.entry;
      });
      spec_->threats[i].launch = spec_->threats[i].boost_glide.entry->position;
      spec_->threats[i].launch_time_s = spec_->threats[i].boost_glide.entry->time_s;
    } else {
      ParseBooster(n.Get("booster"), i,
                   [](T& t) -> threats::BoosterSpec& { return t.boost_glide.booster; });
    }
    if (auto g = n.Find("glider")) {  // absent: the HTV-2-class defaults of GliderSpec
      const std::string aero =
          g->GetEnum("aero", {"constant_ld", "cavh_table", "cavh_fit"}, "constant_ld");
      spec_->threats[i].boost_glide.glider.aero =
          aero == "cavh_table" ? threats::GliderAeroModel::kCavHTable
          : aero == "cavh_fit" ? threats::GliderAeroModel::kCavHFit
                               : threats::GliderAeroModel::kConstantLiftToDrag;
      const auto gl = [i](double threats::GliderSpec::*field) {
        return ThreatRef(i, [field](T& t) -> double& { return t.boost_glide.glider.*field; });
      };
      using G = threats::GliderSpec;
      const bool cav = aero != "constant_ld";
      Number(*g, "mass_kg", cav ? 907.185 : 1000.0, Check::Positive(), 1, gl(&G::mass_kg));
      Number(*g, "lift_to_drag", 2.6, Check::Between(0.1, 10), 1, gl(&G::lift_to_drag));
      Number(*g, "ballistic_coefficient_kgpm2", 13000, Check::Positive(), 1,
             gl(&G::ballistic_coefficient_kgpm2));
      Number(*g, "max_lift_over_trim", 1.6, Check::Between(1, 10), 1, gl(&G::max_lift_over_trim));
      Number(*g, "reference_area_m2", 0.48387, Check::Positive(), 1, gl(&G::reference_area_m2));
      Number(*g, "nose_radius_m", 0.034, Check::Positive(), 1, gl(&G::nose_radius_m));
      Number(*g, "emissivity", 0.85, Check::Between(0.01, 1), 1, gl(&G::emissivity));
      Number(*g, "max_bank_deg", 70, Check::Between(0, 89), kDegToRad, gl(&G::max_bank_rad));
      Number(*g, "max_load_factor", 6, Check::Positive(), 1, gl(&G::max_load_factor));
      g->RejectUnknownKeys();
    }
    using GG = threats::GlideGuidanceSpec;
    const auto gg = [i](double GG::*field) {
      return ThreatRef(i, [field](T& t) -> double& { return t.boost_glide.guidance.*field; });
    };
    if (auto gd = n.Find("guidance")) {
      Number(*gd, "release_flight_path_deg", 0, Check::Between(-30, 60), kDegToRad,
             gg(&GG::release_flight_path_rad));
      Number(*gd, "phugoid_damping_per_s", 0.035, Check::NonNegative(), 1,
             gg(&GG::phugoid_damping_per_s));
      Number(*gd, "heading_gain", 4, Check::Positive(), 1, gg(&GG::heading_gain));
      Number(*gd, "dive_lift_fraction", 0.5, Check::Between(0.05, 1), 1,
             gg(&GG::dive_lift_fraction));
      Number(*gd, "navigation_constant", 3, Check::Between(1, 10), 1, gg(&GG::navigation_constant));
      if (auto w = gd->Find("weave")) {
        spec_->threats[i].boost_glide.guidance.weave.emplace();
        const auto wv = [i](double threats::WeaveSpec::*field) {
          return ThreatRef(
              i, [field](T& t) -> double& { return *t.boost_glide.guidance.weave.*field; });
        };
        Number(*w, "amplitude_deg", 0, Check::Between(0, 89), kDegToRad,
               wv(&threats::WeaveSpec::amplitude_rad), true);
        Number(*w, "period_s", 0, Check::Positive(), 1, wv(&threats::WeaveSpec::period_s), true);
        Number(*w, "start_s", 0, Check::NonNegative(), 1, wv(&threats::WeaveSpec::start_s));
        spec_->threats[i].boost_glide.guidance.weave->square =
            w->GetEnum("shape", {"sine", "square"}, "sine") == "square";
        w->RejectUnknownKeys();
      }
      if (auto d = gd->Find("dogleg")) {
        spec_->threats[i].boost_glide.guidance.dogleg.emplace();
        Number(*d, "lat_deg", 0, Check::Between(-90, 90), kDegToRad,
               tr([](T& t) -> double& { return t.boost_glide.guidance.dogleg->lat_rad; }), true);
        Number(*d, "lon_deg", 0, Check::Between(-180, 360), kDegToRad,
               tr([](T& t) -> double& { return t.boost_glide.guidance.dogleg->lon_rad; }), true);
        d->RejectUnknownKeys();
      }
      gd->RejectUnknownKeys();
    }
  } else {
    ParseBooster(n.Get("booster"), i,
                 [](T& t) -> threats::BoosterSpec& { return t.cruise.booster; });
    const Node c = n.Get("cruise");
    using C = threats::CruiseSpec;
    const auto cr = [i](double C::*field) {
      return ThreatRef(i, [field](T& t) -> double& { return t.cruise.*field; });
    };
    Number(c, "altitude_km", 27, Check::Between(10, 60), 1e3, cr(&C::cruise_altitude_m));
    Number(c, "mach", 6, Check::Between(1, 15), 1, cr(&C::cruise_mach));
    Number(c, "vehicle_mass_kg", 1500, Check::Positive(), 1, cr(&C::vehicle_mass_kg));
    Number(c, "fuel_mass_kg", 500, Check::Positive(), 1, cr(&C::fuel_mass_kg));
    Number(c, "isp_s", 1000, Check::Positive(), 1, cr(&C::isp_s));
    Number(c, "max_thrust_n", 20000, Check::Positive(), 1, cr(&C::max_thrust_N));
    Number(c, "lift_to_drag", 4, Check::Between(0.1, 10), 1, cr(&C::lift_to_drag));
    Number(c, "ballistic_coefficient_kgpm2", 15000, Check::Positive(), 1,
           cr(&C::ballistic_coefficient_kgpm2));
    Number(c, "max_lift_over_trim", 2, Check::Between(1, 10), 1, cr(&C::max_lift_over_trim));
    Number(c, "nose_radius_m", 0.05, Check::Positive(), 1, cr(&C::nose_radius_m));
    Number(c, "emissivity", 0.85, Check::Between(0.01, 1), 1, cr(&C::emissivity));
    Number(c, "dive_lift_fraction", 0.5, Check::Between(0.05, 1), 1, cr(&C::dive_lift_fraction));
    Number(c, "navigation_constant", 3, Check::Between(1, 10), 1, cr(&C::navigation_constant));
    const C& cs = spec_->threats[i].cruise;
    if (cs.fuel_mass_kg >= cs.vehicle_mass_kg) {
      throw core::InputError(c.Get("fuel_mass_kg").where(), c.path() + ".fuel_mass_kg",
                             fmt::format("must be less than vehicle_mass_kg {} (got {})",
                                         cs.vehicle_mass_kg, cs.fuel_mass_kg));
    }
    c.RejectUnknownKeys();
  }
  if (auto sig = n.Find("signature")) {
    if (auto table = sig->Find("rcs_aspect")) {
      if (auto constant = sig->Find("rcs_m2")) {
        throw core::InputError(table->where(), table->path(),
                               "give either rcs_m2 (a constant) or rcs_aspect (a table vs aspect), "
                               "not both (rcs_m2 is also given, at line " +
                                   std::to_string(constant->where().line) + ")");
      }
      spec_->threats[i].rcs_aspect_dBsm = ParseRcsAspect(*table);
    } else {
      Number(*sig, "rcs_m2", 0.1, Check::Positive(), 1,
             tr([](T& t) -> double& { return t.rcs_m2; }));
    }
    Number(*sig, "ir_area_m2", 0.5, Check::Positive(), 1,
           tr([](T& t) -> double& { return t.ir_area_m2; }));
    Number(*sig, "ir_emissivity", 0.85, Check::Between(0.01, 1), 1,
           tr([](T& t) -> double& { return t.ir_emissivity; }));
    sig->RejectUnknownKeys();
  }
  n.RejectUnknownKeys();
}

void Loader::LoadAssets(const Node& list) {
  std::set<std::string> ids;
  for (size_t i = 0; i < list.size(); ++i) {
    const Node n = list[i];
    AssetSpec a;
    a.id = n.GetString("id");
    if (!ids.insert(a.id).second) {
      throw core::InputError(n.Get("id").where(), n.path() + ".id",
                             fmt::format("duplicate asset id '{}'", a.id));
    }
    a.lat_rad = n.GetDouble("lat_deg", Check::Between(-90, 90)) * kDegToRad;
    a.lon_rad = n.GetDouble("lon_deg", Check::Between(-180, 360)) * kDegToRad;
    a.radius_m = n.GetDouble("radius_km", 20.0, Check::Between(0.01, 2000)) * 1e3;
    a.value = n.GetDouble("value", 1.0, Check::Positive());
    n.RejectUnknownKeys();
    spec_->assets.push_back(std::move(a));
  }
}

void Loader::LoadTracker(const Node& n) {
  TrackerSpec& t = spec_->tracker;
  t.enabled = true;
  tracking::TrackerConfig& c = t.config;
  const std::string filter = n.GetEnum("filter", {"ekf", "ukf", "imm"}, "imm");
  c.filter = filter == "ekf"   ? tracking::FilterKind::kEkf
             : filter == "ukf" ? tracking::FilterKind::kUkf
                               : tracking::FilterKind::kImm;
  const std::vector<std::string> models = {"cv", "ca", "singer", "ct", "ballistic", "glide"};
  c.model = n.GetEnum("model", models, c.model);
  if (auto list = n.Find("imm_models")) {
    c.imm_models.clear();
    for (size_t i = 0; i < list->size(); ++i) c.imm_models.push_back((*list)[i].AsEnum(models));
    if (c.imm_models.size() < 2) {
      throw core::InputError(
          list->where(), list->path(),
          fmt::format("an IMM needs at least 2 models (got {})", c.imm_models.size()));
    }
  }
  c.unscented = n.GetBool("unscented", false);
  t.distributed =
      n.GetEnum("fusion", {"centralised", "distributed"}, "centralised") == "distributed";
  t.fusion.gate_probability = n.GetDouble("fusion_gate_probability", t.fusion.gate_probability,
                                          Check::Between(0.9, 0.999999));
  c.imm_switch_probability =
      n.GetDouble("imm_switch_probability", c.imm_switch_probability, Check::Between(1e-6, 0.49));
  c.association = n.GetEnum("association", {"gnn", "jpda"}, "gnn") == "gnn"
                      ? tracking::AssociationKind::kGnn
                      : tracking::AssociationKind::kJpda;
  c.gate_probability =
      n.GetDouble("gate_probability", c.gate_probability, Check::Between(0.9, 0.999999));
  c.jpda_pd = n.GetDouble("jpda_pd", c.jpda_pd, Check::Between(0.01, 1));
  c.jpda_clutter_density =
      n.GetDouble("jpda_clutter_density", c.jpda_clutter_density, Check::Positive());
  c.init_velocity_sigma_mps =
      n.GetDouble("init_velocity_sigma_mps", c.init_velocity_sigma_mps, Check::Between(1, 20000));
  c.triangulation_max_miss_m =
      n.GetDouble("triangulation_max_miss_km", c.triangulation_max_miss_m / 1e3,
                  Check::Between(0.001, 1000)) *
      1e3;
  c.confirm_hits =
      static_cast<int>(n.GetInt("confirm_hits", c.confirm_hits, Check::Between(1, 100)));
  c.confirm_window =
      static_cast<int>(n.GetInt("confirm_window", c.confirm_window, Check::Between(1, 100)));
  if (c.confirm_window < c.confirm_hits) {
    throw core::InputError(
        n.Get("confirm_window").where(), n.path() + ".confirm_window",
        fmt::format("must be >= confirm_hits {} (got {})", c.confirm_hits, c.confirm_window));
  }
  c.coast_limit_s = n.GetDouble("coast_limit_s", c.coast_limit_s, Check::Between(0.1, 3600));
  c.max_position_sigma_m =
      n.GetDouble("max_position_sigma_km", c.max_position_sigma_m / 1e3, Check::Positive()) * 1e3;
  tracking::MotionModelParams& p = c.model_params;
  if (auto q = n.Find("process_noise")) {
    p.cv.q_m2ps3 = q->GetDouble("cv_q_m2ps3", p.cv.q_m2ps3, Check::Positive());
    p.ca.q_m2ps5 = q->GetDouble("ca_q_m2ps5", p.ca.q_m2ps5, Check::Positive());
    p.singer.sigma_a_mps2 =
        q->GetDouble("singer_sigma_mps2", p.singer.sigma_a_mps2, Check::Positive());
    p.singer.tau_s = q->GetDouble("singer_tau_s", p.singer.tau_s, Check::Positive());
    p.ballistic.q_accel_m2ps3 =
        q->GetDouble("ballistic_q_m2ps3", p.ballistic.q_accel_m2ps3, Check::Positive());
    p.glide.sigma_a_mps2 =
        q->GetDouble("glide_sigma_mps2", p.glide.sigma_a_mps2, Check::Positive());
    p.glide.tau_s = q->GetDouble("glide_tau_s", p.glide.tau_s, Check::Positive());
    q->RejectUnknownKeys();
  }
  t.assessment_step_s =
      n.GetDouble("assessment_step_s", t.assessment_step_s, Check::Between(0.1, 3600));
  t.glider_lift_to_drag =
      n.GetDouble("glider_lift_to_drag", t.glider_lift_to_drag, Check::Between(0.5, 10));
  t.glider_ballistic_coefficient_kgpm2 =
      n.GetDouble("glider_ballistic_coefficient_kgpm2", t.glider_ballistic_coefficient_kgpm2,
                  Check::Positive());
  t.ballistic_coefficient_kgpm2 =
      n.GetDouble("ballistic_coefficient_kgpm2", t.ballistic_coefficient_kgpm2, Check::Positive());
  t.threat_samples =
      static_cast<int>(n.GetInt("threat_samples", t.threat_samples, Check::Between(1, 10000)));
  t.fire_control_sigma_m =
      n.GetDouble("fire_control_sigma_m", t.fire_control_sigma_m, Check::Positive());
  n.RejectUnknownKeys();
  ValidateAt(n, [&] { c.Validate(); });
}

void Loader::LoadDefense(const Node& n) {
  DefenseSpec& d = spec_->defense;
  d.enabled = true;
  d.doctrine = n.GetEnum("doctrine", {"shoot_look_shoot", "shoot_shoot"}, "shoot_look_shoot") ==
                       "shoot_shoot"
                   ? engagement::FireDoctrine::kShootShoot
                   : engagement::FireDoctrine::kShootLookShoot;
  d.decision_period_s = n.GetDouble("decision_period_s", 2.0, Check::Between(0.1, 600));
  d.exact_wta = n.GetEnum("wta", {"greedy", "exact"}, "greedy") == "exact";
  d.min_class_probability = n.GetDouble("min_class_probability", 0.5, Check::Between(0, 1));
  const Node list = n.Get("batteries");
  std::set<std::string> ids;
  for (size_t i = 0; i < list.size(); ++i) {
    const Node b = list[i];
    BatterySpec s;
    s.id = b.GetString("id");
    if (!ids.insert(s.id).second) {
      throw core::InputError(b.Get("id").where(), b.path() + ".id",
                             fmt::format("duplicate battery id '{}'", s.id));
    }
    const Node preset = b.Get("interceptor");
    s.interceptor_preset = preset.AsEnum(engagement::InterceptorPresetNames());
    engagement::InterceptorPreset(s.interceptor_preset, &s.interceptor);
    s.interceptor.id = s.id + "/" + s.interceptor_preset;
    LoadSite(b, &s.site, &s.ship_speed_mps, &s.ship_course_rad);
    s.inventory = static_cast<int>(b.GetInt("inventory", 8, Check::Between(0, 1000)));
    const size_t at = d.batteries.size();
    const auto bat = [at](auto getter) {
      return Ref(
          [at, getter](ScenarioSpec& sp) -> double& { return getter(sp.defense.batteries[at]); });
    };
    // Reaction time and interceptor errors may vary from run to run (distributions). Their
    // nominal values go into `s` now (Number writes through the spec, so `s` is stored first).
    d.batteries.push_back(s);
    Number(b, "reaction_time_s", 10.0, Check::Between(0, 3600), 1,
           bat([](BatterySpec& x) -> double& { return x.reaction_time_s; }));
    Number(b, "seeker_sigma_urad", s.interceptor.seeker.angle_sigma_rad * 1e6, Check::Positive(),
           1e-6,
           bat([](BatterySpec& x) -> double& { return x.interceptor.seeker.angle_sigma_rad; }));
    Number(b, "autopilot_lag_s", s.interceptor.autopilot_time_constant_s, Check::Between(0.01, 5),
           1,
           bat([](BatterySpec& x) -> double& { return x.interceptor.autopilot_time_constant_s; }));
    s = d.batteries.back();
    d.batteries.pop_back();
    if (auto curve = b.Find("pk_vs_miss")) {
      const Node miss = curve->Get("miss_m");
      s.interceptor.pk_curve_miss_m = curve->GetDoubleList("miss_m", Check::NonNegative());
      s.interceptor.pk_curve_pk = curve->GetDoubleList("pk", Check::Between(0, 1));
      curve->RejectUnknownKeys();
      const std::vector<double>& m = s.interceptor.pk_curve_miss_m;
      if (m.size() < 2) {
        throw core::InputError(miss.where(), miss.path(),
                               fmt::format("a curve needs at least two points (got {})", m.size()));
      }
      for (size_t k = 1; k < m.size(); ++k) {
        if (!(m[k] > m[k - 1])) {
          throw core::InputError(miss[k].where(), miss[k].path(),
                                 fmt::format("miss distances must be strictly increasing (got {} "
                                             "after {})",
                                             m[k], m[k - 1]));
        }
      }
      if (s.interceptor.pk_curve_pk.size() != m.size()) {
        const Node pk = curve->Get("pk");
        throw core::InputError(pk.where(), pk.path(),
                               fmt::format("needs one value per miss distance ({} of them, got {})",
                                           m.size(), s.interceptor.pk_curve_pk.size()));
      }
    }
    s.salvo_size = static_cast<int>(b.GetInt("salvo_size", 1, Check::Between(1, 8)));
    s.launch_interval_s = b.GetDouble("launch_interval_s", 3.0, Check::Between(0.1, 600));
    b.RejectUnknownKeys();
    d.batteries.push_back(std::move(s));
  }
  n.RejectUnknownKeys();
}

void Loader::Load(const Node& root) {
  spec_->name = root.GetString("name", "unnamed");
  spec_->epoch_utc = root.GetString("epoch_utc");
  spec_->duration_s = root.GetDouble("duration_s", 3600.0, Check::Positive());
  spec_->seed = static_cast<std::uint64_t>(root.GetInt("seed", 1, Check::NonNegative()));
  if (auto w = root.Find("world")) LoadWorld(*w);
  try {
    spec_->epoch = core::Epoch::FromIso8601(spec_->epoch_utc, spec_->world.dut1_s);
  } catch (const std::invalid_argument& e) {
    throw core::InputError(root.Get("epoch_utc").where(), "epoch_utc", e.what());
  }
  if (auto o = root.Find("outputs")) LoadOutputs(*o);
  const Node threats = root.Get("threats");
  spec_->threats.resize(threats.size());
  for (size_t i = 0; i < threats.size(); ++i) LoadThreat(threats[i], i);
  if (auto sensors = root.Find("sensors")) LoadSensors(*sensors);
  if (auto a = root.Find("assets")) LoadAssets(*a);
  if (auto t = root.Find("tracker")) LoadTracker(*t);
  if (auto d = root.Find("defense")) {
    if (!spec_->tracker.enabled) {
      throw core::InputError(d->where(), "defense",
                             "needs a `tracker` block: engagement sees tracks, never truth");
    }
    LoadDefense(*d);
  }
  root.RejectUnknownKeys();
}

ScenarioSpec Finish(const Node& root, const std::string& file) {
  ScenarioSpec spec;
  spec.file = file;
  Loader(&spec).Load(root);
  return spec;
}

}  // namespace

ScenarioSpec LoadScenario(const std::string& path, const std::vector<std::string>& overrides) {
  Node root = Node::LoadFile(path);
  for (const std::string& o : overrides) {
    const size_t eq = o.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw core::InputError({"<--set>", 0, 0}, o, "expected PATH=VALUE");
    }
    root.SetPath(o.substr(0, eq), o.substr(eq + 1));
  }
  return Finish(root, path);
}

ScenarioSpec LoadScenarioFromString(const std::string& text, const std::string& file_name) {
  return Finish(Node::LoadString(text, file_name), file_name);
}

ScenarioSpec SampleScenario(const ScenarioSpec& nominal, std::uint64_t replication) {
  ScenarioSpec s = nominal;
  for (const VariedParameter& v : nominal.varied) {
    core::RandomStream rng(nominal.seed, replication, v.path, "scenario");
    v.ref(s) = v.distribution.Sample(rng) * v.scale;
  }
  return s;
}

}  // namespace hyperdef::sim
