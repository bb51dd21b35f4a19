// scene.czml: a run as a CZML document (the JSON scene format CesiumJS loads; CZML guide and
// packet reference: github.com/AnalyticalGraphicsInc/czml-writer/wiki). One packet per entity:
// threats (moving point, trail, static polylines per flight phase), satellites of the space layers
// (moving point, optional orbit path, ground footprint of the field of regard while detecting),
// lines of sight of detections, radars and their coverage fans, confirmed tracks with their
// 3-sigma ellipsoids, predicted impact ellipses and glide footprints, interceptors and their
// closest approaches, defended assets and batteries. Packet ids, names and the `properties` bag
// follow the conventions in docs/outputs.md ("scene.czml"), shared with the web viewer.
//
// Time: the document clock spans [epoch, epoch + duration]; every sampled property carries the
// scenario epoch (ISO 8601 UTC) and seconds since it. Positions are ECEF metres
// ("referenceFrame": "FIXED"), written to 1 cm, times to 1 ms.
//
// Thinning. Every sampled series (positions, ellipsoid radii, scalar properties) is reduced to the
// samples needed to reconstruct it within a tolerance, with the interpolation the CZML declares
// and CesiumJS applies (SampledProperty: LINEAR, or LAGRANGE of degree 5 over the 6 kept samples
// around the time, the window shifted inside at the ends, exactly as SampledProperty.getValue
// picks it). The reduction is error-bounded, not a fixed step:
//   1. Douglas-Peucker on the synchronised Euclidean distance (Douglas & Peucker 1973, with the
//      time-synchronised distance of Meratnia & de By 2004): keep the first and last samples;
//      between two kept samples, if the sample farthest from the straight-line interpolation at
//      its own time is farther than the tolerance, keep it and recurse on both halves. For LINEAR
//      this already gives the bound; for LAGRANGE it runs with a coarser tolerance (x 64) as a
//      start, since a degree-5 polynomial follows smooth curves with far fewer samples.
//   2. Refinement (always): reconstruct every original sample from the kept ones with the declared
//      interpolation; in every gap between kept samples holding a sample off by more than its
//      tolerance, keep the worst one; repeat until none is off. It ends (keeping every sample
//      reconstructs every sample exactly), and on exit the bound holds:
//        |reconstruction(t_i) - value_i| <= tolerance_i for every original sample i,
//   with tolerance_i = max(absolute tolerance, relative tolerance x |value_i|). Between original
//   samples the original itself is only known by its samples (1 s truth, 30 s orbits), so the
//   bound is stated where the data are.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <ostream>
#include <vector>

#include "sim/run.h"

namespace hyperdef::io {

struct CzmlOptions {
  double position_tolerance_m = 500.0;        // threats, satellites, interceptors, ships, polylines
  double track_position_tolerance_m = 100.0;  // track estimates (what analysts judge errors on)
  double speed_tolerance_mps = 10.0;          // threats' speed_mps property
  double altitude_tolerance_m = 100.0;        // threats' altitude_m property
  double relative_tolerance = 0.1;            // ellipsoid radii, sigma_position_m (fraction)
  double probability_tolerance = 0.02;        // class_probability
  double orbit_sample_step_s = 30.0;          // satellites: propagated this often before thinning
  int max_orbit_paths = 100;                  // orbit paths shown by default up to this many sats
  double min_sample_spacing_s = 0.05;         // closer samples merged (LAGRANGE conditioning)
  double impact_sigma_scale = 2.0;            // impact ellipses drawn at this many sigma
  void Validate() const;                      // throws std::invalid_argument naming the field
};

// The run's scene, one JSON array of packets (the first the "document" packet).
nlohmann::ordered_json SceneCzml(const sim::ScenarioSpec& spec, const sim::RunResult& result,
                                 const CzmlOptions& options = {});
// The same document streamed packet by packet (one packet per line), without building it whole.
void WriteSceneCzml(const sim::ScenarioSpec& spec, const sim::RunResult& result, std::ostream& out,
                    const CzmlOptions& options = {});

// ---- Thinning (public for tests) --------------------------------------------------------------

enum class CzmlInterpolation { kLinear, kLagrange5 };

// A sampled series of dim-vectors: values[i * dim + j] at strictly increasing times t_s[i].
struct SampledSeries {
  int dim = 3;
  std::vector<double> t_s;
  std::vector<double> values;
  size_t size() const { return t_s.size(); }
  const double* at(size_t i) const { return values.data() + i * static_cast<size_t>(dim); }
};

// What CesiumJS's SampledProperty returns at t (within [t_s[kept.front()], t_s[kept.back()]])
// from the samples `kept` (ascending indices into s) with `interpolation`; out has s.dim values.
void ReconstructCzml(const SampledSeries& s, const std::vector<size_t>& kept,
                     CzmlInterpolation interpolation, double t_s, double* out);

// Ascending indices of the samples to keep (the first and the last always; every sample if fewer
// than 3): the reduction in the header, so that every sample i is reconstructed within
// max(tolerance, relative_tolerance * |value_i|) (Euclidean norm over the dim components).
std::vector<size_t> ThinSeries(const SampledSeries& s, CzmlInterpolation interpolation,
                               double tolerance, double relative_tolerance = 0.0);

// Step 2 of the header alone: grows `kept` (ascending, holding the first and the last sample)
// until the bound holds. Used to merge the kept sets of series written at common times.
void RefineKept(const SampledSeries& s, CzmlInterpolation interpolation, double tolerance,
                double relative_tolerance, std::vector<size_t>* kept);

}  // namespace hyperdef::io
