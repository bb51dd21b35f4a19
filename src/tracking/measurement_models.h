// Measurement functions z = h(x) + v of the tracking layer, their Jacobians, and the converters
// that turn the sensors layer's ECEF reports into tracking-frame Measurements (types.h).
//
// Radar (MeasKind::kRadar), site s, site velocity s_dot, target position r and velocity v, all in
// the tracking frame; A = m.R_EnuFromEci (rows: East, North, Up unit vectors):
//   p = A (r - s) = (pE, pN, pU),  rho = |p|,  h = sqrt(pE^2 + pN^2)
//   range = rho,  az = atan2(pE, pN) in [0, 2 pi) (clockwise from north),  el = asin(pU / rho),
//   range rate = (r - s).(v - s_dot) / rho.
// The range rate is the same in ECI and ECEF (omega x (r - s) is perpendicular to r - s).
// Jacobians (Bar-Shalom, Li & Kirubarajan 2001, sec. 10.3; Blackman & Popoli 1999, ch. 4):
//   d rho/dr = u^T,  u = (r - s)/rho
//   d az/dp = (pN, -pE, 0) / h^2,   d el/dp = (-pE pU / h, -pN pU / h, h) / rho^2,  d./dr = d./dp A
//   d rr/dr = (w - rr u)^T / rho,  d rr/dv = u^T,  w = v - s_dot.
// Azimuth and elevation are singular at the zenith (h = 0); h is floored at 1e-9 rho there.
//
// Angles only from a satellite (MeasKind::kLos), tangent-plane form. The measured unit line of
// sight u_m = m.los_Eci and the orthonormal e1, e2 perpendicular to it define a plane; the
// predicted unit vector u_p = (r - s)/|r - s| (s = m.sensor_r_Eci, the reported satellite
// position) is projected on it:
//   h(x) = (e1.u_p, e2.u_p),  z = (0, 0),
//   d h/dr = [e1^T; e2^T] (I - u_p u_p^T) / |r - s|.
// For small errors these are the two angle errors about e2 and -e1 (gnomonic projection), which
// avoids the singularities of an (azimuth, elevation) pair and any angle wrap.
//
// Position (MeasKind::kPosition): z = r, H = [I 0].
//
// All Predict/Jacobian calls read only x(0..5) and m; no heap allocation.
#pragma once

#include "earth/wgs84.h"
#include "sensors/radar.h"
#include "sensors/space_ir.h"
#include "tracking/types.h"

namespace hyperdef::tracking {

class RadarMeasurementModel final : public MeasurementModel {
 public:
  // (range m, az rad, el rad) when m.z.size() == 3; range rate (m/s) appended when it is 4.
  MeasVector Predict(const StateVector& x, const Measurement& m) const override;
  MeasJacobian Jacobian(const StateVector& x, const Measurement& m) const override;
  // Azimuth (index 1) wrapped to (-pi, pi].
  MeasVector Residual(const MeasVector& z, const MeasVector& z_pred) const override;
};

class LosMeasurementModel final : public MeasurementModel {
 public:
  MeasVector Predict(const StateVector& x, const Measurement& m) const override;  // size 2
  MeasJacobian Jacobian(const StateVector& x, const Measurement& m) const override;
  MeasVector Residual(const MeasVector& z, const MeasVector& z_pred) const override;
};

class PositionMeasurementModel final : public MeasurementModel {
 public:
  MeasVector Predict(const StateVector& x, const Measurement& m) const override;  // size 3
  MeasJacobian Jacobian(const StateVector& x, const Measurement& m) const override;
  MeasVector Residual(const MeasVector& z, const MeasVector& z_pred) const override;
};

// A deterministic right-handed orthonormal completion of the unit vector u: e1 x e2 = u. e1 is
// perpendicular to u and to the coordinate axis least aligned with u (the same u always gives the
// same pair).
void OrthonormalCompletion(const Vec3& u, Vec3* e1, Vec3* e2);

// Prior range used by FromLos when the caller has none (prior_range_m <= 0): 2,000 km, a typical
// LEO-sensor-to-target distance for the Tracking-Layer geometry of sensors/space_ir.h. At that
// range a 5 m ephemeris error is 2.5 urad, small against the assumed 20 urad angle noise, so the
// choice matters little.
inline constexpr double kDefaultLosPriorRange_m = 2.0e6;

// A space IR report (ECEF) as a tracking Measurement of kind kLos at los.t_s:
//   sensor_r_Eci from sat_r_Ecef, los_Eci = the rotated (renormalised) u_Ecef, (e1, e2) from
//   OrthonormalCompletion, z = (0, 0),
//   R = E^T C_Eci E + (sat_position_sigma / prior_range)^2 I2, E = [e1 e2] (3 x 2),
// with C_Eci the report's u_covariance rotated to the tracking frame. The second term projects the
// satellite's per-axis knowledge error on the tangent plane at `prior_range_m` (the range to the
// target, e.g. from a track's prediction); <= 0 uses kDefaultLosPriorRange_m. snr, truth_id and
// sensor_position_sigma_m are copied; sensor/platform/detection indices are left to the caller.
Measurement FromLos(const sensors::LosMeasurement& los, const TrackingFrame& frame,
                    double prior_range_m);

// A radar report (ECEF site at `site`, moving at v_Site_Ecef, e.g. a ship; zero for a fixed
// site) as a Measurement of kind kRadar at radar.t_s: z = (range, az, el[, range rate]) (size 4
// when has_range_rate), R = the matching top-left block of radar.covariance, sensor_r_Eci and
// sensor_v_Eci the site in the tracking frame, R_EnuFromEci = R_EnuFromEcef(site) R_EciFromEcef^T.
// snr is the linear SNR (10^(snr_dB/10)); truth_id is copied; indices are left to the caller.
Measurement FromRadar(const sensors::RadarMeasurement& radar, const earth::Geodetic& site,
                      const core::Vec3& v_Site_Ecef, const TrackingFrame& frame);

}  // namespace hyperdef::tracking
