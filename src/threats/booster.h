// A multi-stage booster: vertical rise, a programmed pitch-over by a "kick" angle toward the
// launch azimuth, then a zero-lift gravity turn (thrust along the air-relative velocity) — the
// classical open-literature ballistic missile steering (e.g. Wright & Kadyshev, S&GS 1994;
// Forden 2007). The kick angle selects the trajectory: small kicks loft, large kicks depress.
#pragma once

#include "threats/flight_segment.h"

namespace hyperdef::threats {

class BoosterPhase : public PhaseModel {
 public:
  // `stage` is the index of the burning stage; `payload_kg` what sits on top of the whole stack.
  BoosterPhase(const BoosterSpec& spec, int stage, double launch_time_s, const flight::Vec3& up0,
               const flight::Vec3& azimuth_dir0, double kick_rad, double cutoff_time_s);
  flight::Forces ForcesAt(double t, const flight::State& x,
                          const flight::AirData& air) const override;
  Phase PhaseAt(double, const flight::State&, const flight::AirData&) const override {
    return Phase::kBoost;
  }

 private:
  const BoosterSpec& spec_;
  int stage_;
  double launch_time_s_;
  flight::Vec3 up0_, azimuth_dir0_;
  double kick_rad_;
  double cutoff_time_s_;  // absolute time after which thrust is zero (energy management)
  double area_m2_;
};

// An unpowered body with a ballistic coefficient (re-entry vehicle, spent booster).
class BallisticBodyPhase : public PhaseModel {
 public:
  BallisticBodyPhase(double ballistic_coefficient_kgpm2, double nose_radius_m, double emissivity)
      : beta_(ballistic_coefficient_kgpm2),
        nose_radius_m_(nose_radius_m),
        emissivity_(emissivity) {}
  flight::Forces ForcesAt(double t, const flight::State& x,
                          const flight::AirData& air) const override;
  Phase PhaseAt(double t, const flight::State& x, const flight::AirData& air) const override;
  double nose_radius_m() const override { return nose_radius_m_; }
  double emissivity() const override { return emissivity_; }

 private:
  double beta_, nose_radius_m_, emissivity_;
};

// Result of flying a booster: the state at final burnout (or cutoff) and its time.
struct BoostResult {
  double t_s = 0.0;
  flight::State x = flight::State::Zero();
};

// Flies every stage from the launch point, dropping each stage's dry mass at its burnout;
// the payload mass rides on top. Thrust stops at `cutoff_time_s` if earlier than burnout.
BoostResult FlyBooster(const flight::Environment& env, const BoosterSpec& spec, double payload_kg,
                       const GeoPoint& launch, double launch_time_s, double azimuth_rad,
                       double kick_rad, double cutoff_time_s, const SegmentOptions& options,
                       Trajectory* record);

}  // namespace hyperdef::threats
