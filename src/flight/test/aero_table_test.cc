// Aerodynamic tables: exact at nodes, bilinear between them, clamped outside; the CAV-H CSV
// loader, the compiled-in copy of the same table and the exponential fit.
#include "flight/aero_table.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/constants.h"
#include "core/error.h"

namespace hyperdef::flight {
namespace {

using core::kDegToRad;

const std::string kCavhCsv = HYPERDEF_REFERENCE_DIR "/cavh-aero.csv";

struct CsvNode {
  double alpha_deg, mach, cl, cd;
};

// Independent reading of the reference file's rows (not through the loader under test).
std::vector<CsvNode> ReadCavhRows() {
  std::ifstream in(kCavhCsv);
  EXPECT_TRUE(in.good()) << "cannot open " << kCavhCsv;
  std::vector<CsvNode> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      EXPECT_EQ(line, "alpha_deg,mach,CL,CD");
      header = false;
      continue;
    }
    std::istringstream s(line);
    CsvNode n{};
    char c = 0;
    s >> n.alpha_deg >> c >> n.mach >> c >> n.cl >> c >> n.cd;
    EXPECT_FALSE(s.fail()) << line;
    rows.push_back(n);
  }
  return rows;
}

TEST(Table1DTest, LinearBetweenNodesExactAtNodesClampedOutside) {
  // Forden (2007) generic missile drag table, Cd vs Mach (shared/reference/README.md).
  const std::vector<double> mach = {0.0, 0.85, 1.0, 1.2, 2.0, 4.5};
  const std::vector<double> cd = {0.20, 0.20, 0.27, 0.27, 0.20, 0.20};
  const Table1D t(mach, cd);
  for (std::size_t i = 0; i < mach.size(); ++i) EXPECT_EQ(t(mach[i]), cd[i]);
  EXPECT_NEAR(t(0.925), 0.235, 1e-15);
  EXPECT_NEAR(t(1.6), 0.235, 1e-15);
  EXPECT_EQ(t(-1.0), 0.20);
  EXPECT_EQ(t(25.0), 0.20);
  EXPECT_TRUE(std::isnan(t(NAN)));
  EXPECT_EQ(Table1D({3.0}, {7.0})(100.0), 7.0);  // one node: a constant
}

TEST(Table1DTest, RejectsBadAxes) {
  EXPECT_THROW(Table1D({0.0, 1.0, 1.0}, {1.0, 2.0, 3.0}), std::invalid_argument);
  EXPECT_THROW(Table1D({0.0, 1.0}, {1.0}), std::invalid_argument);
  EXPECT_THROW(Table1D({}, {}), std::invalid_argument);
  EXPECT_THROW(Table1D({0.0, NAN}, {1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(Table1D({0.0, 1.0}, {1.0, INFINITY}), std::invalid_argument);
}

TEST(Table2DTest, BilinearIsExactForBilinearFunctions) {
  // f = 1 + 2x + 3y + 4xy is reproduced exactly by bilinear interpolation anywhere inside.
  const std::vector<double> x = {0.0, 1.0, 3.0}, y = {-1.0, 0.5};
  std::vector<double> v;
  const auto f = [](double a, double b) { return 1.0 + 2.0 * a + 3.0 * b + 4.0 * a * b; };
  for (double a : x)
    for (double b : y) v.push_back(f(a, b));
  const Table2D t(x, y, v);
  for (double a : {0.0, 0.3, 1.0, 2.2, 3.0})
    for (double b : {-1.0, -0.2, 0.5}) EXPECT_NEAR(t(a, b), f(a, b), 1e-14) << a << " " << b;
  // Clamped per axis.
  EXPECT_EQ(t(-5.0, -7.0), f(0.0, -1.0));
  EXPECT_EQ(t(9.0, 9.0), f(3.0, 0.5));
  EXPECT_NEAR(t(2.0, 4.0), f(2.0, 0.5), 1e-14);
  EXPECT_THROW(Table2D(x, y, {1.0, 2.0}), std::invalid_argument);
}

TEST(CavhAeroTest, LoaderIsExactAtAll21Nodes) {
  // Phillips (2003) CAV-H table; the file demands exact interpolation at the nodes.
  const auto rows = ReadCavhRows();
  ASSERT_EQ(rows.size(), 21u);
  const LiftDragTables t = LoadLiftDragCsv(kCavhCsv);
  EXPECT_EQ(t.cl.x().size(), 7u);
  EXPECT_EQ(t.cl.y().size(), 3u);
  for (const CsvNode& n : rows) {
    const LiftDragCoefficients c = t(n.mach, n.alpha_deg * kDegToRad);
    EXPECT_EQ(c.cl, n.cl) << n.mach << " " << n.alpha_deg;
    EXPECT_EQ(c.cd, n.cd) << n.mach << " " << n.alpha_deg;
  }
}

TEST(CavhAeroTest, BuiltinTableEqualsTheReferenceFile) {
  const LiftDragTables file = LoadLiftDragCsv(kCavhCsv);
  const LiftDragTables builtin = CavhBuiltinTables();
  ASSERT_EQ(builtin.cl.x(), file.cl.x());
  ASSERT_EQ(builtin.cl.y(), file.cl.y());
  ASSERT_EQ(builtin.cd.x(), file.cd.x());
  ASSERT_EQ(builtin.cd.y(), file.cd.y());
  for (std::size_t i = 0; i < file.cl.x().size(); ++i) {
    for (std::size_t j = 0; j < file.cl.y().size(); ++j) {
      EXPECT_EQ(builtin.cl.At(i, j), file.cl.At(i, j));
      EXPECT_EQ(builtin.cd.At(i, j), file.cd.At(i, j));
    }
  }
  for (const CsvNode& n : ReadCavhRows()) {
    EXPECT_EQ(builtin(n.mach, n.alpha_deg * kDegToRad).cl, n.cl);
    EXPECT_EQ(builtin(n.mach, n.alpha_deg * kDegToRad).cd, n.cd);
  }
}

TEST(CavhAeroTest, BilinearMidpointsAndClamping) {
  const LiftDragTables t = CavhBuiltinTables();
  // Midpoint of the cell Mach [8, 10] x alpha [10, 15] deg: mean of the four corners.
  const double a = 12.5 * kDegToRad;
  EXPECT_NEAR(t(9.0, a).cl, 0.25 * (0.4000 + 0.3800 + 0.6700 + 0.6300), 1e-15);
  EXPECT_NEAR(t(9.0, a).cd, 0.25 * (0.1290 + 0.1090 + 0.2240 + 0.1970), 1e-15);
  // Mid-edges are linear in one variable.
  EXPECT_NEAR(t(9.0, 10.0 * kDegToRad).cl, 0.5 * (0.4000 + 0.3800), 1e-15);
  EXPECT_NEAR(t(20.0, 17.5 * kDegToRad).cd, 0.5 * (0.1920 + 0.3000), 1e-15);
  // Outside the grid: the nearest edge (Mach 3.5 / 23, alpha 10 / 20 deg).
  EXPECT_EQ(t(1.0, 10.0 * kDegToRad).cl, 0.4500);
  EXPECT_EQ(t(30.0, 20.0 * kDegToRad).cd, 0.3000);
  EXPECT_EQ(t(10.0, 0.0).cl, 0.3800);
  EXPECT_EQ(t(10.0, 40.0 * kDegToRad).cl, 0.9000);
  EXPECT_NEAR(t(2.0, 12.5 * kDegToRad).cl, 0.5 * (0.4500 + 0.7400), 1e-15);
}

TEST(CavhAeroTest, FitMatchesItsFormulaAndThePublishedPoint) {
  // The fit as printed in cavh-aero.csv; alpha goes in in rad and is converted to degrees.
  for (double m : {3.5, 7.0, 10.0, 23.0}) {
    for (double a_deg : {0.0, 5.0, 10.0, 17.0}) {
      const LiftDragCoefficients c = CavhFit(m, a_deg * kDegToRad);
      EXPECT_NEAR(c.cl, -0.2317 + 0.0513 * a_deg + 0.2945 * std::exp(-0.1028 * m), 1e-12);
      EXPECT_NEAR(c.cd, 0.024 + 7.24e-4 * a_deg * a_deg + 0.406 * std::exp(-0.323 * m), 1e-12);
    }
  }
  // File: "fit at M10, a10: CL 0.3866, CD 0.1125, L/D 3.438", given to 4 decimals (3 for L/D),
  // so agreement to half a unit in the last place.
  const LiftDragCoefficients c = CavhFit(10.0, 10.0 * kDegToRad);
  EXPECT_NEAR(c.cl, 0.3866, 0.5e-4);
  EXPECT_NEAR(c.cd, 0.1125, 0.5e-4);
  EXPECT_NEAR(c.cl / c.cd, 3.438, 0.5e-3);
}

TEST(CavhAeroTest, LoaderRejectsBadInputWithFileAndLine) {
  const auto parse = [](const std::string& text) {
    std::istringstream in(text);
    return ParseLiftDragCsv(in, "t.csv");
  };
  const auto message = [&](const std::string& text) -> std::string {
    try {
      parse(text);
    } catch (const core::InputError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(message("# c\nalpha_deg,mach,CL\n"),
            "t.csv:2: CD: missing column (header is \"alpha_deg,mach,CL\")");
  EXPECT_EQ(message("alpha_deg,mach,CL,CD\n10,5,0.4,x\n"),
            "t.csv:2: CD: not a finite number (got \"x\")");
  EXPECT_EQ(message("alpha_deg,mach,CL,CD\n10,5,0.4\n"), "t.csv:2: expected 4 columns (got 3)");
  EXPECT_NE(
      message("alpha_deg,mach,CL,CD\n10,5,0.4,0.1\n10,5,0.5,0.2\n").find("t.csv:3: duplicate"),
      std::string::npos);
  EXPECT_NE(message("alpha_deg,mach,CL,CD\n10,5,0.4,0.1\n15,6,0.5,0.2\n").find("incomplete grid"),
            std::string::npos);
  EXPECT_NE(message("").find("no header"), std::string::npos);
  EXPECT_THROW(LoadLiftDragCsv("/nonexistent/cavh.csv"), core::InputError);
  // Column order is free and extra columns are ignored.
  const LiftDragTables t = parse("mach,CD,note,alpha_deg,CL\n5,0.1,a,10,0.4\n5,0.2,b,20,0.8\n");
  EXPECT_NEAR(t(5.0, 15.0 * kDegToRad).cl, 0.6, 1e-15);
  EXPECT_NEAR(t(5.0, 15.0 * kDegToRad).cd, 0.15, 1e-15);
}

}  // namespace
}  // namespace hyperdef::flight
