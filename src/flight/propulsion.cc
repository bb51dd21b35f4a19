#include "flight/propulsion.h"

#include <cmath>

#include "core/constants.h"

namespace hyperdef::flight {

double Stage::Thrust_N() const { return isp_s * core::kG0_mps2 * MassFlow_kgps(); }

StageSchedule MakeSchedule(const std::vector<Stage>& stages) {
  StageSchedule s;
  double t = 0.0;
  for (const Stage& st : stages) {
    s.ignition_s.push_back(t);
    t += st.burn_time_s;
    s.burnout_s.push_back(t);
    t += st.coast_after_s;
  }
  return s;
}

double LiftoffMass_kg(const std::vector<Stage>& stages, double payload_kg) {
  double m = payload_kg;
  for (const Stage& st : stages) m += st.wet_mass_kg;
  return m;
}

double IdealDeltaV_mps(const std::vector<Stage>& stages, double payload_kg) {
  double dv = 0.0;
  for (size_t k = 0; k < stages.size(); ++k) {
    double above = payload_kg;
    for (size_t j = k + 1; j < stages.size(); ++j) above += stages[j].wet_mass_kg;
    const double m0 = above + stages[k].wet_mass_kg;
    const double m1 = m0 - stages[k].propellant_mass_kg;
    dv += stages[k].isp_s * core::kG0_mps2 * std::log(m0 / m1);
  }
  return dv;
}

}  // namespace hyperdef::flight
