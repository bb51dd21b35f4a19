// hyperdef command line. Exit codes: 0 success, 2 bad input (nothing written), 1 internal error.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "core/constants.h"
#include "core/error.h"
#include "io/coverage_outputs.h"
#include "io/plot.h"
#include "io/report.h"
#include "io/run_outputs.h"
#include "mc_command.h"
#include "mpi_session.h"
#include "serve/viewer_server.h"
#include "sim/coverage.h"
#include "sim/run.h"
#include "sim/scenario.h"

namespace {

using namespace hyperdef;

void PrintRunSummary(const sim::ScenarioSpec& spec, const sim::RunResult& result) {
  fmt::print("scenario '{}' ({} threats, epoch {})\n", spec.name, spec.threats.size(),
             spec.epoch_utc);
  fmt::print("  {:<12} {:<12} {:>9} {:>10} {:>9} {:>8} {:>6} {:>11}\n", "threat", "class", "tof_s",
             "range_km", "apogee_km", "vmax_mps", "Mmax", "miss_m");
  for (const threats::Trajectory& tr : result.trajectories) {
    fmt::print("  {:<12} {:<12} {:>9.1f} {:>10.1f} {:>9.1f} {:>8.0f} {:>6.1f} {:>11.1f}{}\n",
               tr.threat_id, threats::ThreatClassName(tr.threat_class),
               tr.impact_time_s - tr.launch_time_s, tr.ground_range_m / 1e3, tr.apogee_m / 1e3,
               tr.max_speed_mps, tr.max_mach, tr.miss_distance_m,
               tr.impacted ? ""
               : !tr.events.empty() && tr.events.back().name == "intercepted"
                   ? "  (intercepted)"
                   : "  (no impact within duration)");
  }
  for (const sim::SensorStats& st : result.sensing.stats) {
    fmt::print("  sensor {:<12} {:<8} {:>5} platforms {:>8} detections {:>6} false alarms\n",
               st.sensor_id, st.kind, st.platforms, st.detections, st.false_alarms);
    for (const auto& [id, ts] : st.threats) {
      fmt::print("    {:<12} first seen t={:.0f} s, detected in {} frames ({} stereo)\n", id,
                 ts.first_detection_s, ts.frames_detected, ts.frames_stereo);
    }
  }
  if (result.tracking) {
    const sim::TrackingResult& t = *result.tracking;
    fmt::print(
        "  tracker: {} tracks started, {} confirmed, {} false; {} cued IR and {} radar looks\n",
        t.tracks_initiated, t.metrics.confirmed_tracks, t.metrics.false_tracks, t.tasked_ir_looks,
        t.tasked_radar_looks);
    for (const tracking::TruthMetrics& m : t.metrics.truths) {
      fmt::print(
          "    {:<12} confirmed {:.0f} s after launch, custody {:.0f} % ({:.0f} % while stereo), "
          "RMSE {:.0f} m, class right after {:.0f} s\n",
          m.truth_id, m.time_to_confirm_s, 100.0 * m.custody_fraction,
          100.0 * m.custody_masked_fraction, m.rmse_position_m, m.time_to_correct_class_s);
    }
    if (t.engagement) {
      const sim::EngagementResult& e = *t.engagement;
      int kills = 0;
      for (const sim::ShotRecord& s : e.shots) kills += s.result == "kill";
      fmt::print("  defence: {} interceptors fired, {} kills\n", e.shots.size(), kills);
      for (const sim::ShotRecord& s : e.shots) {
        fmt::print("    {:<12} -> track {:<4} ({:<6}) launched t={:.0f} s: {} (miss {:.1f} m)\n",
                   s.battery_id, s.track_id, s.threat_id.empty() ? "-" : s.threat_id,
                   s.launch_time_s, s.result, s.miss_m);
      }
    }
  }
}

int Run(const std::string& scenario, const std::string& out_dir, bool quiet) {
  const auto t0 = std::chrono::steady_clock::now();
  const sim::ScenarioSpec spec = sim::LoadScenario(scenario);
  const sim::RunResult result = sim::RunScenario(spec);  // everything computed before any write
  const io::OutputDir dir(out_dir);
  io::WriteRunOutputs(spec, result, dir);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!quiet) {
    PrintRunSummary(spec, result);
    fmt::print(
        "wrote {}/summary.json, scene.czml{}{}{}{} in {:.2f} s\n", out_dir,
        spec.outputs.truth ? ", truth.csv" : "",
        result.sensing.stats.empty() || !spec.outputs.detections ? "" : ", detections.csv",
        result.tracking ? ", tracks.csv, track_errors.csv, set_metrics.csv, assessment.json" : "",
        result.tracking && result.tracking->engagement ? ", engagements.csv" : "", wall);
  }
  return 0;
}

int Validate(const std::string& scenario) {
  const sim::ScenarioSpec spec = sim::LoadScenario(scenario);
  fmt::print("{}: OK ({} threats, {} varied parameters)\n", scenario, spec.threats.size(),
             spec.varied.size());
  return 0;
}

int Coverage(const std::string& scenario, const std::string& out_dir,
             const sim::CoverageOptions& options, bool quiet) {
  const auto t0 = std::chrono::steady_clock::now();
  const sim::ScenarioSpec spec = sim::LoadScenario(scenario);
  const sim::CoverageResult result = sim::ComputeCoverage(spec, options);  // before any write
  io::WriteCoverageOutputs(spec, result, io::OutputDir(out_dir));
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (quiet) return 0;
  for (const sim::LayerCoverage& l : result.layers) {
    fmt::print("layer {} ({} satellites): map at {:.0f} km, mean stereo {:.3f}, single {:.3f}\n",
               l.layer_id, l.satellites, options.altitude_m / 1e3, l.map.MeanStereo(),
               l.map.MeanSingle());
    for (const sim::ThreatCoverage& t : l.threats)
      fmt::print("  {:<12} seen {:.3f}  stereo {:.3f}  >=3 {:.3f}  longest stereo gap {:.0f} s\n",
                 t.threat_id, t.overall.Fraction(t.overall.seen1_s),
                 t.overall.Fraction(t.overall.seen2_s), t.overall.Fraction(t.overall.seen3_s),
                 t.overall.longest_stereo_gap_s);
  }
  fmt::print(
      "wrote {}/coverage.json, coverage_threats.csv, coverage_map.csv, PNG maps in {:.2f} s\n",
      out_dir, wall);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Under mpirun / srun only (mpi_session.h); before CLI parsing, as MPI_Init may edit argv.
  const app::MpiSession mpi(&argc, &argv);
  CLI::App app{"hyperdef: open simulation of defence against hypersonic and ballistic missiles"};
  app.set_version_flag("--version", std::string("hyperdef ") + io::kVersion);
  app.require_subcommand(1);

  std::string scenario, out_dir;
  bool quiet = false;
  CLI::App* run = app.add_subcommand("run", "Run a scenario once and write its results");
  run->add_option("scenario", scenario, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  run->add_option("--out", out_dir, "Output directory (created if missing)")->required();
  run->add_flag("-q,--quiet", quiet, "Print nothing on success");

  CLI::App* validate = app.add_subcommand("validate", "Check a scenario file without running it");
  validate->add_option("scenario", scenario, "Scenario YAML file")
      ->required()
      ->check(CLI::ExistingFile);

  sim::CoverageOptions cov;
  double cov_altitude_km = cov.altitude_m / 1e3;
  CLI::App* coverage = app.add_subcommand(
      "coverage",
      "Geometric coverage of the space IR layers: satellites seeing each threat, "
      "stereo maps");
  coverage->add_option("scenario", scenario, "Scenario YAML file")
      ->required()
      ->check(CLI::ExistingFile);
  coverage->add_option("--out", out_dir, "Output directory (created if missing)")->required();
  coverage->add_option("--altitude-km", cov_altitude_km, "Map target altitude (km)")
      ->capture_default_str();
  coverage->add_option("--grid-deg", cov.grid_deg, "Map cell size (deg), divides 180")
      ->capture_default_str();
  coverage->add_option("--step-s", cov.step_s, "Map time step (s)")->capture_default_str();
  coverage->add_flag("-q,--quiet", quiet, "Print nothing on success");

  app::McCommandOptions mc;
  std::string resume_dir, keep_traces;
  const auto add_mc_options = [&](CLI::App* c) {
    c->add_option("scenario", mc.scenario, "Scenario YAML file")
        ->required()
        ->check(CLI::ExistingFile);
    c->add_option("--out", mc.out_dir, "Output directory (created if missing)");
    c->add_option("--runs", mc.runs, "Replications (per sweep point)")->capture_default_str();
    c->add_option("--threads", mc.threads, "Worker threads (0: every core)")->capture_default_str();
    c->add_option("--seed", mc.seed, "Seed (replaces the scenario's)");
    c->add_option("--keep-traces", keep_traces,
                  "Runs whose full outputs to keep in DIR/traces, e.g. 0,5,17");
    c->add_option("--resume", resume_dir,
                  "Continue an interrupted run in this directory (same command otherwise)");
    c->add_option("--band-step-s", mc.band_step_s, "Time bin of rmse_bands.csv (s)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    c->add_flag("-q,--quiet", mc.quiet, "Print nothing but errors");
  };
  CLI::App* mc_cmd = app.add_subcommand(
      "mc", "Monte Carlo: replications of a scenario with fresh random draws, and statistics");
  add_mc_options(mc_cmd);
  CLI::App* sweep_cmd = app.add_subcommand(
      "sweep", "Trade sweep: Monte Carlo at every point of a full-factorial grid of --set values");
  add_mc_options(sweep_cmd);
  sweep_cmd
      ->add_option("--set", mc.sets,
                   "PATH=V1,V2,... or PATH=A..B[:STEP] (repeat for more keys; full factorial)")
      ->required();

  serve::ViewOptions view_opts;
  std::string view_dir;
  CLI::App* view = app.add_subcommand(
      "view", "Serve the offline 3D viewer of a run directory on 127.0.0.1 (Ctrl-C stops)");
  view->add_option("dir", view_dir, "Run directory")->required()->check(CLI::ExistingDirectory);
  view->add_option("--port", view_opts.port, "TCP port (0: any free port)")->capture_default_str();
  view->add_option("--host", view_opts.host, "Address to bind")->capture_default_str();
  view->add_option("--viewer-root", view_opts.viewer_root,
                   "The viewer/ folder (default: found automatically)");
  view->add_flag("--log", view_opts.log_requests, "Print each request");

  std::string report_dir;
  CLI::App* report = app.add_subcommand(
      "report", "Write DIR/report.html and DIR/plots/*.png from a run, mc or sweep directory");
  report->add_option("dir", report_dir, "Run directory")->required();
  report->add_flag("-q,--quiet", quiet, "Print nothing on success");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    if (*run) return Run(scenario, out_dir, quiet);
    if (*validate) return Validate(scenario);
    if (*view) {
      view_opts.run_dir = view_dir;
      return serve::RunViewer(view_opts);
    }
    if (*report) {
      const auto files = io::WriteReport(report_dir);
      io::plot::ReleaseGlobalCaches();  // cairo's and fontconfig's caches: a clean exit
      if (!quiet) {
        fmt::print("wrote {} and {} plots in {}/plots\n", files.front().string(), files.size() - 1,
                   report_dir);
      }
      return 0;
    }
    if (*mc_cmd || *sweep_cmd) {
      mc.sweep = sweep_cmd->parsed();
      if (!resume_dir.empty()) {
        if (!mc.out_dir.empty() && mc.out_dir != resume_dir) {
          throw core::InputError({"<command line>", 0, 0}, "--resume",
                                 "names another directory than --out");
        }
        mc.out_dir = resume_dir;
        mc.resume = true;
      }
      if (mc.out_dir.empty()) {
        throw core::InputError({"<command line>", 0, 0}, "--out", "is required (or --resume DIR)");
      }
      for (const std::string& k : CLI::detail::split(keep_traces, ',')) {
        if (k.empty()) continue;
        try {
          size_t used = 0;
          mc.keep_traces.push_back(std::stoull(k, &used));
          if (used != k.size()) throw std::invalid_argument(k);
        } catch (const std::exception&) {
          throw core::InputError({"<command line>", 0, 0}, "--keep-traces",
                                 fmt::format("'{}' is not a run number (expected e.g. 0,5,17)", k));
        }
      }
      return app::RunMonteCarlo(mc, mpi);
    }
    if (*coverage) {
      cov.altitude_m = cov_altitude_km * 1e3;
      return Coverage(scenario, out_dir, cov, quiet);
    }
  } catch (const core::InputError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const core::InvariantError& e) {
    std::fprintf(stderr, "internal error (please report): %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
