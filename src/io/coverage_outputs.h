// The files of `hyperdef coverage` (docs/outputs.md, "hyperdef coverage"): coverage.json,
// coverage_threats.csv, coverage_map.csv and one coverage_map_<layer>.png per space layer.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "io/output_dir.h"
#include "sim/coverage.h"
#include "sim/scenario.h"

namespace hyperdef::io {

nlohmann::ordered_json CoverageJson(const sim::ScenarioSpec& spec,
                                    const sim::CoverageResult& result);
void WriteCoverageThreatsCsv(const sim::CoverageResult& result, std::ostream& out);
void WriteCoverageMapCsv(const sim::CoverageResult& result, std::ostream& out);

// The PNG file name of a layer's stereo map: characters outside [A-Za-z0-9._-] become '_'.
std::string CoverageMapPngName(const std::string& layer_id);

void WriteCoverageOutputs(const sim::ScenarioSpec& spec, const sim::CoverageResult& result,
                          const OutputDir& dir);

}  // namespace hyperdef::io
