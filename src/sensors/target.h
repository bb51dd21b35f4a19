// What a sensor may know about a target: its true state and the physical quantities that make
// its signature. Sensors turn this into detections only through geometry, physics and noise.
#pragma once

#include <memory>
#include <string>

#include "core/frames.h"
#include "flight/aero_table.h"

namespace hyperdef::sensors {

struct TargetTruth {
  std::string id;    // truth id: measurements carry it only for scoring; trackers never read it
  double t_s = 0.0;  // since the scenario epoch
  core::Vec3 r_Ecef = core::Vec3::Zero();  // m
  core::Vec3 v_Ecef = core::Vec3::Zero();  // m/s, relative to the rotating Earth
  double thrust_N = 0.0;                   // > 0 while a motor burns (plume signature)
  double surface_temperature_K = 0.0;      // radiative-equilibrium stagnation temperature
  double radiating_area_m2 = 1.0;          // hot-body area seen by an IR sensor
  double emissivity = 0.85;
  double rcs_m2 = 0.1;  // radar cross-section (class value), used when there is no aspect table
  // RCS in dBsm vs aspect angle (rad, 0 nose-on, pi tail-on); null: rcs_m2 from every direction.
  // See sensors::AspectAngle_rad and sensors::TargetRcs_m2 (radar.h).
  std::shared_ptr<const flight::Table1D> rcs_aspect_dBsm;
};

}  // namespace hyperdef::sensors
