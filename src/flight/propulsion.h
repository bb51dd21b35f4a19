// Rocket stages and their schedule. Thrust from the classical relation T = Isp g0 mdot with a
// constant mass flow mdot = m_prop / t_burn (Forden 2007, S&GS 15, uses the same single-stage
// model). Isp is treated as the vacuum value; the sea-level pressure loss (a few % of thrust for
// ~1 minute) is neglected and documented in docs/references.md.
#pragma once

#include <string>
#include <vector>

namespace hyperdef::flight {

struct Stage {
  double wet_mass_kg = 0.0;         // stage mass with propellant
  double propellant_mass_kg = 0.0;  // burned propellant
  double isp_s = 0.0;               // specific impulse
  double burn_time_s = 0.0;
  double diameter_m = 0.0;     // for the drag reference area
  double coast_after_s = 0.0;  // unpowered gap before the next stage ignites

  double DryMass_kg() const { return wet_mass_kg - propellant_mass_kg; }
  double MassFlow_kgps() const { return propellant_mass_kg / burn_time_s; }
  double Thrust_N() const;
};

// When each stage burns, relative to launch: stage k burns [ignition_s[k], burnout_s[k]).
struct StageSchedule {
  std::vector<double> ignition_s;
  std::vector<double> burnout_s;
};
StageSchedule MakeSchedule(const std::vector<Stage>& stages);

// Total lift-off mass of the stack plus payload.
double LiftoffMass_kg(const std::vector<Stage>& stages, double payload_kg);

// Ideal (rocket-equation) velocity increment of the stack carrying `payload_kg`: a sanity check.
double IdealDeltaV_mps(const std::vector<Stage>& stages, double payload_kg);

}  // namespace hyperdef::flight
