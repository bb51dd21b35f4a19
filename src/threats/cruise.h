// Hypersonic cruise missiles: a solid booster lofts the vehicle toward the cruise altitude, an
// air-breathing (scramjet) engine then holds the cruise Mach with thrust = drag + climb, lift
// holds the altitude and bank steers toward the aimpoint; a proportional-navigation dive ends it.
// Fuel use from the engine's specific impulse: mdot = T / (Isp g0).
#pragma once

#include "threats/flight_segment.h"

namespace hyperdef::threats {

Trajectory SimulateCruise(const flight::Environment& env, const ThreatSpec& spec,
                          const SegmentOptions& options);

}  // namespace hyperdef::threats
