#include "threats/flight_segment.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include "core/constants.h"
#include "earth/wgs84.h"
#include "flight/integrator.h"

namespace hyperdef::threats {

using flight::State;
using flight::Vec3;

namespace {
enum EventId { kImpact = 0, kStop = 1, kApogee = 2, kKarman = 3 };
constexpr double kKarmanLine_m = 100e3;
}  // namespace

TrajectorySample MakeSample(const PhaseModel& model, double t_s, const State& x) {
  TrajectorySample s;
  s.t_s = t_s;
  s.x = x;
  const Vec3 r = flight::PositionOf(x), v = flight::VelocityOf(x);
  const earth::Geodetic g = earth::GeodeticFromEcefFast(r);
  const flight::AirData air = flight::AirDataAt(g.h_m, v);  // = ComputeAirData(r, v)
  const flight::Forces f = model.ForcesAt(t_s, x, air);
  s.lat_rad = g.lat_rad;
  s.lon_rad = g.lon_rad;
  s.alt_m = air.altitude_m;
  s.speed_mps = air.speed_mps;
  s.mach = air.mach;
  s.flight_path_rad = flight::FlightPathAngle(r, v);
  s.heading_rad = flight::Heading(r, v);
  s.dynamic_pressure_Pa = air.dynamic_pressure_Pa;
  s.load_factor = flight::SpecificForce(x, f).norm() / core::kG0_mps2;
  s.heat_flux_Wpm2 =
      flight::StagnationHeatFlux_Wpm2(air.density_kgpm3, air.speed_mps, model.nose_radius_m());
  s.surface_temperature_K =
      std::max(flight::RadiativeEquilibriumTemperature_K(s.heat_flux_Wpm2, model.emissivity()),
               air.temperature_K);
  s.thrust_N = f.thrust_Ecef_N.norm();
  s.phase = model.PhaseAt(t_s, x, air);
  return s;
}

SegmentResult FlySegment(const flight::Environment& env, const PhaseModel& model, double t0_s,
                         const State& x0, const SegmentOptions& options, Trajectory* record) {
  SegmentResult out{t0_s, x0, SegmentEnd::kTimeLimit};
  if (options.t_end_s <= t0_s) return out;
  const auto f = [&](double t, const State& x) -> State {
    const Vec3 r = flight::PositionOf(x), v = flight::VelocityOf(x);
    return flight::Derivative(env, x, model.ForcesAt(t, x, flight::ComputeAirData(r, v)));
  };
  using Ev = flight::Event<7>;
  const std::array<Ev, 4> events{
      Ev{kImpact,
         [](double, const State& x) { return earth::HeightFromEcefFast(flight::PositionOf(x)); },
         flight::EventDirection::kFalling, true},
      Ev{kStop, [&model](double t, const State& x) { return model.StopFunction(t, x); },
         flight::EventDirection::kFalling, true},
      Ev{kApogee,
         [](double, const State& x) { return flight::PositionOf(x).dot(flight::VelocityOf(x)); },
         flight::EventDirection::kFalling, false},
      Ev{kKarman,
         [](double, const State& x) {
           return earth::HeightFromEcefFast(flight::PositionOf(x)) - kKarmanLine_m;
         },
         flight::EventDirection::kEither, false},
  };
  // Non-recording flights (aiming iterations) skip the bookkeeping events.
  const std::span<const Ev> active(events.data(), record ? events.size() : 2);

  flight::Dp54Options<7> opt;
  opt.rel_tol = options.relative_tolerance;
  opt.max_step_s = options.max_step_s;
  opt.event_time_tol_s = 1e-4;  // events located to 0.1 ms (the requirement is 1 ms)

  std::vector<std::pair<double, State>> grid;
  const bool sample = record && options.record_step_s > 0.0;
  const double dt = sample ? options.record_step_s : 1.0;
  const double first = std::ceil(t0_s / dt) * dt;  // samples on multiples of the step
  auto sampler = flight::SampleEvery(first, dt, [&](double t, const State& x) {
    if (sample) grid.emplace_back(t, x);
  });
  flight::IntegrationResult<7> res;
  if (options.rk4_step_s > 0.0) {
    flight::Rk4Options rk4;
    rk4.step_s = options.rk4_step_s;
    rk4.event_time_tol_s = opt.event_time_tol_s;
    res = flight::IntegrateRk4<7>(f, t0_s, x0, options.t_end_s, rk4, active, {}, sampler);
  } else {
    res = flight::IntegrateDp54<7>(f, t0_s, x0, options.t_end_s, opt, active, {}, sampler);
  }
  if (!res.ok()) {
    throw std::runtime_error(fmt::format("flight integration failed at t = {:.3f} s: {}", res.t_s,
                                         flight::ToString(res.status)));
  }
  out.t_s = res.t_s;
  out.x = res.x;
  if (res.status == flight::IntegrationStatus::kTerminalEvent) {
    out.end = res.events.back().id == kImpact ? SegmentEnd::kImpact : SegmentEnd::kStopFunction;
  }
  if (!record) return out;

  // Samples: the segment start (replacing a previous segment's end at the same time, whose
  // mass or phase may have changed), the grid, every event, and the end.
  std::vector<TrajectorySample> samples;
  samples.push_back(MakeSample(model, t0_s, x0));
  for (const auto& [t, x] : grid)
    if (t > t0_s && t < out.t_s) samples.push_back(MakeSample(model, t, x));
  for (const auto& hit : res.events) {
    if (hit.id == kApogee) record->events.push_back({hit.t_s, "apogee"});
    if (hit.id == kKarman)
      record->events.push_back({hit.t_s, hit.rising ? "up-100km" : "down-100km"});
    if (hit.id == kImpact) record->events.push_back({hit.t_s, "impact"});
    if (hit.t_s > t0_s && hit.t_s < out.t_s) samples.push_back(MakeSample(model, hit.t_s, hit.x));
  }
  samples.push_back(MakeSample(model, out.t_s, out.x));
  if (out.end == SegmentEnd::kImpact) samples.back().phase = Phase::kImpact;
  std::stable_sort(
      samples.begin(), samples.end(),
      [](const TrajectorySample& a, const TrajectorySample& b) { return a.t_s < b.t_s; });
  auto& dst = record->samples;
  if (!dst.empty() && dst.back().t_s == samples.front().t_s) dst.pop_back();
  for (TrajectorySample& s : samples) {
    if (!dst.empty() && s.t_s < dst.back().t_s + 1e-3) continue;  // events within 1 ms of a sample
    dst.push_back(std::move(s));
  }
  std::stable_sort(record->events.begin(), record->events.end(),
                   [](const FlightEvent& a, const FlightEvent& b) { return a.t_s < b.t_s; });
  return out;
}

}  // namespace hyperdef::threats
