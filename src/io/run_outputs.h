// The files of one run: summary.json (key figures) and truth.csv (every threat's trajectory).
// Every field is documented in docs/outputs.md.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "io/output_dir.h"
#include "sim/run.h"

namespace hyperdef::io {

inline constexpr const char* kVersion = "0.1.0";

// The "hyperdef_version" and "scenario" blocks that open every JSON file of a run.
nlohmann::ordered_json ScenarioHeaderJson(const sim::ScenarioSpec& spec);

nlohmann::ordered_json SummaryJson(const sim::ScenarioSpec& spec, const sim::RunResult& result);
void WriteTruthCsv(const sim::RunResult& result, std::ostream& out);
void WriteDetectionsCsv(const sim::SensingResult& sensing, std::ostream& out);

// Writes summary.json and (if the scenario asks) truth.csv and detections.csv into `dir`.
void WriteRunOutputs(const sim::ScenarioSpec& spec, const sim::RunResult& result,
                     const OutputDir& dir);

}  // namespace hyperdef::io
