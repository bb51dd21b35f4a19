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
  return core::AccelerationEcefFromEci(r_Eci, v_Eci, a_Eci, EraAt(t_s));
}

}  // namespace hyperdef::tracking
