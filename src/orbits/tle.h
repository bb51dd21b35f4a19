// Two-line element sets (NORAD TLE), the input of SGP4/SDP4.
// Format: Hoots & Roehrich 1980, Spacetrack Report #3, and CelesTrak's "NORAD Two-Line Element
// Set Format". Fields are kept in the units the format defines (degrees, revolutions per day);
// sgp4.h converts them. The TLE epoch is UTC.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/epoch.h"

namespace hyperdef::orbits {

struct Tle {
  int catalog_number = 0;  // NORAD number (Alpha-5 "A0001" = 100001 accepted)
  char classification = 'U';
  std::string international_designator;  // e.g. "98067A", may be empty
  int epoch_year = 0;           // four-digit year (two-digit 57..99 -> 19xx, 00..56 -> 20xx)
  double epoch_day = 0.0;       // day of year with fraction, 1.0 = 1 January 00:00 UTC
  double ndot_revpday2 = 0.0;   // first derivative of mean motion / 2 (rev/day^2)
  double nddot_revpday3 = 0.0;  // second derivative of mean motion / 6 (rev/day^3)
  double bstar_per_er = 0.0;    // B* drag term (1/earth radii)
  int element_set_number = 0;
  double inclination_deg = 0.0;
  double raan_deg = 0.0;
  double eccentricity = 0.0;
  double arg_perigee_deg = 0.0;
  double mean_anomaly_deg = 0.0;
  double mean_motion_revpday = 0.0;  // Kozai mean motion (rev/day)
  int revolution_number = 0;

  // The TLE epoch as a calendar UTC epoch (dUT1 = 0).
  core::Epoch Epoch() const;
  // Days since 1949 December 31 00:00 UTC (SGP4's "epoch" argument, Vallado et al. 2006).
  double DaysSince1950() const;
};

// Parses a TLE from its two lines (a leading title line "0 NAME" is not part of this call).
// Throws core::InputError naming the line and column on a malformed field. Checksums (column 69)
// are verified only when `check_checksum` is true: several of the Vallado 2006 verification cases
// carry deliberately wrong checksums.
Tle ParseTle(std::string_view line1, std::string_view line2, bool check_checksum = false,
             const std::string& source_name = "<tle>");

// The TLE checksum of columns 1-68: sum of digits, '-' counts 1, modulo 10.
int TleChecksum(std::string_view line);

}  // namespace hyperdef::orbits
