// Reference frames and the one place where vectors move between them.
//
// ECEF: WGS-84 Earth-centred Earth-fixed (ITRS realisation, polar motion neglected: < 15 m at the
//   surface, far below any sensor error modelled here).
// ECI: hyperdef's Earth-centred inertial frame is the Celestial Intermediate Reference System
//   (CIRS) approximated as ECEF rotated about the z axis by the Earth rotation angle (IAU 2000,
//   ERFA eraEra00 from UT1). It neglects precession-nutation of the pole (the CIRS<->GCRS
//   rotation, ~ 0.3 deg since J2000) and polar motion. Over a scenario of hours the frame is
//   inertial to ~1e-9 rad/s, which is all the flight and orbit models need; it is NOT GCRS/J2000,
//   so do not compare ECI coordinates with a star catalogue.
// TEME: SGP4's frame, rotated to ECEF through GMST (IAU 1982), as Vallado et al. 2006 prescribe.
// ENU: local East-North-Up at a geodetic point (see earth/wgs84.h).
//
// Frames are written into variable names (r_Ecef, v_Eci, p_SiteTgt_Enu) rather than types: the
// hot loops stay plain Eigen, and a reviewer sees a mismatch on the line where it happens.
#pragma once

#include <Eigen/Core>
#include <Eigen/Geometry>

#include "core/constants.h"

namespace hyperdef::core {

using Vec3 = Eigen::Vector3d;
using Mat3 = Eigen::Matrix3d;

// Rotation about z taking ECEF components to ECI components, for Earth rotation angle `era_rad`.
Mat3 R_EciFromEcef(double era_rad);

// Position/velocity transforms between ECI and ECEF at a given Earth rotation angle.
// The velocity transforms include the omega x r transport term (omega = WGS-84 rate).
Vec3 PositionEciFromEcef(const Vec3& r_Ecef, double era_rad);
Vec3 PositionEcefFromEci(const Vec3& r_Eci, double era_rad);
Vec3 VelocityEciFromEcef(const Vec3& r_Ecef, const Vec3& v_Ecef, double era_rad);
Vec3 VelocityEcefFromEci(const Vec3& r_Eci, const Vec3& v_Eci, double era_rad);
// The ECEF acceleration of a body with ECI state (r, v, a): the rotated a less the Coriolis and
// centripetal terms at its ECEF position and velocity (CoriolisCentripetal_Ecef).
Vec3 AccelerationEcefFromEci(const Vec3& r_Eci, const Vec3& v_Eci, const Vec3& a_Eci,
                             double era_rad);

// The rotating frame's apparent-acceleration terms in ECEF, 2 w x v + w x (w x r) (w the WGS-84
// rate about z): what an equation of motion written in ECEF subtracts from the inertial
// acceleration. Inline: the flight derivative calls it at every right-hand side.
inline Vec3 CoriolisCentripetal_Ecef(const Vec3& r_Ecef, const Vec3& v_Ecef) {
  const Vec3 w(0.0, 0.0, kEarthOmega_radps);
  return 2.0 * w.cross(v_Ecef) + w.cross(w.cross(r_Ecef));
}

// TEME -> ECEF through GMST (polar motion neglected). Velocity includes omega x r.
Vec3 PositionEcefFromTeme(const Vec3& r_Teme, double gmst_rad);
Vec3 VelocityEcefFromTeme(const Vec3& r_Teme, const Vec3& v_Teme, double gmst_rad);

}  // namespace hyperdef::core
