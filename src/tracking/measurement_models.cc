#include "tracking/measurement_models.h"

#include <algorithm>
#include <cmath>

#include "core/constants.h"
#include "core/error.h"
#include "core/frames.h"

namespace hyperdef::tracking {

namespace {

double WrapPi(double a) {
  a = std::remainder(a, core::kTwoPi);  // [-pi, pi]
  return a <= -core::kPi ? a + core::kTwoPi : a;
}

double WrapTwoPi(double a) {
  a = std::fmod(a, core::kTwoPi);
  if (a < 0.0) a += core::kTwoPi;
  return a >= core::kTwoPi ? 0.0 : a;
}

Vec3 Position(const StateVector& x) { return x.head<3>(); }
Vec3 Velocity(const StateVector& x) { return x.segment<3>(3); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// Radar

MeasVector RadarMeasurementModel::Predict(const StateVector& x, const Measurement& m) const {
  const int nz = static_cast<int>(m.z.size());
  HYPERDEF_ASSERT(nz == 3 || nz == 4);
  const Vec3 d_Eci = Position(x) - m.sensor_r_Eci;
  const Vec3 p_Enu = m.R_EnuFromEci * d_Eci;
  const double rho = p_Enu.norm();
  MeasVector z(nz);
  z(0) = rho;
  z(1) = WrapTwoPi(std::atan2(p_Enu.x(), p_Enu.y()));
  z(2) = rho > 0.0 ? std::asin(std::clamp(p_Enu.z() / rho, -1.0, 1.0)) : 0.5 * core::kPi;
  if (nz == 4) z(3) = rho > 0.0 ? d_Eci.dot(Velocity(x) - m.sensor_v_Eci) / rho : 0.0;
  return z;
}

MeasJacobian RadarMeasurementModel::Jacobian(const StateVector& x, const Measurement& m) const {
  const int nz = static_cast<int>(m.z.size());
  HYPERDEF_ASSERT(nz == 3 || nz == 4);
  const int nx = static_cast<int>(x.size());
  const Vec3 d_Eci = Position(x) - m.sensor_r_Eci;
  const Vec3 p = m.R_EnuFromEci * d_Eci;
  const double rho = std::max(p.norm(), 1e-9);
  const double h = std::max(std::hypot(p.x(), p.y()), 1e-9 * rho);  // zenith guard
  const double rho2 = rho * rho;
  const Vec3 u_Eci = d_Eci / rho;
  const Eigen::RowVector3d daz_dp(p.y() / (h * h), -p.x() / (h * h), 0.0);
  const Eigen::RowVector3d del_dp(-p.x() * p.z() / (h * rho2), -p.y() * p.z() / (h * rho2),
                                  h / rho2);
  MeasJacobian H = MeasJacobian::Zero(nz, nx);
  H.block<1, 3>(0, 0) = u_Eci.transpose();
  H.block<1, 3>(1, 0) = daz_dp * m.R_EnuFromEci;
  H.block<1, 3>(2, 0) = del_dp * m.R_EnuFromEci;
  if (nz == 4) {
    const Vec3 w_Eci = Velocity(x) - m.sensor_v_Eci;
    const double rr = d_Eci.dot(w_Eci) / rho;
    H.block<1, 3>(3, 0) = ((w_Eci - rr * u_Eci) / rho).transpose();
    H.block<1, 3>(3, 3) = u_Eci.transpose();
  }
  return H;
}

MeasVector RadarMeasurementModel::Residual(const MeasVector& z, const MeasVector& z_pred) const {
  MeasVector nu = z - z_pred;
  nu(1) = WrapPi(nu(1));
  return nu;
}

// ---------------------------------------------------------------------------------------------
// Line of sight (tangent plane)

MeasVector LosMeasurementModel::Predict(const StateVector& x, const Measurement& m) const {
  const Vec3 d_Eci = Position(x) - m.sensor_r_Eci;
  const double rho = d_Eci.norm();
  const Vec3 u_Eci = rho > 0.0 ? Vec3(d_Eci / rho) : m.los_Eci;
  MeasVector z(2);
  z(0) = m.e1_Eci.dot(u_Eci);
  z(1) = m.e2_Eci.dot(u_Eci);
  return z;
}

MeasJacobian LosMeasurementModel::Jacobian(const StateVector& x, const Measurement& m) const {
  const int nx = static_cast<int>(x.size());
  const Vec3 d_Eci = Position(x) - m.sensor_r_Eci;
  const double rho = std::max(d_Eci.norm(), 1e-9);
  const Vec3 u_Eci = d_Eci / rho;
  // e^T (I - u u^T) / rho = (e^T - (e.u) u^T) / rho.
  MeasJacobian H = MeasJacobian::Zero(2, nx);
  H.block<1, 3>(0, 0) = ((m.e1_Eci - m.e1_Eci.dot(u_Eci) * u_Eci) / rho).transpose();
  H.block<1, 3>(1, 0) = ((m.e2_Eci - m.e2_Eci.dot(u_Eci) * u_Eci) / rho).transpose();
  return H;
}

MeasVector LosMeasurementModel::Residual(const MeasVector& z, const MeasVector& z_pred) const {
  return z - z_pred;
}

// ---------------------------------------------------------------------------------------------
// Position

MeasVector PositionMeasurementModel::Predict(const StateVector& x, const Measurement&) const {
  return x.head<3>();
}

MeasJacobian PositionMeasurementModel::Jacobian(const StateVector& x, const Measurement&) const {
  MeasJacobian H = MeasJacobian::Zero(3, x.size());
  H.block<3, 3>(0, 0).setIdentity();
  return H;
}

MeasVector PositionMeasurementModel::Residual(const MeasVector& z, const MeasVector& z_pred) const {
  return z - z_pred;
}

// ---------------------------------------------------------------------------------------------

const MeasurementModel& ModelFor(MeasKind kind) {
  static const RadarMeasurementModel radar;
  static const LosMeasurementModel los;
  static const PositionMeasurementModel position;
  switch (kind) {
    case MeasKind::kRadar:
      return radar;
    case MeasKind::kLos:
      return los;
    case MeasKind::kPosition:
      return position;
  }
  HYPERDEF_ASSERT(false && "unknown MeasKind");
  return position;
}

void OrthonormalCompletion(const Vec3& u, Vec3* e1, Vec3* e2) {
  // Axis least aligned with u (first one on ties): |axis x u| >= sqrt(2/3).
  int k = 0;
  if (std::abs(u.y()) < std::abs(u(k))) k = 1;
  if (std::abs(u.z()) < std::abs(u(k))) k = 2;
  *e1 = Vec3::Unit(k).cross(u).normalized();
  *e2 = u.cross(*e1);  // e1 x e2 = e1 x (u x e1) = u for unit u, e1 perpendicular to u
}

Measurement FromLos(const sensors::LosMeasurement& los, const TrackingFrame& frame,
                    double prior_range_m) {
  const double range_m = prior_range_m > 0.0 ? prior_range_m : kDefaultLosPriorRange_m;
  const Mat3 R_EciFromEcef = core::R_EciFromEcef(frame.EraAt(los.t_s));
  Measurement m;
  m.kind = MeasKind::kLos;
  m.t_s = los.t_s;
  m.sensor_r_Eci = R_EciFromEcef * los.sat_r_Ecef;
  m.sensor_v_Eci = Vec3::Zero();  // the report carries no satellite velocity; kLos does not use it
  m.los_Eci = (R_EciFromEcef * los.u_Ecef).normalized();
  OrthonormalCompletion(m.los_Eci, &m.e1_Eci, &m.e2_Eci);
  m.z = MeasVector::Zero(2);
  Eigen::Matrix<double, 3, 2> E;
  E.col(0) = m.e1_Eci;
  E.col(1) = m.e2_Eci;
  const Mat3 C_Eci = R_EciFromEcef * los.u_covariance * R_EciFromEcef.transpose();
  const double s_ang = los.sat_position_sigma_m / range_m;
  const Eigen::Matrix2d R = E.transpose() * C_Eci * E + s_ang * s_ang * Eigen::Matrix2d::Identity();
  m.R = 0.5 * (R + R.transpose());
  m.sensor_position_sigma_m = los.sat_position_sigma_m;
  m.snr = los.snr;
  m.truth_id = los.truth_id;
  return m;
}

Measurement FromRadar(const sensors::RadarMeasurement& radar, const earth::Geodetic& site,
                      const core::Vec3& v_Site_Ecef, const TrackingFrame& frame) {
  const int nz = radar.has_range_rate ? 4 : 3;
  const Vec3 r_Site_Ecef = earth::EcefFromGeodetic(site);
  Measurement m;
  m.kind = MeasKind::kRadar;
  m.t_s = radar.t_s;
  m.sensor_r_Eci = frame.PositionEci(r_Site_Ecef, radar.t_s);
  m.sensor_v_Eci = frame.VelocityEci(r_Site_Ecef, v_Site_Ecef, radar.t_s);
  m.R_EnuFromEci = earth::R_EnuFromEcef(site.lat_rad, site.lon_rad) *
                   core::R_EciFromEcef(frame.EraAt(radar.t_s)).transpose();
  m.z = MeasVector(nz);
  m.z(0) = radar.range_m;
  m.z(1) = radar.az_rad;
  m.z(2) = radar.el_rad;
  if (nz == 4) m.z(3) = radar.range_rate_mps;
  m.R = radar.covariance.topLeftCorner(nz, nz);
  m.snr = std::pow(10.0, 0.1 * radar.snr_dB);
  m.truth_id = radar.truth_id;
  return m;
}

}  // namespace hyperdef::tracking
