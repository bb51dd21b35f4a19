// Kepler + J2 secular propagation: the orbit is a Keplerian ellipse whose node, perigee and mean
// anomaly drift at the first-order secular J2 rates (Vallado, "Fundamentals of Astrodynamics and
// Applications", 4th ed., sec. 9.6, eqs. 9-41 and the nodal/apsidal rates that follow):
//   raan_dot = -(3/2) n J2 (R/p)^2 cos i
//   argp_dot =  (3/4) n J2 (R/p)^2 (5 cos^2 i - 1)          [= (3/4) n J2 (R/p)^2 (4 - 5 sin^2 i)]
//   M_dot    =  n [1 + (3/4) J2 (R/p)^2 sqrt(1 - e^2) (3 cos^2 i - 1)]
// with n = sqrt(mu/a^3), p = a (1 - e^2). Short-period J2 oscillations (~10 km in LEO) are not
// modelled: this is the sensor layer's fast constellation model, not an orbit-determination
// propagator. Elements are MEAN elements in hyperdef's ECI (core/frames.h).
//
// Speed: everything that does not depend on time — rates, cos/sin i, sqrt(1 - e^2) — is computed at
// construction; each evaluation solves Kepler's equation (skipped for circular orbits) and applies
// two plane rotations. J2SecularBatch holds many satellites as structure-of-arrays for the sensor
// layer's ~1,000 satellites x 1,800 time steps.
#pragma once

#include <vector>

#include "core/constants.h"
#include "core/epoch.h"
#include "core/frames.h"
#include "orbits/keplerian.h"

namespace hyperdef::orbits {

// Gravity used by the secular model: WGS-84 GM and a, EGM96 J2 (core/constants.h), the same
// constants as earth::GravityAcceleration, so the model agrees with hyperdef's numerical orbits.
struct J2Constants {
  double mu_m3ps2 = core::kEarthMu_m3ps2;
  double re_m = core::kWgs84A_m;
  double j2 = core::kJ2;
};

struct J2SecularRates {
  double raan_radps = 0.0;
  double argp_radps = 0.0;
  double mean_anomaly_radps = 0.0;  // includes the mean motion n
};

// The rates above for mean elements (a, e, i).
J2SecularRates ComputeJ2SecularRates(double a_m, double e, double i_rad,
                                     const J2Constants& constants = {});

class J2SecularPropagator {
 public:
  // `mean_elements` hold at scenario time `t0_s` (seconds after the scenario epoch).
  explicit J2SecularPropagator(const KeplerianElements& mean_elements, double t0_s = 0.0,
                               const J2Constants& constants = {});

  const J2SecularRates& rates() const { return rates_; }
  // Mean elements at t_s (true anomaly from the propagated mean anomaly).
  KeplerianElements MeanElementsAt(double t_s) const;

  // ECI position (m) and velocity (m/s) at scenario time t_s. The velocity is the exact time
  // derivative of the modelled position (it includes the node and perigee drift). v_Eci_mps
  // may be null (position only).
  void StateEci(double t_s, core::Vec3* r_Eci_m, core::Vec3* v_Eci_mps) const;
  core::Vec3 PositionEci(double t_s) const;
  // ECEF through the Earth rotation angle of `epoch` at t_s (core::Epoch, ERFA eraEra00).
  void StateEcef(const core::Epoch& epoch, double t_s, core::Vec3* r_Ecef_m,
                 core::Vec3* v_Ecef_mps) const;

 private:
  friend class J2SecularBatch;
  double a_ = 0.0, e_ = 0.0, b_ = 0.0;  // b = sqrt(1 - e^2)
  double cos_i_ = 1.0, sin_i_ = 0.0, i_ = 0.0;
  double raan0_ = 0.0, argp0_ = 0.0, m0_ = 0.0, t0_ = 0.0;
  J2SecularRates rates_;
};

// Many satellites propagated together (structure of arrays; one Earth-rotation angle per time
// step for the ECEF variants). Output vectors are resized to size().
class J2SecularBatch {
 public:
  J2SecularBatch() = default;
  explicit J2SecularBatch(const std::vector<KeplerianElements>& mean_elements, double t0_s = 0.0,
                          const J2Constants& constants = {});
  void Add(const KeplerianElements& mean_elements, double t0_s = 0.0,
           const J2Constants& constants = {});
  size_t size() const { return a_.size(); }

  void PositionsEci(double t_s, std::vector<core::Vec3>* r_Eci_m) const;
  void StatesEci(double t_s, std::vector<core::Vec3>* r_Eci_m,
                 std::vector<core::Vec3>* v_Eci_mps) const;
  // ECEF positions at Earth rotation angle `era_rad` (pass epoch.EarthRotationAngle_rad(t_s),
  // computed once per step) or directly from the epoch.
  void PositionsEcef(double t_s, double era_rad, std::vector<core::Vec3>* r_Ecef_m) const;
  void PositionsEcef(const core::Epoch& epoch, double t_s, std::vector<core::Vec3>* r_Ecef_m) const;

 private:
  std::vector<double> a_, e_, b_, cos_i_, sin_i_, raan0_, argp0_, m0_, t0_;
  std::vector<double> raan_dot_, argp_dot_, m_dot_;
};

}  // namespace hyperdef::orbits
