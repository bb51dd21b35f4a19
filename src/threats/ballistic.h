// Ballistic missiles: a booster (1-3 stages) then a separating re-entry vehicle with a ballistic
// coefficient; or an RV flown from a given burnout state.
//
// Aiming: the steering (launch azimuth, pitch-over kick, thrust cutoff) is solved so that the RV,
// flown with the same drag, gravity and Earth rotation as the truth, lands on the aimpoint:
//  - minimum energy: the kick minimising the burn time needed to reach the aimpoint (thrust
//    termination, as real missiles do to shorten range), i.e. the least-energy trajectory;
//  - lofted / depressed: full burn, the kick on the steep / shallow side of the maximum-range kick.
// The azimuth is corrected for the cross-range that Earth rotation and J2 introduce.
#pragma once

#include "threats/booster.h"

namespace hyperdef::threats {

struct BallisticSteering {
  double azimuth_rad = 0.0;
  double kick_rad = 0.0;
  double cutoff_time_s = 0.0;  // absolute; >= full burnout means no cutoff
  double max_range_m = 0.0;    // the full-burn maximum range at this azimuth
};

// Solves the steering. Throws std::runtime_error if the aimpoint is out of reach (naming the
// missile's maximum range) or the trajectory shape cannot reach it.
BallisticSteering AimBallistic(const flight::Environment& env, const ThreatSpec& spec,
                               const SegmentOptions& options);

// Flies the missile with the given steering, recording the trajectory.
Trajectory FlyBallistic(const flight::Environment& env, const ThreatSpec& spec,
                        const BallisticSteering& steering, const SegmentOptions& options);

// Aims (unless a burnout state or an explicit kick is given) and flies.
Trajectory SimulateBallistic(const flight::Environment& env, const ThreatSpec& spec,
                             const SegmentOptions& options);

// Initial state from a StateSpec (position geodetic, velocity from speed/angles; heading toward
// `aim` when unset).
flight::State StateFromSpec(const StateSpec& s, double mass_kg, const GeoPoint& aim);

}  // namespace hyperdef::threats
