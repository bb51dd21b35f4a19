#include "sim/yaml_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "core/error.h"

namespace hyperdef::sim {
namespace {

// The full "file:line:col: key: message" text of the InputError thrown by `f`.
std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

Node Load(const std::string& text) { return Node::LoadString(text, "t.yaml"); }

// The upper stage's Isp is -3, with the value at line 14, column 5 (flow style lets a value sit
// at any column; block style would indent it further).
const char* const kRegional = R"(# Regional example: a two-stage ballistic missile.
name: regional
epoch_utc: 2027-01-01T00:00:00Z
duration_s: 1200
threats: [
  {id: bm-1, class: ballistic,
   booster: {stages: [
    {wet_mass_kg: 10000, propellant_mass_kg: 8000, isp_s: 250,
     burn_time_s: 60, diameter_m: 1},
    {wet_mass_kg: 3000, propellant_mass_kg: 2500,
     burn_time_s: 50, diameter_m: 1,
     # the upper stage's specific impulse, deliberately wrong:
     isp_s:
    -3}]}}]
)";

TEST(YamlReaderTest, ExampleMessageIsExact) {
  const Node root = Node::LoadString(kRegional, "regional.yaml");
  const Node stage = root.Get("threats")[0].Get("booster").Get("stages")[1];
  EXPECT_EQ(stage.path(), "threats[0].booster.stages[1]");
  EXPECT_EQ(stage.GetDouble("wet_mass_kg", Check::Positive()), 3000);
  EXPECT_EQ(ErrorOf([&] { stage.GetDouble("isp_s", Check::Positive()); }),
            "regional.yaml:14:5: threats[0].booster.stages[1].isp_s: must be > 0 (got -3)");
  try {
    stage.Get("isp_s").AsDouble(Check::Positive());
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.where().file, "regional.yaml");
    EXPECT_EQ(e.where().line, 14);
    EXPECT_EQ(e.where().column, 5);
    EXPECT_EQ(e.key(), "threats[0].booster.stages[1].isp_s");
    EXPECT_EQ(e.message(), "must be > 0 (got -3)");
  }
}

TEST(YamlReaderTest, PathsAndLocations) {
  const Node root = Load("a:\n  b:\n    - 1\n    - {c: 2}\n  e:\n");
  EXPECT_EQ(root.path(), "");
  EXPECT_TRUE(root.IsMap());
  const Node b = root.Get("a").Get("b");
  EXPECT_EQ(b.path(), "a.b");
  EXPECT_TRUE(b.IsSequence());
  EXPECT_EQ(b.size(), 2u);
  EXPECT_TRUE(b[0].IsScalar());
  EXPECT_EQ(b[1].Get("c").path(), "a.b[1].c");
  EXPECT_EQ(b[1].Get("c").where().line, 4);
  EXPECT_EQ(b[1].Get("c").where().column, 11);
  EXPECT_EQ(b.where().line, 3);
  EXPECT_EQ(b.where().column, 5);
  // An empty value is located at its key, not at the next token.
  const Node e = root.Get("a").Get("e");
  EXPECT_TRUE(e.IsNull());
  EXPECT_EQ(e.where().line, 5);
  EXPECT_EQ(e.where().column, 3);
  EXPECT_EQ(root.Get("a").Keys(), (std::vector<std::string>{"b", "e"}));
}

TEST(YamlReaderTest, LoadFileReadsAndReportsUnreadableFiles) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("hyperdef_yaml_reader_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "s.yaml").string();
  std::ofstream(file) << "duration_s: 12\n";
  EXPECT_EQ(Node::LoadFile(file).GetDouble("duration_s"), 12);
  EXPECT_EQ(ErrorOf([&] { Node::LoadFile(file).GetDouble("seed"); }),
            file + ":1:1: seed: missing required key (expected a number)");
  EXPECT_EQ(
      ErrorOf([&] { Node::LoadFile((dir / "nope.yaml").string()); }),
      (dir / "nope.yaml").string() + ": cannot open scenario file: No such file or directory");
  EXPECT_EQ(ErrorOf([&] { Node::LoadFile(dir.string()); }),
            dir.string() + ": cannot read scenario file: it is a directory");
  std::filesystem::remove_all(dir);
}

TEST(YamlReaderTest, SyntaxErrorsAreLocated) {
  EXPECT_EQ(ErrorOf([] { Node::LoadString("a: [1, 2\nb: 3\n", "bad.yaml"); }),
            "bad.yaml:2:2: YAML syntax error: end of sequence flow not found");
  const std::string indent = ErrorOf([] { Node::LoadString("a:\n  b: 1\n c: 2\n", "bad.yaml"); });
  EXPECT_TRUE(indent.starts_with("bad.yaml:3:")) << indent;
  EXPECT_NE(indent.find("YAML syntax error"), std::string::npos) << indent;
  EXPECT_EQ(ErrorOf([] { Node::LoadString("a: 1\n---\nb: 2\n", "two.yaml"); }),
            "two.yaml:3:1: a scenario file holds one YAML document (found a second after '---')");
}

TEST(YamlReaderTest, EmptyDocumentIsAnEmptyMap) {
  const Node root = Node::LoadString("", "empty.yaml");
  EXPECT_TRUE(root.IsNull());
  EXPECT_FALSE(root.Has("threats"));
  EXPECT_TRUE(root.Keys().empty());
  EXPECT_EQ(root.GetDouble("duration_s", 5, {}), 5);
  EXPECT_EQ(ErrorOf([&] { root.Get("threats"); }), "empty.yaml: threats: missing required key");
}

TEST(YamlReaderTest, DuplicateKeysAreRejected) {
  EXPECT_EQ(ErrorOf([] { Load("a: 1\nb: 2\na: 3\n"); }),
            "t.yaml:3:1: duplicate key 'a' (first given on line 1)");
  EXPECT_EQ(ErrorOf([] { Load("outer:\n  - x: 1\n    x: 2\n"); }),
            "t.yaml:3:5: outer[0]: duplicate key 'x' (first given on line 2)");
  EXPECT_EQ(ErrorOf([] { Load("m: {k: 1, k: 1}\n"); }),
            "t.yaml:1:11: m: duplicate key 'k' (first given on line 1)");
  EXPECT_EQ(ErrorOf([] { Load("? [1, 2]\n: x\n"); }),
            "t.yaml:1:3: map keys must be plain names (got a list)");
}

TEST(YamlReaderTest, RequiredKeys) {
  const Node root = Load("booster:\n  isp_s: 250\n");
  const Node booster = root.Get("booster");
  EXPECT_EQ(ErrorOf([&] { booster.Get("burn_time_s"); }),
            "t.yaml:2:3: booster.burn_time_s: missing required key");
  EXPECT_EQ(
      ErrorOf([&] { booster.GetDouble("burn_time_s", Check::Positive()); }),
      "t.yaml:2:3: booster.burn_time_s: missing required key (expected a number; must be > 0)");
  EXPECT_EQ(ErrorOf([&] { booster.GetString("name"); }),
            "t.yaml:2:3: booster.name: missing required key (expected a string)");
  EXPECT_EQ(ErrorOf([&] { booster.GetDistribution("t_s"); }),
            "t.yaml:2:3: booster.t_s: missing required key (expected a number or distribution)");
  EXPECT_EQ(ErrorOf([&] { booster.GetDoubleList("mach"); }),
            "t.yaml:2:3: booster.mach: missing required key (expected a list of numbers)");
  EXPECT_EQ(ErrorOf([&] { booster.Get("isp_s").Get("x"); }),
            "t.yaml:2:10: booster.isp_s: expected a map with key 'x' (got '250')");
  EXPECT_TRUE(booster.Has("isp_s"));
  EXPECT_FALSE(booster.Has("nope"));
  EXPECT_TRUE(booster.Find("isp_s").has_value());
  EXPECT_FALSE(booster.Find("nope").has_value());
}

TEST(YamlReaderTest, Sequences) {
  const Node root = Load("list: [1, 2]\nscalar: 3\n");
  EXPECT_EQ(root.Get("list").size(), 2u);
  EXPECT_EQ(root.Get("list")[1].AsInt(), 2);
  EXPECT_EQ(root.Get("list")[1].path(), "list[1]");
  EXPECT_EQ(ErrorOf([&] { root.Get("scalar").size(); }),
            "t.yaml:2:9: scalar: expected a list (got '3')");
  EXPECT_THROW(root.Get("list")[2], core::InvariantError);
  EXPECT_EQ(ErrorOf([&] { root.Get("list").Keys(); }),
            "t.yaml:1:7: list: expected a map (got a list)");
}

TEST(YamlReaderTest, Doubles) {
  const Node root = Load(
      "i: 42\nf: -2.5\ne: 1e3\np: +7\nneg: -3\ns: abc\nq: \"250\"\ninf: .inf\nnan: .nan\n"
      "big: 1e999\nmap: {a: 1}\nempty:\nlat: 91\ncinf: inf\nhex: 0x10\nfloat_tag: !!float 2\n");
  EXPECT_EQ(root.GetDouble("i"), 42);
  EXPECT_EQ(root.GetDouble("f"), -2.5);
  EXPECT_EQ(root.GetDouble("e"), 1000);
  EXPECT_EQ(root.GetDouble("p"), 7);
  EXPECT_EQ(root.GetDouble("float_tag"), 2);
  EXPECT_EQ(root.GetDouble("missing", 3.5, Check::Positive()), 3.5);
  EXPECT_EQ(root.GetDouble("f", 3.5, {}), -2.5);
  EXPECT_EQ(ErrorOf([&] { root.GetDouble("neg", Check::NonNegative()); }),
            "t.yaml:5:6: neg: must be >= 0 (got -3)");
  EXPECT_EQ(ErrorOf([&] { root.GetDouble("neg", 1, Check::Positive()); }),
            "t.yaml:5:6: neg: must be > 0 (got -3)");
  EXPECT_EQ(ErrorOf([&] { root.GetDouble("s"); }), "t.yaml:6:4: s: expected a number (got 'abc')");
  EXPECT_EQ(ErrorOf([&] { root.GetDouble("q"); }),
            "t.yaml:7:4: q: expected a number (got the quoted string '250')");
  EXPECT_EQ(ErrorOf([&] { root.GetDouble("inf"); }),
            "t.yaml:8:6: inf: must be a finite number (got .inf)");
  EXPECT_EQ(ErrorOf([&] { root.GetDouble("nan"); }),
            "t.yaml:9:6: nan: must be a finite number (got .nan)");
  EXPECT_EQ(ErrorOf([&] { root.GetDouble("cinf"); }),
            "t.yaml:14:7: cinf: expected a number (got 'inf')");
  EXPECT_EQ(ErrorOf([&] { root.GetDouble("hex"); }),
            "t.yaml:15:6: hex: expected a number (got '0x10')");
  EXPECT_EQ(ErrorOf([&] { root.GetDouble("big"); }),
            "t.yaml:10:6: big: is out of range for a double-precision number (got 1e999)");
  EXPECT_EQ(ErrorOf([&] { root.GetDouble("map"); }),
            "t.yaml:11:6: map: expected a number (got a map)");
  EXPECT_EQ(ErrorOf([&] { root.GetDouble("empty"); }),
            "t.yaml:12:1: empty: expected a number (got nothing)");
  EXPECT_EQ(ErrorOf([&] { root.GetDouble("lat", Check::Between(-90, 90)); }),
            "t.yaml:13:6: lat: must be between -90 and 90 (got 91)");
  EXPECT_EQ(ErrorOf([&] { root.GetDouble("f", Check::Above(0.5)); }),
            "t.yaml:2:4: f: must be > 0.5 (got -2.5)");
}

TEST(YamlReaderTest, Integers) {
  const Node root =
      Load("a: 42\nb: 1e4\nc: 0x10\nd: 2.5\ne: x\nf: -1\ng: 99999999999999999999\nh: +3\n");
  EXPECT_EQ(root.Get("a").AsInt(), 42);
  EXPECT_EQ(root.Get("b").AsInt(), 10000);
  EXPECT_EQ(root.Get("c").AsInt(), 16);
  EXPECT_EQ(root.Get("h").AsInt(), 3);
  EXPECT_EQ(root.GetInt("seed", 1, Check::NonNegative()), 1);
  EXPECT_EQ(ErrorOf([&] { root.GetInt("d", 0); }), "t.yaml:4:4: d: expected an integer (got 2.5)");
  EXPECT_EQ(ErrorOf([&] { root.GetInt("e", 0); }), "t.yaml:5:4: e: expected an integer (got 'x')");
  EXPECT_EQ(ErrorOf([&] { root.GetInt("f", 0, Check::NonNegative()); }),
            "t.yaml:6:4: f: must be >= 0 (got -1)");
  EXPECT_EQ(ErrorOf([&] { root.GetInt("g", 0); }),
            "t.yaml:7:4: g: is out of range for an integer (got 99999999999999999999)");
}

TEST(YamlReaderTest, BoolsAndStrings) {
  const Node root = Load("t: true\nf: False\ny: yes\nn: 1\ns: hello\nl: [a]\nnum: 12\n");
  EXPECT_TRUE(root.GetBool("t", false));
  EXPECT_FALSE(root.GetBool("f", true));
  EXPECT_TRUE(root.GetBool("missing", true));
  EXPECT_EQ(ErrorOf([&] { root.GetBool("y", false); }),
            "t.yaml:3:4: y: expected true or false (got 'yes')");
  EXPECT_EQ(ErrorOf([&] { root.Get("n").AsBool(); }),
            "t.yaml:4:4: n: expected true or false (got '1')");
  EXPECT_EQ(root.GetString("s"), "hello");
  EXPECT_EQ(root.GetString("num"), "12");
  EXPECT_EQ(root.GetString("missing", "dflt"), "dflt");
  EXPECT_EQ(ErrorOf([&] { root.GetString("l"); }), "t.yaml:6:4: l: expected a string (got a list)");
}

TEST(YamlReaderTest, Enums) {
  const Node root = Load("class: balistic\ngravity: j2\nnum: [1]\n");
  const std::vector<std::string> classes = {"ballistic", "boost_glide", "cruise"};
  EXPECT_EQ(root.GetEnum("gravity", {"point", "j2", "j4"}, "j4"), "j2");
  EXPECT_EQ(root.GetEnum("atmosphere", {"us76"}, "us76"), "us76");
  EXPECT_EQ(ErrorOf([&] { root.GetEnum("class", classes, ""); }),
            "t.yaml:1:8: class: must be one of ballistic, boost_glide, cruise (got balistic); "
            "did you mean 'ballistic'?");
  EXPECT_EQ(ErrorOf([&] {
              root.Get("gravity").AsEnum({"point", "j4"});
            }),
            "t.yaml:2:10: gravity: must be one of point, j4 (got j2); did you mean 'j4'?");
  EXPECT_EQ(ErrorOf([&] { root.Get("num").AsEnum({"a"}); }),
            "t.yaml:3:6: num: must be one of a (got a list)");
  // A fallback outside the allowed values makes the key required.
  EXPECT_EQ(
      ErrorOf([&] { root.GetEnum("kind", classes, ""); }),
      "t.yaml:1:1: kind: missing required key (expected one of ballistic, boost_glide, cruise)");
}

TEST(YamlReaderTest, Distributions) {
  const Node root = Load(R"(c: 5
n: {normal: {mean: 0, sigma: 30}}
u: {uniform: {min: 10, max: 20}}
t:
  truncated_normal: {mean: 1, sigma: 2, min: 0, max: 4}
)");
  const Distribution c = root.GetDistribution("c", Check::Positive());
  EXPECT_TRUE(c.IsConstant());
  EXPECT_EQ(c.Nominal(), 5);
  EXPECT_TRUE(c.limits.gt.has_value());
  const Distribution n = root.GetDistribution("n");
  EXPECT_EQ(n.kind, Distribution::Kind::kNormal);
  EXPECT_EQ(n.a, 0);
  EXPECT_EQ(n.b, 30);
  EXPECT_EQ(n.Nominal(), 0);
  const Distribution u = root.GetDistribution("u", Check::Positive());
  EXPECT_EQ(u.kind, Distribution::Kind::kUniform);
  EXPECT_EQ(u.Nominal(), 15);
  const Distribution t = root.GetDistribution("t", Check::NonNegative());
  EXPECT_EQ(t.kind, Distribution::Kind::kTruncatedNormal);
  EXPECT_EQ(t.a, 1);
  EXPECT_EQ(t.b, 2);
  EXPECT_EQ(t.lo, 0);
  EXPECT_EQ(t.hi, 4);
  EXPECT_EQ(t.Nominal(), 1);
  const Distribution fallback = root.GetDistribution("missing", 7, Check::Positive());
  EXPECT_TRUE(fallback.IsConstant());
  EXPECT_EQ(fallback.Nominal(), 7);
  root.RejectUnknownKeysRecursive();  // every key, distribution parameters included, was read
}

TEST(YamlReaderTest, DistributionErrors) {
  const auto error = [](const std::string& value, const Check& check = {}) {
    return ErrorOf([&] { Load("x: " + value + "\n").GetDistribution("x", check); });
  };
  EXPECT_EQ(error("-3", Check::Positive()), "t.yaml:1:4: x: must be > 0 (got -3)");
  EXPECT_EQ(error("{normal: {mean: -1, sigma: 1}}", Check::Positive()),
            "t.yaml:1:20: x.normal.mean: must be > 0 (got -1)");
  EXPECT_EQ(error("{normal: {mean: 0, sigma: -1}}"),
            "t.yaml:1:30: x.normal.sigma: must be >= 0 (got -1)");
  EXPECT_EQ(error("{normal: {mean: 0}}"),
            "t.yaml:1:13: x.normal.sigma: missing required key (expected a number; must be >= 0)");
  EXPECT_EQ(
      error("{normal: {mean: 0, sigm: 1}}"),
      "t.yaml:1:23: x.normal: unknown key 'sigm' (expected one of: mean, sigma); did you mean "
      "'sigma'?");
  EXPECT_EQ(error("{uniform: {min: 2, max: 2}}"),
            "t.yaml:1:28: x.uniform.max: must be greater than min 2 (got 2)");
  EXPECT_EQ(error("{uniform: {min: -1, max: 2}}", Check::NonNegative()),
            "t.yaml:1:20: x.uniform.min: must be >= 0 (got -1)");
  EXPECT_EQ(error("{truncated_normal: {mean: 5, sigma: 1, min: 0, max: 4}}"),
            "t.yaml:1:30: x.truncated_normal.mean: must be between min 0 and max 4 (got 5)");
  EXPECT_EQ(
      error("{truncated_normal: {mean: 1, sigma: 1, min: 0, max: 100}}", Check::Between(0, 90)),
      "t.yaml:1:56: x.truncated_normal.max: must be between 0 and 90 (got 100)");
  EXPECT_EQ(error("{nromal: {mean: 0, sigma: 1}}"),
            "t.yaml:1:5: x: unknown key 'nromal' (expected one of: normal, uniform, "
            "truncated_normal); did you mean 'normal'?");
  EXPECT_EQ(error("{normal: {mean: 0, sigma: 1}, uniform: {min: 0, max: 1}}"),
            "t.yaml:1:4: x: a distribution has exactly one of normal, uniform, truncated_normal "
            "(got normal, uniform)");
  EXPECT_EQ(
      error("{}"),
      "t.yaml:1:4: x: expected a number or a distribution: {normal: {mean, sigma}}, "
      "{uniform: {min, max}} or {truncated_normal: {mean, sigma, min, max}} (got an empty map)");
  EXPECT_EQ(error("[1, 2]"),
            "t.yaml:1:4: x: expected a number or a distribution: {normal: {mean, sigma}}, "
            "{uniform: {min, max}} or {truncated_normal: {mean, sigma, min, max}} (got a list)");
  EXPECT_EQ(error("{normal: 3}"),
            "t.yaml:1:13: x.normal: expected a map of the distribution's parameters (got '3')");
  EXPECT_EQ(error("abc"), "t.yaml:1:4: x: expected a number (got 'abc')");
}

TEST(YamlReaderTest, DoubleLists) {
  const Node root = Load("mach: [0, 0.8, 1.2]\nbad: [0, x]\nneg: [1, -1]\nscalar: 3\n");
  EXPECT_EQ(root.GetDoubleList("mach", Check::NonNegative()), (std::vector<double>{0, 0.8, 1.2}));
  EXPECT_EQ(ErrorOf([&] { root.GetDoubleList("bad"); }),
            "t.yaml:2:10: bad[1]: expected a number (got 'x')");
  EXPECT_EQ(ErrorOf([&] { root.GetDoubleList("neg", Check::Positive()); }),
            "t.yaml:3:10: neg[1]: must be > 0 (got -1)");
  EXPECT_EQ(ErrorOf([&] { root.GetDoubleList("scalar"); }),
            "t.yaml:4:9: scalar: expected a list of numbers (got '3')");
}

const char* const kStage = R"(stages:
  - wet_mass_kg: 1000
    isp_s: 250
    burn_time_s: 60
    ispp_s: 260
)";

TEST(YamlReaderTest, UnknownKeyWithSuggestion) {
  const Node s = Load(kStage).Get("stages")[0];
  s.GetDouble("wet_mass_kg", Check::Positive());
  s.GetDouble("isp_s", Check::Positive());
  s.GetDouble("burn_time_s", Check::Positive());
  s.GetDouble("coast_after_s", 0, Check::NonNegative());  // absent, but expected
  EXPECT_EQ(ErrorOf([&] { s.RejectUnknownKeys(); }),
            "t.yaml:5:5: stages[0]: unknown key 'ispp_s' (expected one of: wet_mass_kg, isp_s, "
            "burn_time_s, coast_after_s); did you mean 'isp_s'?");
}

TEST(YamlReaderTest, UnknownKeyBookkeepingIsSharedByCopies) {
  const Node root = Load(kStage);
  root.Get("stages")[0].GetDouble("wet_mass_kg");
  const Node again = root.Get("stages")[0];  // a fresh view of the same map
  again.GetDouble("isp_s");
  again.GetDouble("burn_time_s");
  again.Find("ispp_s");
  root.Get("stages")[0].RejectUnknownKeys();  // all four read through one copy or another
  root.RejectUnknownKeysRecursive();
}

TEST(YamlReaderTest, UnknownKeyWithoutSuggestionAndHasIsNotReading) {
  const Node root = Load("a: 1\nzzz: 2\n");
  EXPECT_TRUE(root.Has("a"));
  EXPECT_EQ(ErrorOf([&] { root.RejectUnknownKeys(); }),
            "t.yaml:1:1: unknown key 'a' (expected one of: a)");
  root.GetDouble("a");
  EXPECT_EQ(ErrorOf([&] { root.RejectUnknownKeys(); }),
            "t.yaml:2:1: unknown key 'zzz' (expected one of: a)");
  const Node empty = Load("x: 1\n");
  EXPECT_EQ(ErrorOf([&] { empty.RejectUnknownKeys(); }),
            "t.yaml:1:1: unknown key 'x' (no keys are expected here)");
}

TEST(YamlReaderTest, RejectUnknownKeysRecursiveWalksWhatWasRead) {
  const Node root = Load(R"(world: {gravity: j4}
threats:
  - id: a
    launch: {lat_deg: 10, lon_dg: 20}
)");
  root.Get("world").GetEnum("gravity", {"j4"}, "j4");
  const Node threat = root.Get("threats")[0];
  threat.GetString("id");
  const Node launch = threat.Get("launch");
  launch.GetDouble("lat_deg");
  launch.GetDouble("lon_deg", 0, {});
  root.RejectUnknownKeys();  // the top level itself is fine
  EXPECT_EQ(ErrorOf([&] { root.RejectUnknownKeysRecursive(); }),
            "t.yaml:4:27: threats[0].launch: unknown key 'lon_dg' (expected one of: lat_deg, "
            "lon_deg); did you mean 'lon_deg'?");
}

TEST(YamlReaderTest, EmptyValueWhereAMapIsExpectedReadsAsEmpty) {
  const Node root = Load("world:\n");
  const Node world = root.Get("world");
  EXPECT_FALSE(world.Has("gravity"));
  EXPECT_EQ(world.GetEnum("gravity", {"j2", "j4"}, "j4"), "j4");
  EXPECT_EQ(ErrorOf([&] { world.Get("gravity"); }),
            "t.yaml:1:1: world.gravity: missing required key");
  world.RejectUnknownKeys();
  root.RejectUnknownKeysRecursive();
}

const char* const kSweep = R"(seed: 1
threats:
  - id: a
    launch: {time_s: 10, lat_deg: {normal: {mean: 0, sigma: 1}}}
    drag: {mach: [0, 1]}
sensors:
  - constellation: {walker: {planes: 6}}
)";

TEST(YamlReaderTest, SetPathReplacesValues) {
  Node root = Load(kSweep);
  root.SetPath("sensors[0].constellation.walker.planes", "8");
  root.SetPath("threats[0].launch.time_s", "20.5");
  root.SetPath("threats[0].launch.lat_deg", "3");  // a distribution replaced by a number
  root.SetPath("threats[0].drag.mach", "[0, 2, 3]");
  root.SetPath("seed", "{uniform: {min: 1, max: 2}}");  // a number replaced by a distribution
  EXPECT_EQ(root.Get("sensors")[0].Get("constellation").Get("walker").GetInt("planes", 0), 8);
  const Node launch = root.Get("threats")[0].Get("launch");
  EXPECT_EQ(launch.GetDouble("time_s"), 20.5);
  EXPECT_TRUE(launch.GetDistribution("lat_deg").IsConstant());
  EXPECT_EQ(root.Get("threats")[0].Get("drag").GetDoubleList("mach"),
            (std::vector<double>{0, 2, 3}));
  EXPECT_EQ(root.GetDistribution("seed").kind, Distribution::Kind::kUniform);
  // The rest of the document is untouched, and overridden values say where they came from.
  EXPECT_EQ(root.Get("threats")[0].GetString("id"), "a");
  EXPECT_EQ(launch.Get("time_s").where().file, "<--set>");
  EXPECT_EQ(launch.where().file, "t.yaml");
  root.SetPath("threats[0].launch.time_s", "-5");
  EXPECT_EQ(ErrorOf([&] { launch.GetDouble("time_s", Check::NonNegative()); }),
            "<--set>: threats[0].launch.time_s: must be >= 0 (got -5)");
}

TEST(YamlReaderTest, SetPathErrors) {
  Node root = Load(kSweep);
  const auto error = [&](const std::string& path, const std::string& value) {
    return ErrorOf([&] { root.SetPath(path, value); });
  };
  EXPECT_EQ(error("threats[0].launch.tme_s", "1"),
            "<--set>: threats[0].launch.tme_s: no key 'tme_s' in 'threats[0].launch' (--set only "
            "replaces values the file gives; keys there: time_s, lat_deg); did you mean 'time_s'?");
  EXPECT_EQ(error("sensors[0].constellation.walker.inclination_deg", "50"),
            "<--set>: sensors[0].constellation.walker.inclination_deg: no key 'inclination_deg' in "
            "'sensors[0].constellation.walker' (--set only replaces values the file gives; keys "
            "there: planes)");
  EXPECT_EQ(error("duration_s", "5"),
            "<--set>: duration_s: no key 'duration_s' in the top level (--set only replaces values "
            "the file gives; keys there: seed, threats, sensors)");
  EXPECT_EQ(error("threats[3].launch.time_s", "1"),
            "<--set>: threats[3].launch.time_s: 'threats' has 1 entries (got index 3)");
  EXPECT_EQ(error("seed[0]", "1"), "<--set>: seed[0]: 'seed' is '1', not a list");
  EXPECT_EQ(error("seed.x", "1"), "<--set>: seed.x: 'seed' is '1', not a map with key 'x'");
  EXPECT_EQ(error("threats.id", "1"),
            "<--set>: threats.id: 'threats' is a list, not a map with key 'id'");
  EXPECT_EQ(error("threats[0].launch", "5"),
            "<--set>: threats[0].launch: is a map; --set replaces single values (set one of its "
            "keys: time_s, lat_deg)");
  EXPECT_EQ(error("threats[0].drag.mach", "5"),
            "<--set>: threats[0].drag.mach: is a list; give a whole list such as [1, 2] or set one "
            "element with threats[0].drag.mach[N]");
  EXPECT_EQ(error("seed", ""), "<--set>: seed: no value given");
  EXPECT_EQ(error("seed", "[1,"),
            "<--set>: seed: cannot read value '[1,' as YAML: end of sequence flow not found");
  EXPECT_EQ(error("seed", "{a: 1, a: 2}"),
            "<--set>:1:8: seed: duplicate key 'a' (first given on line 1)");
  for (const char* bad : {"", ".seed", "seed.", "threats[x]", "threats[0]x", "[0]", "threats[]",
                          "a..b", "threats[0"}) {
    EXPECT_NE(error(bad, "1").find("is not a scenario path"), std::string::npos) << bad;
  }
  // Nothing was changed by the failed attempts.
  EXPECT_EQ(root.GetInt("seed", 0), 1);
  EXPECT_EQ(root.Get("threats")[0].Get("launch").GetDouble("time_s"), 10);
}

TEST(YamlReaderTest, Suggestions) {
  EXPECT_EQ(EditDistance("ispp_s", "isp_s"), 1u);
  EXPECT_EQ(EditDistance("Isp_S", "isp_s"), 0u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(ClosestMatch("burntime_s", {"isp_s", "burn_time_s"}), "burn_time_s");
  EXPECT_EQ(ClosestMatch("x", {"id", "class"}), std::nullopt);
  EXPECT_EQ(ClosestMatch("altitude", {"lat_deg", "lon_deg"}), std::nullopt);
}

}  // namespace
}  // namespace hyperdef::sim
