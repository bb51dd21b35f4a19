// US Standard Atmosphere 1976 (NOAA-S/T 76-1562, also NASA-TM-X-74335), written from the
// standard's equations and defining constants. Equation numbers below are the standard's.
//
// 0-86 km: the seven hydrostatic layers on geopotential altitude (sec. 1.2, pressure eqs. 33a/33b),
// exact to round-off; kinetic temperature T = TM (M/M0), with the standard's tabulated
// molecular-weight ratio between 80 and 86 km.
// 86-1000 km: the kinetic-temperature profile in geometric altitude (sec. 1.3: isothermal,
// elliptical, linear, exponential) and the species number densities N2, O, O2, Ar, He (diffusion
// equation with the integrand f of eq. 36 and the flux term of eq. 37) and H (flux equation with
// tau of eq. 40), integrated once at first use on a 10 m grid (trapezoidal rule) and stored every
// 100 m as ln(rho) and ln(P); the hot path interpolates linearly in those logarithms. Above 86 km
// P = n k T and rho = sum(n_i M_i) / N_A.
// Check against the standard's Table VIII species densities (86-1000 km): N2, O, O2, H within
// 5e-4, He 1e-3, Ar 4e-3; total density against Table I within 5e-4 (see atmosphere_test.cc).
#include "earth/atmosphere.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace hyperdef::earth {

namespace {

// ---- The standard's defining constants (values as the standard gives them, not the
// CODATA ones, so that our numbers reproduce its tables).
constexpr double kG0 = 9.80665;              // m/s^2, also g0' for geopotential
constexpr double kR0_m = 6356766.0;          // effective Earth radius for geopotential, m
constexpr double kRstar = 8314.32;           // J/(kmol K)
constexpr double kM0 = 28.9644;              // kg/kmol, sea-level mean molecular weight
constexpr double kAvogadro = 6.022169e26;    // 1/kmol
constexpr double kBoltzmann = 1.380622e-23;  // J/K (= R*/N_A)
constexpr double kGamma = 1.40;              // ratio of specific heats (speed of sound, eq. 50)
constexpr double kGmr = kG0 * kM0 / kRstar;  // hydrostatic constant g0 M0 / R*, K/m

// ---- 0-86 km: seven layers, base geopotential altitude (m'), base molecular-scale temperature
// (K) and gradient (K/m'). Base pressures follow from eqs. 33a/33b and are computed once.
struct Layer {
  double h_base;
  double tm_base;
  double lapse;
};
constexpr std::array<Layer, 7> kLayers{{{0.0, 288.15, -0.0065},
                                        {11000.0, 216.65, 0.0},
                                        {20000.0, 216.65, 0.0010},
                                        {32000.0, 228.65, 0.0028},
                                        {47000.0, 270.65, 0.0},
                                        {51000.0, 270.65, -0.0028},
                                        {71000.0, 214.65, -0.0020}}};

// The standard's M/M0 from 80 to 86 km geometric, every 0.5 km (dissociation of O2 begins).
constexpr double kMRatioZ0_m = 80000.0;
constexpr double kMRatioStep_m = 500.0;
constexpr std::array<double, 13> kMRatio{1.000000, 0.999996, 0.999989, 0.999971, 0.999941,
                                         0.999909, 0.999870, 0.999829, 0.999786, 0.999741,
                                         0.999694, 0.999641, 0.999579};

// ---- 86-1000 km temperature profile (sec. 1.3.1), geometric altitude in km.
constexpr double kZ7 = 86.0, kZ8 = 91.0, kZ9 = 110.0, kZ10 = 120.0, kZ12 = 1000.0;
constexpr double kT7 = 186.8673;       // K, 86-91 km isothermal
constexpr double kTc = 263.1905;       // K, elliptical segment 91-110 km
constexpr double kA8 = -76.3232;       // K
constexpr double kSmallA8 = -19.9429;  // km
constexpr double kLK9 = 12.0;          // K/km, 110-120 km
constexpr double kT9 = 240.0;
constexpr double kT10 = 360.0;
constexpr double kTinf = 1000.0;                   // exospheric temperature
constexpr double kLambda = kLK9 / (kTinf - kT10);  // 0.01875 1/km (eq. 32)
constexpr double kR0_km = kR0_m * 1e-3;

struct TempAndGradient {
  double t;     // K
  double dtdz;  // K/km
};

TempAndGradient UpperTemperature(double z_km) {
  if (z_km <= kZ8) return {kT7, 0.0};
  if (z_km <= kZ9) {
    const double x = (z_km - kZ8) / kSmallA8;
    const double root = std::sqrt(1.0 - x * x);
    return {kTc + kA8 * root, -kA8 * x / (kSmallA8 * root)};
  }
  if (z_km <= kZ10) return {kT9 + kLK9 * (z_km - kZ9), kLK9};
  const double ratio = (kR0_km + kZ10) / (kR0_km + z_km);
  const double xi = (z_km - kZ10) * ratio;
  const double e = std::exp(-kLambda * xi);
  return {kTinf - (kTinf - kT10) * e, kLambda * (kTinf - kT10) * ratio * ratio * e};
}

// ---- Species (sec. 1.3). Molecular weights, number densities at 86 km (the standard's boundary
// values), molecular-diffusion coefficients D = a/n (T/273.15)^b, thermal-diffusion factors
// alpha, and the vertical-flux coefficients Q, U, W, q, u, w of eq. 37 (km
// units).
enum Species { kN2 = 0, kO, kO2, kAr, kHe, kH, kNumSpecies };
constexpr std::array<double, kNumSpecies> kMolWeight{28.0134, 15.9994, 31.9988,
                                                     39.948,  4.0026,  1.00797};
constexpr std::array<double, kNumSpecies> kN86{1.129794e20, 8.6e16,    3.030898e19,
                                               1.351400e18, 7.5817e14, 0.0};
struct Diffusion {
  double a, b, alpha;
};
constexpr std::array<Diffusion, kNumSpecies> kDiff{{{0.0, 0.0, 0.0},
                                                    {6.986e20, 0.750, 0.0},
                                                    {4.863e20, 0.750, 0.0},
                                                    {4.487e20, 0.870, 0.0},
                                                    {1.700e21, 0.691, -0.40},
                                                    {3.305e21, 0.500, -0.25}}};
struct Flux {
  double Q, U, W;  // km^-3, km, km^-3
  double q, u, w;  // second (O only) term, applied below u
};
constexpr std::array<Flux, kNumSpecies> kFlux{
    {{0, 0, 0, 0, 0, 0},
     {-5.809644e-4, 56.90311, 2.706240e-5, -3.416248e-3, 97.0, 5.008765e-4},
     {1.366212e-4, 86.0, 8.333333e-5, 0, 0, 0},
     {9.434079e-5, 86.0, 8.333333e-5, 0, 0, 0},
     {-2.457369e-4, 86.0, 6.666667e-4, 0, 0, 0},
     {0, 0, 0, 0, 0, 0}}};
constexpr double kK7 = 1.2e2;             // eddy diffusion m^2/s, 86-95 km
constexpr double kZ11 = 500.0;            // km, hydrogen reference altitude
constexpr double kNH500 = 8.0e10;         // 1/m^3, n(H) at 500 km
constexpr double kPhiH = 7.2e11;          // 1/(m^2 s), upward hydrogen flux
constexpr double kZHydrogenBase = 150.0;  // km: below this n(H) is taken as zero

double GravityAt(double z_km) {  // inverse square from g0 at r0, m/s^2
  const double ratio = kR0_km / (kR0_km + z_km);
  return kG0 * ratio * ratio;
}

double EddyDiffusion(double z_km) {  // K(z), m^2/s: constant, then decays to 0 at 115 km
  if (z_km < 95.0) return kK7;
  if (z_km >= 115.0) return 0.0;
  const double d = z_km - 95.0;
  return kK7 * std::exp(1.0 - 400.0 / (400.0 - d * d));
}

// Flux term v_i/(D_i + K) of eq. 37, 1/km; negligible (< e^-20) and set to zero above 150 km.
double FluxTerm(int s, double z_km) {
  if (z_km > 150.0) return 0.0;
  const Flux& f = kFlux[s];
  const double d = z_km - f.U;
  double v = f.Q * d * d * std::exp(-f.W * d * d * d);
  if (f.q != 0.0 && z_km < f.u) {
    const double e = f.u - z_km;
    v += f.q * e * e * std::exp(-f.w * e * e * e);
  }
  return v;
}

// The integrand f_i of eq. 36 (without the T7/T factor, which is applied in closed form), 1/km.
// `n_background` is the number density in D_i's denominator. `above_100` picks the mixing weight M
// of the eddy term (and of N2's own equation): M0 up to 100 km, M(N2) above. With these choices the
// species densities reproduce the standard's Table VIII: N2, O, O2, H to 5e-4, He 1e-3, Ar 4e-3.
double DiffusiveIntegrand(int s, double z_km, double n_background, bool above_100) {
  const TempAndGradient tg = UpperTemperature(z_km);
  const double g = GravityAt(z_km);
  const double m_mix = above_100 ? kMolWeight[kN2] : kM0;
  const double g_over_rt = g / (kRstar * tg.t);  // per (kg/kmol) per m
  if (s == kN2) return 1e3 * m_mix * g_over_rt;  // N2: hydrostatic with the mixing weight
  const Diffusion& d = kDiff[s];
  const double thermal = d.alpha * kRstar * (tg.dtdz * 1e-3) / g;  // kg/kmol
  const double k_eddy = EddyDiffusion(z_km);
  double f;
  if (k_eddy > 0.0) {
    const double dm = d.a / n_background * std::exp(d.b * std::log(tg.t / 273.15));
    f = g_over_rt * dm / (dm + k_eddy) * (kMolWeight[s] + m_mix * k_eddy / dm + thermal);
  } else {
    f = g_over_rt * (kMolWeight[s] + thermal);
  }
  return 1e3 * f + FluxTerm(s, z_km);
}

// ---- The tables.
constexpr double kTableStep_m = 100.0;
constexpr int kTableNodes = static_cast<int>((kZ12 - kZ7) * 1e3 / kTableStep_m) + 1;  // 9141
constexpr int kSubsteps = 10;  // integration step 10 m

struct Node {
  double ln_rho;
  double ln_p;
};

struct DensityNode {
  double rho;
  double d_ln_rho;
};

struct Tables {
  std::array<double, kLayers.size()> p_base{};  // Pa at each layer base
  std::vector<Node> upper;                      // 86 km .. 1000 km every 100 m
  // For Us76Density: density at each node and ln(rho_{i+1} / rho_i), 0 .. 86 km (geopotential
  // grid) and 86 .. 1000 km, every 100 m.
  std::vector<DensityNode> lower_density, upper_density;
  double sound_speed_top = 0.0;  // at 1000 km, held above
};

AtmosphereSample Lower(double z_m, const Tables& tab);

Tables Build() {
  Tables tab;
  // Layer base pressures, eqs. 33a (L != 0) and 33b (L = 0).
  tab.p_base[0] = 101325.0;
  for (size_t i = 1; i < kLayers.size(); ++i) {
    const Layer& b = kLayers[i - 1];
    const double dh = kLayers[i].h_base - b.h_base;
    tab.p_base[i] =
        b.lapse == 0.0
            ? tab.p_base[i - 1] * std::exp(-kGmr * dh / b.tm_base)
            : tab.p_base[i - 1] * std::pow(b.tm_base / (b.tm_base + b.lapse * dh), kGmr / b.lapse);
  }

  // Upper atmosphere. I_s(z) = integral of f_s from 86 km; n_s = n_s(86) (T7/T) exp(-I_s).
  const int fine_nodes = (kTableNodes - 1) * kSubsteps + 1;
  const double h_km = kTableStep_m * 1e-3 / kSubsteps;
  std::array<double, kNumSpecies> integral{};
  std::array<double, kNumSpecies> n = kN86;
  std::array<double, kNumSpecies> f_prev{};
  std::vector<std::array<double, kNumSpecies>> n_table(kTableNodes);
  std::vector<double> t_table(kTableNodes);

  // Number density of species s from its integral at temperature t.
  auto density = [&](int s, double t) { return kN86[s] * (kT7 / t) * std::exp(-integral[s]); };
  // Background number density in D_s (the standard: n(N2) for O and O2, N2+O+O2 for Ar and He).
  auto background = [](int s, const std::array<double, kNumSpecies>& nn) {
    return (s == kO || s == kO2) ? nn[kN2] : nn[kN2] + nn[kO] + nn[kO2];
  };
  auto integrands = [&](double z_km, const std::array<double, kNumSpecies>& nn, bool above_100,
                        std::array<double, kNumSpecies>* out) {
    for (int s = kN2; s <= kHe; ++s) {
      (*out)[s] = DiffusiveIntegrand(s, z_km, background(s, nn), above_100);
    }
  };

  integrands(kZ7, n, false, &f_prev);
  n_table[0] = n;
  t_table[0] = kT7;
  for (int k = 1; k < fine_nodes; ++k) {
    const double z0 = kZ7 + (k - 1) * h_km;
    const double z1 = kZ7 + k * h_km;
    const bool above_100 = 0.5 * (z0 + z1) > 100.0;
    // The N2 weight jumps at 100 km: re-evaluate the left end on the new side of the jump.
    if (above_100 && z0 <= 100.0 + 1e-9 && z0 >= 100.0 - 1e-9) integrands(z0, n, true, &f_prev);
    const double t1 = UpperTemperature(z1).t;
    // Species in dependency order: N2 needs nothing, O and O2 need N2, Ar and He need N2+O+O2.
    std::array<double, kNumSpecies> f1{};
    for (int s = kN2; s <= kHe; ++s) {
      f1[s] = DiffusiveIntegrand(s, z1, background(s, n), above_100);
      integral[s] += 0.5 * h_km * (f_prev[s] + f1[s]);
      n[s] = density(s, t1);
    }
    f_prev = f1;
    if (k % kSubsteps == 0) {
      n_table[k / kSubsteps] = n;
      t_table[k / kSubsteps] = t1;
    }
  }

  // Hydrogen (sec. 1.3, tau of eq. 40): tau(z) = int_{500}^{z} M_H g/(R* T) dz and, from 150 to 500
  // km, the upward flux phi through D_H = a_H / n (T/273.15)^b_H with n the sum of the other
  // species:
  //   n_H(z) = [n_H(500) + phi int_z^{500} (1/D_H) (T/T11)^(1+alpha) e^tau dz] (T11/T)^(1+alpha)
  //   e^-tau
  // Above 500 km the same closed form without the flux term. Trapezoidal rule on the 100 m grid.
  const double hz = kTableStep_m * 1e-3;
  const int i150 = static_cast<int>(std::lround((kZHydrogenBase - kZ7) / hz));
  const int i500 = static_cast<int>(std::lround((kZ11 - kZ7) / hz));
  const Diffusion& dh = kDiff[kH];
  const double t11 = t_table[i500];
  const double one_alpha = 1.0 + dh.alpha;
  std::vector<double> tau(kTableNodes, 0.0);
  auto tau_integrand = [&](int i) {
    const double z = kZ7 + i * hz;
    return 1e3 * kMolWeight[kH] * GravityAt(z) / (kRstar * t_table[i]);  // 1/km
  };
  for (int i = i500 + 1; i < kTableNodes; ++i) {
    tau[i] = tau[i - 1] + 0.5 * hz * (tau_integrand(i - 1) + tau_integrand(i));
  }
  for (int i = i500 - 1; i >= i150; --i) {
    tau[i] = tau[i + 1] - 0.5 * hz * (tau_integrand(i + 1) + tau_integrand(i));
  }
  auto flux_integrand = [&](int i) {  // 1/m^4 times 1e3 -> per km of altitude
    const auto& nn = n_table[i];
    const double n_bg = nn[kN2] + nn[kO] + nn[kO2] + nn[kAr] + nn[kHe];
    const double t = t_table[i];
    const double d_h = dh.a / n_bg * std::exp(dh.b * std::log(t / 273.15));
    return 1e3 * kPhiH / d_h * std::exp(one_alpha * std::log(t / t11) + tau[i]);
  };
  double flux_integral = 0.0;  // int_z^{500}, 1/m^3
  for (int i = i500; i < kTableNodes; ++i) {
    n_table[i][kH] = kNH500 * std::exp(one_alpha * std::log(t11 / t_table[i]) - tau[i]);
  }
  for (int i = i500 - 1; i >= i150; --i) {
    flux_integral += 0.5 * hz * (flux_integrand(i + 1) + flux_integrand(i));
    n_table[i][kH] =
        (kNH500 + flux_integral) * std::exp(one_alpha * std::log(t11 / t_table[i]) - tau[i]);
  }

  tab.upper.resize(kTableNodes);
  for (int i = 0; i < kTableNodes; ++i) {
    double n_total = 0.0, mass = 0.0;
    for (int s = 0; s < kNumSpecies; ++s) {
      n_total += n_table[i][s];
      mass += n_table[i][s] * kMolWeight[s];
    }
    tab.upper[i].ln_rho = std::log(mass / kAvogadro);
    tab.upper[i].ln_p = std::log(n_total * kBoltzmann * t_table[i]);
  }
  const Node& top = tab.upper.back();
  tab.sound_speed_top = std::sqrt(kGamma * std::exp(top.ln_p - top.ln_rho));
  // Density alone below 86 km, tabulated from the exact layers (Lower needs only p_base) on a grid
  // in geopotential altitude, where the layer bases (0, 11, 20, 32, 47, 51, 71 km) fall on nodes:
  // ln(rho) has a kink at each base (the lapse rate jumps) that a node must carry exactly.
  const double h_top = kR0_m * kZ7 * 1e3 / (kR0_m + kZ7 * 1e3);
  const int lower_nodes = static_cast<int>(h_top / kTableStep_m) + 2;
  std::vector<double> ln_rho(lower_nodes);
  for (int i = 0; i < lower_nodes; ++i) {
    const double h = i * kTableStep_m;
    ln_rho[i] = std::log(Lower(kR0_m * h / (kR0_m - h), tab).density_kgpm3);
  }
  auto nodes = [](const std::vector<double>& ln) {
    std::vector<DensityNode> out(ln.size());
    for (size_t i = 0; i < ln.size(); ++i)
      out[i] = {std::exp(ln[i]), i + 1 < ln.size() ? ln[i + 1] - ln[i] : 0.0};
    return out;
  };
  tab.lower_density = nodes(ln_rho);
  ln_rho.resize(tab.upper.size());
  for (size_t i = 0; i < tab.upper.size(); ++i) ln_rho[i] = tab.upper[i].ln_rho;
  tab.upper_density = nodes(ln_rho);
  return tab;
}

const Tables& GetTables() {
  static const Tables tables = Build();  // C++11 magic static: built once, thread-safe
  return tables;
}

AtmosphereSample Lower(double z_m, const Tables& tab) {
  const double h = kR0_m * z_m / (kR0_m + z_m);  // geopotential altitude
  size_t i = kLayers.size() - 1;
  while (i > 0 && h < kLayers[i].h_base) --i;
  const Layer& b = kLayers[i];
  const double tm = b.tm_base + b.lapse * (h - b.h_base);  // linear in geopotential altitude
  const double p = b.lapse == 0.0
                       ? tab.p_base[i] * std::exp(-kGmr * (h - b.h_base) / b.tm_base)
                       : tab.p_base[i] * std::exp(-kGmr / b.lapse * std::log(tm / b.tm_base));
  AtmosphereSample out;
  out.pressure_Pa = p;
  out.density_kgpm3 = p * kM0 / (kRstar * tm);                     // ideal gas with TM and M0
  out.speed_of_sound_mps = std::sqrt(kGamma * kRstar * tm / kM0);  // eq. 50 uses TM and M0
  double ratio = 1.0;
  if (z_m > kMRatioZ0_m) {
    const double u = (z_m - kMRatioZ0_m) / kMRatioStep_m;
    const size_t j = std::min(static_cast<size_t>(u), kMRatio.size() - 2);
    const double w = u - static_cast<double>(j);
    ratio = kMRatio[j] + w * (kMRatio[j + 1] - kMRatio[j]);
  }
  out.temperature_K = tm * ratio;  // kinetic temperature T = TM (M/M0)
  return out;
}

}  // namespace

AtmosphereSample Us76(double geometric_altitude_m) {
  const Tables& tab = GetTables();
  const double z_m = geometric_altitude_m > 0.0 ? geometric_altitude_m : 0.0;
  if (z_m <= kZ7 * 1e3) return Lower(z_m, tab);
  AtmosphereSample out;
  if (z_m > kZ12 * 1e3) {
    out.temperature_K = kTinf;
    out.speed_of_sound_mps = tab.sound_speed_top;
    return out;
  }
  const double u = (z_m - kZ7 * 1e3) * (1.0 / kTableStep_m);
  int i = static_cast<int>(u);
  if (i > kTableNodes - 2) i = kTableNodes - 2;
  const double w = u - i;
  const Node& a = tab.upper[i];
  const Node& b = tab.upper[i + 1];
  const double ln_rho = a.ln_rho + w * (b.ln_rho - a.ln_rho);
  const double ln_p = a.ln_p + w * (b.ln_p - a.ln_p);
  out.temperature_K = UpperTemperature(z_m * 1e-3).t;
  out.density_kgpm3 = std::exp(ln_rho);
  out.pressure_Pa = std::exp(ln_p);
  // sqrt(gamma R* T / M) with the local mean molecular weight M = rho R* T / P.
  out.speed_of_sound_mps = std::sqrt(kGamma * out.pressure_Pa / out.density_kgpm3);
  return out;
}

double Us76Density(double geometric_altitude_m) {
  const Tables& tab = GetTables();
  const double z_m = geometric_altitude_m > 0.0 ? geometric_altitude_m : 0.0;
  if (z_m > kZ12 * 1e3) return 0.0;
  const bool low = z_m < kZ7 * 1e3;
  // Below 86 km the grid is in geopotential altitude (see Build).
  const double u = (low ? kR0_m * z_m / (kR0_m + z_m) : z_m - kZ7 * 1e3) * (1.0 / kTableStep_m);
  const std::vector<DensityNode>& nodes = low ? tab.lower_density : tab.upper_density;
  int i = static_cast<int>(u);
  const int last = static_cast<int>(nodes.size()) - 2;
  if (i > last) i = last;
  // rho_i exp(w d) with d = ln(rho_{i+1} / rho_i): |d| <= 100 m / (smallest scale height, ~5 km)
  // = 0.02, so exp's Taylor series to the cubic term errs by < d^4 / 24 ~ 7e-9 (no libm call).
  const double x = (u - i) * nodes[i].d_ln_rho;
  return nodes[i].rho * (1.0 + x * (1.0 + x * (0.5 + x * (1.0 / 6.0))));
}

}  // namespace hyperdef::earth
