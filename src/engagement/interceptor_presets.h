// Generic interceptor classes from open-literature figures: "terminal" (PAC-3 MSE / SM-6 class),
// "glide_phase" (Glide Phase Interceptor class) and "exo" (SM-3 Block IB/IIA class). Each preset
// is a plausible member of its class, not a model of the real weapon: masses, burn times and
// envelope are rounded open figures or ASSUMED where nothing is public (see docs/references.md,
// "Interceptor classes", for every value, its source and what is assumed).
#pragma once

#include <string>
#include <vector>

#include "engagement/interceptor_spec.h"

namespace hyperdef::engagement {

// Fills *spec with the named preset and returns true; false (spec untouched) for an unknown name.
bool InterceptorPreset(const std::string& name, InterceptorSpec* spec);

// "terminal", "glide_phase", "exo".
std::vector<std::string> InterceptorPresetNames();

}  // namespace hyperdef::engagement
