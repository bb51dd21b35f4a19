#include "tracking/types.h"

namespace hyperdef::tracking {

Vec3 TrackingFrame::PositionEci(const Vec3& r_Ecef, double t_s) const {
  return core::PositionEciFromEcef(r_Ecef, EraAt(t_s));
}
Vec3 TrackingFrame::VelocityEci(const Vec3& r_Ecef, const Vec3& v_Ecef, double t_s) const {
  return core::VelocityEciFromEcef(r_Ecef, v_Ecef, EraAt(t_s));
}
Vec3 TrackingFrame::PositionEcef(const Vec3& r_Eci, double t_s) const {
  return core::PositionEcefFromEci(r_Eci, EraAt(t_s));
}
Vec3 TrackingFrame::VelocityEcef(const Vec3& r_Eci, const Vec3& v_Eci, double t_s) const {
  return core::VelocityEcefFromEci(r_Eci, v_Eci, EraAt(t_s));
}
Vec3 TrackingFrame::AccelerationEcef(const Vec3& r_Eci, const Vec3& v_Eci, const Vec3& a_Eci,
                                     double t_s) const {
  const double era = EraAt(t_s);
  const Vec3 r = core::PositionEcefFromEci(r_Eci, era);
  const Vec3 v = core::VelocityEcefFromEci(r_Eci, v_Eci, era);
  const Vec3 w(0.0, 0.0, core::kEarthOmega_radps);
  return core::PositionEcefFromEci(a_Eci, era) - 2.0 * w.cross(v) - w.cross(w.cross(r));
}

}  // namespace hyperdef::tracking
