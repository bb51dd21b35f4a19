// SGP4/SDP4 after Hoots & Roehrich 1980 (Spacetrack Report #3) with the corrections of Vallado,
// Crawford, Hujsak & Kelso 2006 (AIAA 2006-6753). The arithmetic follows the published
// equations term for term and in the same order as the paper's reference code, because the
// verification file agrees with it to ~1e-8 km and reordering sums can move a long deep-space
// propagation by more than that. The structure (a model struct, per-body helpers for the sun and
// moon, a pure propagate function) is hyperdef's own.
#include "orbits/sgp4.h"

#include <cmath>

#include "core/constants.h"

namespace hyperdef::orbits {

namespace {

constexpr double kPi = core::kPi;
constexpr double kTwoPi = core::kTwoPi;
constexpr double kTwoThirds = 2.0 / 3.0;
constexpr double kMinPerDay = 1440.0;

// C-style remainder (sign of the dividend), as the reference implementation's fmod.
double Fmod2Pi(double x) { return std::fmod(x, kTwoPi); }

// ---- Lunar-solar constants (Spacetrack Report #3, DEEP; Vallado et al. 2006 dscom/dpper) ----
// Mean motions (rad/min) and eccentricities of the apparent solar and lunar orbits.
constexpr double kSunN = 1.19459e-5, kSunE = 0.01675;
constexpr double kMoonN = 1.5835218e-4, kMoonE = 0.05490;
// Perturbation strength: n_body^2 / n_sat scale factors (C1SS, C1L).
constexpr double kSunC1 = 2.9864797e-6, kMoonC1 = 4.7968065e-7;
// Ecliptic obliquity (sin, cos) and the sun's argument of perigee (cos, sin) referred to TEME.
constexpr double kSinObliquity = 0.39785416, kCosObliquity = 0.91744867;
constexpr double kSunCosG = 0.1945905, kSunSinG = -0.98088458;
// Earth rotation rate in rad/min used by the resonance terms (7.29211514668855e-5 rad/s).
constexpr double kEarthRotRadPerMin = 4.37526908801129966e-3;
// Inclination below which (or within this of 180 deg) the lunar-solar node rate is dropped.
constexpr double kLowInclination = 5.2359877e-2;

// Greenwich mean sidereal time, IAU 1982 (Vallado 2013 eq. 3-45), from a UT1 Julian date.
double GmstIau82(double jd_ut1) {
  const double tut1 = (jd_ut1 - 2451545.0) / 36525.0;
  double theta_s = -6.2e-6 * tut1 * tut1 * tut1 + 0.093104 * tut1 * tut1 +
                   (876600.0 * 3600 + 8640184.812866) * tut1 + 67310.54841;
  double gmst = std::fmod(theta_s * core::kDegToRad / 240.0, kTwoPi);  // 360 deg / 86400 s
  if (gmst < 0.0) gmst += kTwoPi;
  return gmst;
}

// Orientation of one perturbing body's orbit relative to the satellite's (dscom's a1..a10,
// x1..x8) and the resulting coefficient sets s1..s7, z1..z33 of the averaged disturbing function.
struct BodyGeometry {
  double s1, s2, s3, s4, s5, s6, s7;
  double z1, z2, z3, z11, z12, z13, z21, z22, z23, z31, z32, z33;
};

struct SatelliteAngles {  // sin/cos of the satellite's i, omega and node at epoch, e^2
  double sin_i, cos_i, sin_w, cos_w, emsq, rtemsq, e, n;
};

// zcosg/zsing: body argument of perigee; zcosi/zsini: body inclination; zcosh/zsinh: node
// difference body - satellite; cc: body strength constant.
BodyGeometry ComputeBodyGeometry(const SatelliteAngles& s, double zcosg, double zsing, double zcosi,
                                 double zsini, double zcosh, double zsinh, double cc) {
  const double a1 = zcosg * zcosh + zsing * zcosi * zsinh;
  const double a3 = -zsing * zcosh + zcosg * zcosi * zsinh;
  const double a7 = -zcosg * zsinh + zsing * zcosi * zcosh;
  const double a8 = zsing * zsini;
  const double a9 = zsing * zsinh + zcosg * zcosi * zcosh;
  const double a10 = zcosg * zsini;
  const double a2 = s.cos_i * a7 + s.sin_i * a8;
  const double a4 = s.cos_i * a9 + s.sin_i * a10;
  const double a5 = -s.sin_i * a7 + s.cos_i * a8;
  const double a6 = -s.sin_i * a9 + s.cos_i * a10;

  const double x1 = a1 * s.cos_w + a2 * s.sin_w;
  const double x2 = a3 * s.cos_w + a4 * s.sin_w;
  const double x3 = -a1 * s.sin_w + a2 * s.cos_w;
  const double x4 = -a3 * s.sin_w + a4 * s.cos_w;
  const double x5 = a5 * s.sin_w;
  const double x6 = a6 * s.sin_w;
  const double x7 = a5 * s.cos_w;
  const double x8 = a6 * s.cos_w;

  BodyGeometry g;
  const double emsq = s.emsq;
  g.z31 = 12.0 * x1 * x1 - 3.0 * x3 * x3;
  g.z32 = 24.0 * x1 * x2 - 6.0 * x3 * x4;
  g.z33 = 12.0 * x2 * x2 - 3.0 * x4 * x4;
  g.z1 = 3.0 * (a1 * a1 + a2 * a2) + g.z31 * emsq;
  g.z2 = 6.0 * (a1 * a3 + a2 * a4) + g.z32 * emsq;
  g.z3 = 3.0 * (a3 * a3 + a4 * a4) + g.z33 * emsq;
  g.z11 = -6.0 * a1 * a5 + emsq * (-24.0 * x1 * x7 - 6.0 * x3 * x5);
  g.z12 =
      -6.0 * (a1 * a6 + a3 * a5) + emsq * (-24.0 * (x2 * x7 + x1 * x8) - 6.0 * (x3 * x6 + x4 * x5));
  g.z13 = -6.0 * a3 * a6 + emsq * (-24.0 * x2 * x8 - 6.0 * x4 * x6);
  g.z21 = 6.0 * a2 * a5 + emsq * (24.0 * x1 * x5 - 6.0 * x3 * x7);
  g.z22 =
      6.0 * (a4 * a5 + a2 * a6) + emsq * (24.0 * (x2 * x5 + x1 * x6) - 6.0 * (x4 * x7 + x3 * x8));
  g.z23 = 6.0 * a4 * a6 + emsq * (24.0 * x2 * x6 - 6.0 * x4 * x8);
  const double betasq = 1.0 - emsq;
  g.z1 = g.z1 + g.z1 + betasq * g.z31;
  g.z2 = g.z2 + g.z2 + betasq * g.z32;
  g.z3 = g.z3 + g.z3 + betasq * g.z33;
  g.s3 = cc * (1.0 / s.n);
  g.s2 = -0.5 * g.s3 / s.rtemsq;
  g.s4 = g.s3 * s.rtemsq;
  g.s1 = -15.0 * s.e * g.s4;
  g.s5 = x1 * x3 + x2 * x4;
  g.s6 = x2 * x3 + x1 * x4;
  g.s7 = x2 * x4 - x1 * x3;
  return g;
}

// Long-period periodic amplitudes of one body (Vallado et al. 2006 dscom, se2..sh3 / ee2..xh3).
Sgp4Model::ThirdBodyPeriodics PeriodicsFrom(const BodyGeometry& g, double body_e, double emsq,
                                            double m0) {
  Sgp4Model::ThirdBodyPeriodics p;
  p.e2 = 2.0 * g.s1 * g.s6;
  p.e3 = 2.0 * g.s1 * g.s7;
  p.i2 = 2.0 * g.s2 * g.z12;
  p.i3 = 2.0 * g.s2 * (g.z13 - g.z11);
  p.l2 = -2.0 * g.s3 * g.z2;
  p.l3 = -2.0 * g.s3 * (g.z3 - g.z1);
  p.l4 = -2.0 * g.s3 * (-21.0 - 9.0 * emsq) * body_e;
  p.gh2 = 2.0 * g.s4 * g.z32;
  p.gh3 = 2.0 * g.s4 * (g.z33 - g.z31);
  p.gh4 = -18.0 * g.s4 * body_e;
  p.h2 = -2.0 * g.s2 * g.z22;
  p.h3 = -2.0 * g.s2 * (g.z23 - g.z21);
  p.m0 = m0;
  return p;
}

// Secular rates due to one body (dsinit): e, i, M, omega (before the node coupling), node.
struct BodyRates {
  double de, di, dm, dgh, dh;
};
BodyRates RatesFrom(const BodyGeometry& g, double body_n, double emsq) {
  BodyRates r;
  r.de = g.s1 * body_n * g.s5;
  r.di = g.s2 * body_n * (g.z11 + g.z13);
  r.dm = -body_n * g.s3 * (g.z1 + g.z3 - 14.0 - 6.0 * emsq);
  r.dgh = g.s4 * body_n * (g.z31 + g.z33 - 6.0);
  r.dh = -body_n * g.s2 * (g.z21 + g.z23);
  return r;
}

// Lunar-solar long-period terms at time t (Spacetrack Report #3 DPPER): one body's contribution.
struct PeriodicSums {
  double pe, pinc, pl, pgh, ph;
};
PeriodicSums BodyPeriodics(const Sgp4Model::ThirdBodyPeriodics& b, double body_n, double body_e,
                           double t) {
  const double zm = b.m0 + body_n * t;
  const double zf = zm + 2.0 * body_e * std::sin(zm);  // true anomaly, first order in e
  const double sinzf = std::sin(zf);
  const double f2 = 0.5 * sinzf * sinzf - 0.25;
  const double f3 = -0.5 * sinzf * std::cos(zf);
  PeriodicSums s;
  s.pe = b.e2 * f2 + b.e3 * f3;
  s.pinc = b.i2 * f2 + b.i3 * f3;
  s.pl = b.l2 * f2 + b.l3 * f3 + b.l4 * sinzf;
  s.pgh = b.gh2 * f2 + b.gh3 * f3 + b.gh4 * sinzf;
  s.ph = b.h2 * f2 + b.h3 * f3;
  return s;
}

struct Elements {
  double e, i, node, argp, m;
};

// Adds the lunar-solar periodics to the mean elements. Below 0.2 rad inclination the node and
// perigee are ill-defined, so the perturbation is applied to the vector (sin i sin node,
// sin i cos node) instead — Lyddane 1963; the inclination tested is the perturbed one, as in
// Vallado et al. 2006 (the "GSFC" choice).
void ApplyLunarSolarPeriodics(const Sgp4Model& m, double t, Elements* el) {
  const PeriodicSums s = BodyPeriodics(m.sun, kSunN, kSunE, t);
  const PeriodicSums l = BodyPeriodics(m.moon, kMoonN, kMoonE, t);
  const double pe = s.pe + l.pe;
  const double pinc = s.pinc + l.pinc;
  const double pl = s.pl + l.pl;
  double pgh = s.pgh + l.pgh;
  double ph = s.ph + l.ph;
  el->i = el->i + pinc;
  el->e = el->e + pe;
  const double sinip = std::sin(el->i);
  const double cosip = std::cos(el->i);
  if (el->i >= 0.2) {
    ph /= sinip;
    pgh -= cosip * ph;
    el->argp += pgh;
    el->node += ph;
    el->m += pl;
    return;
  }
  const bool afspc = m.mode == Sgp4Mode::kAfspc;
  const double sinop = std::sin(el->node);
  const double cosop = std::cos(el->node);
  double alfdp = sinip * sinop;
  double betdp = sinip * cosop;
  const double dalf = ph * cosop + pinc * cosip * sinop;
  const double dbet = -ph * sinop + pinc * cosip * cosop;
  alfdp = alfdp + dalf;
  betdp = betdp + dbet;
  el->node = Fmod2Pi(el->node);
  if (el->node < 0.0 && afspc) el->node += kTwoPi;
  const double xls = el->m + el->argp + pl + pgh + (cosip - pinc * sinip) * el->node;
  const double node_before = el->node;
  el->node = std::atan2(alfdp, betdp);
  if (el->node < 0.0 && afspc) el->node += kTwoPi;
  // Keep the node on the same branch as before (atan2 wraps at +-pi).
  if (std::fabs(node_before - el->node) > kPi) {
    el->node = el->node < node_before ? el->node + kTwoPi : el->node - kTwoPi;
  }
  el->m += pl;
  el->argp = xls - el->m - cosip * el->node;
}

// Deep-space secular terms and the resonance integration at time t (Spacetrack Report #3
// DPSEC; Vallado et al. 2006 dspace). The resonant mean motion and angle are integrated from
// epoch in 720-minute Euler-Maclaurin steps every call, which gives the same numbers as the
// reference code's restartable integrator and keeps this function free of hidden state.
void DeepSpaceSecular(const Sgp4Model& m, double t, Elements* el, double* nm) {
  el->e = el->e + m.dedt * t;
  el->i = el->i + m.didt * t;
  el->argp = el->argp + m.domdt * t;
  el->node = el->node + m.dnodt * t;
  el->m = el->m + m.dmdt * t;
  if (m.resonance == 0) return;

  // Phase constants of the resonance terms (Spacetrack Report #3).
  constexpr double fasx2 = 0.13130908, fasx4 = 2.8843198, fasx6 = 0.37448087;
  constexpr double g22 = 5.7686396, g32 = 0.95240898, g44 = 1.8014998;
  constexpr double g52 = 1.0508330, g54 = 4.4108898;
  constexpr double kStep = 720.0;
  constexpr double kHalfStepSq = 259200.0;  // kStep^2 / 2

  const double theta = Fmod2Pi(m.gsto + t * kEarthRotRadPerMin);
  const double delt = t > 0.0 ? kStep : -kStep;
  double atime = 0.0;
  double xni = m.n0;     // resonant mean motion
  double xli = m.xlamo;  // resonance angle
  double xndt, xldot, xnddt, ft;
  while (true) {
    if (m.resonance != 2) {  // synchronous (24 h): terms in lambda - fasx
      xndt = m.del1 * std::sin(xli - fasx2) + m.del2 * std::sin(2.0 * (xli - fasx4)) +
             m.del3 * std::sin(3.0 * (xli - fasx6));
      xldot = xni + m.xfact;
      xnddt = m.del1 * std::cos(xli - fasx2) + 2.0 * m.del2 * std::cos(2.0 * (xli - fasx4)) +
              3.0 * m.del3 * std::cos(3.0 * (xli - fasx6));
      xnddt = xnddt * xldot;
    } else {  // half-day (12 h): tesseral terms (l,m) = (2,2),(3,2),(4,4),(5,2),(5,4)
      const double xomi = m.elements.arg_perigee_rad + m.argpdot * atime;
      const double x2omi = xomi + xomi;
      const double x2li = xli + xli;
      xndt = m.d2201 * std::sin(x2omi + xli - g22) + m.d2211 * std::sin(xli - g22) +
             m.d3210 * std::sin(xomi + xli - g32) + m.d3222 * std::sin(-xomi + xli - g32) +
             m.d4410 * std::sin(x2omi + x2li - g44) + m.d4422 * std::sin(x2li - g44) +
             m.d5220 * std::sin(xomi + xli - g52) + m.d5232 * std::sin(-xomi + xli - g52) +
             m.d5421 * std::sin(xomi + x2li - g54) + m.d5433 * std::sin(-xomi + x2li - g54);
      xldot = xni + m.xfact;
      xnddt =
          m.d2201 * std::cos(x2omi + xli - g22) + m.d2211 * std::cos(xli - g22) +
          m.d3210 * std::cos(xomi + xli - g32) + m.d3222 * std::cos(-xomi + xli - g32) +
          m.d5220 * std::cos(xomi + xli - g52) + m.d5232 * std::cos(-xomi + xli - g52) +
          2.0 * (m.d4410 * std::cos(x2omi + x2li - g44) + m.d4422 * std::cos(x2li - g44) +
                 m.d5421 * std::cos(xomi + x2li - g54) + m.d5433 * std::cos(-xomi + x2li - g54));
      xnddt = xnddt * xldot;
    }
    if (std::fabs(t - atime) < kStep) {
      ft = t - atime;
      break;
    }
    xli = xli + xldot * delt + xndt * kHalfStepSq;
    xni = xni + xndt * delt + xnddt * kHalfStepSq;
    atime = atime + delt;
  }
  *nm = xni + xndt * ft + xnddt * ft * ft * 0.5;
  const double xl = xli + xldot * ft + xndt * ft * ft * 0.5;
  if (m.resonance != 1) {
    el->m = xl - 2.0 * el->node + 2.0 * theta;
  } else {
    el->m = xl - el->node - el->argp + theta;
  }
  const double dndt = *nm - m.n0;
  *nm = m.n0 + dndt;
}

// Deep-space initialisation (Vallado et al. 2006 dscom + dsinit): lunar-solar coefficients,
// secular rates and the resonance set-up. Inputs are the model's epoch quantities.
void InitDeepSpace(Sgp4Model* m, double eccsq, double xpidot) {
  const Sgp4Elements& el = m->elements;
  const double epoch = el.epoch_days_1950;
  const double nm = m->n0;
  const double em = el.eccentricity;

  SatelliteAngles sat;
  const double snodm = std::sin(el.raan_rad);
  const double cnodm = std::cos(el.raan_rad);
  sat.sin_w = std::sin(el.arg_perigee_rad);
  sat.cos_w = std::cos(el.arg_perigee_rad);
  sat.sin_i = std::sin(el.inclination_rad);
  sat.cos_i = std::cos(el.inclination_rad);
  sat.emsq = em * em;
  sat.rtemsq = std::sqrt(1.0 - sat.emsq);
  sat.e = em;
  sat.n = nm;
  const double emsq = sat.emsq;

  // Lunar orbit at epoch: days from 2000 Jan 1.5; node regresses with an 18.6-year period.
  const double day = epoch + 18261.5;
  const double xnodce = Fmod2Pi(4.5236020 - 9.2422029e-4 * day);
  const double stem = std::sin(xnodce);
  const double ctem = std::cos(xnodce);
  const double zcosil = 0.91375164 - 0.03568096 * ctem;
  const double zsinil = std::sqrt(1.0 - zcosil * zcosil);
  const double zsinhl = 0.089683511 * stem / zsinil;
  const double zcoshl = std::sqrt(1.0 - zsinhl * zsinhl);
  const double gam = 5.8351514 + 0.0019443680 * day;  // lunar perigee
  double zx = 0.39785416 * stem / zsinil;
  const double zy = zcoshl * ctem + 0.91744867 * zsinhl * stem;
  zx = std::atan2(zx, zy);
  zx = gam + zx - xnodce;
  const double zcosgl = std::cos(zx);
  const double zsingl = std::sin(zx);

  const BodyGeometry sun = ComputeBodyGeometry(sat, kSunCosG, kSunSinG, kCosObliquity,
                                               kSinObliquity, cnodm, snodm, kSunC1);
  const BodyGeometry moon =
      ComputeBodyGeometry(sat, zcosgl, zsingl, zcosil, zsinil, zcoshl * cnodm + zsinhl * snodm,
                          snodm * zcoshl - cnodm * zsinhl, kMoonC1);
  const double zmol = Fmod2Pi(4.7199672 + 0.22997150 * day - gam);
  const double zmos = Fmod2Pi(6.2565837 + 0.017201977 * day);
  m->sun = PeriodicsFrom(sun, kSunE, emsq, zmos);
  m->moon = PeriodicsFrom(moon, kMoonE, emsq, zmol);

  // Resonance class from the mean motion (rad/min): 24 h band, or 12 h band with e >= 0.5.
  m->resonance = 0;
  if (0.0034906585 < nm && nm < 0.0052359877) m->resonance = 1;
  if (8.26e-3 <= nm && nm <= 9.24e-3 && em >= 0.5) m->resonance = 2;

  // Secular lunar-solar rates. The node rate divides by sin i; near-equatorial orbits drop it.
  const bool low_incl =
      el.inclination_rad < kLowInclination || el.inclination_rad > kPi - kLowInclination;
  const double sin_i = sat.sin_i, cos_i = sat.cos_i;
  const BodyRates rs = RatesFrom(sun, kSunN, emsq);
  const BodyRates rl = RatesFrom(moon, kMoonN, emsq);
  double shs = low_incl ? 0.0 : rs.dh;
  if (sin_i != 0.0) shs = shs / sin_i;
  const double sgs = rs.dgh - cos_i * shs;
  m->dedt = rs.de + rl.de;
  m->didt = rs.di + rl.di;
  m->dmdt = rs.dm + rl.dm;
  const double shll = low_incl ? 0.0 : rl.dh;
  m->domdt = sgs + rl.dgh;
  m->dnodt = shs;
  if (sin_i != 0.0) {
    m->domdt = m->domdt - cos_i / sin_i * shll;
    m->dnodt = m->dnodt + shll / sin_i;
  }

  if (m->resonance == 0) return;
  const double theta = Fmod2Pi(m->gsto);
  const double aonv = std::pow(nm / m->gravity.xke_per_min, kTwoThirds);
  const double mo = el.mean_anomaly_rad, nodeo = el.raan_rad, argpo = el.arg_perigee_rad;
  const double cosim = cos_i, sinim = sin_i;
  if (m->resonance == 2) {
    // 12 h resonance: eccentricity functions G_lmp(e) as polynomial fits (Spacetrack Report #3).
    const double cosisq = cosim * cosim;
    const double e = em, esq = eccsq, eoc = e * esq;
    const double g201 = -0.306 - (e - 0.64) * 0.440;
    double g211, g310, g322, g410, g422, g520, g533, g521, g532;
    if (e <= 0.65) {
      g211 = 3.616 - 13.2470 * e + 16.2900 * esq;
      g310 = -19.302 + 117.3900 * e - 228.4190 * esq + 156.5910 * eoc;
      g322 = -18.9068 + 109.7927 * e - 214.6334 * esq + 146.5816 * eoc;
      g410 = -41.122 + 242.6940 * e - 471.0940 * esq + 313.9530 * eoc;
      g422 = -146.407 + 841.8800 * e - 1629.014 * esq + 1083.4350 * eoc;
      g520 = -532.114 + 3017.977 * e - 5740.032 * esq + 3708.2760 * eoc;
    } else {
      g211 = -72.099 + 331.819 * e - 508.738 * esq + 266.724 * eoc;
      g310 = -346.844 + 1582.851 * e - 2415.925 * esq + 1246.113 * eoc;
      g322 = -342.585 + 1554.908 * e - 2366.899 * esq + 1215.972 * eoc;
      g410 = -1052.797 + 4758.686 * e - 7193.992 * esq + 3651.957 * eoc;
      g422 = -3581.690 + 16178.110 * e - 24462.770 * esq + 12422.520 * eoc;
      if (e > 0.715) {
        g520 = -5149.66 + 29936.92 * e - 54087.36 * esq + 31324.56 * eoc;
      } else {
        g520 = 1464.74 - 4664.75 * e + 3763.64 * esq;
      }
    }
    if (e < 0.7) {
      g533 = -919.22770 + 4988.6100 * e - 9064.7700 * esq + 5542.21 * eoc;
      g521 = -822.71072 + 4568.6173 * e - 8491.4146 * esq + 5337.524 * eoc;
      g532 = -853.66600 + 4690.2500 * e - 8624.7700 * esq + 5341.4 * eoc;
    } else {
      g533 = -37995.780 + 161616.52 * e - 229838.20 * esq + 109377.94 * eoc;
      g521 = -51752.104 + 218913.95 * e - 309468.16 * esq + 146349.42 * eoc;
      g532 = -40023.880 + 170470.89 * e - 242699.48 * esq + 115605.82 * eoc;
    }
    // Inclination functions F_lmp(i).
    const double sini2 = sinim * sinim;
    const double f220 = 0.75 * (1.0 + 2.0 * cosim + cosisq);
    const double f221 = 1.5 * sini2;
    const double f321 = 1.875 * sinim * (1.0 - 2.0 * cosim - 3.0 * cosisq);
    const double f322 = -1.875 * sinim * (1.0 + 2.0 * cosim - 3.0 * cosisq);
    const double f441 = 35.0 * sini2 * f220;
    const double f442 = 39.3750 * sini2 * sini2;
    const double f522 = 9.84375 * sinim *
                        (sini2 * (1.0 - 2.0 * cosim - 5.0 * cosisq) +
                         0.33333333 * (-2.0 + 4.0 * cosim + 6.0 * cosisq));
    const double f523 = sinim * (4.92187512 * sini2 * (-2.0 - 4.0 * cosim + 10.0 * cosisq) +
                                 6.56250012 * (1.0 + 2.0 * cosim - 3.0 * cosisq));
    const double f542 =
        29.53125 * sinim * (2.0 - 8.0 * cosim + cosisq * (-12.0 + 8.0 * cosim + 10.0 * cosisq));
    const double f543 =
        29.53125 * sinim * (-2.0 - 8.0 * cosim + cosisq * (12.0 + 8.0 * cosim - 10.0 * cosisq));
    // Tesseral harmonic strengths sqrt(C^2 + S^2) (root22 ... root54) times n^2 / a^l.
    constexpr double root22 = 1.7891679e-6, root32 = 3.7393792e-7, root44 = 7.3636953e-9;
    constexpr double root52 = 1.1428639e-7, root54 = 2.1765803e-9;
    const double xno2 = nm * nm;
    const double ainv2 = aonv * aonv;
    double temp1 = 3.0 * xno2 * ainv2;
    double temp = temp1 * root22;
    m->d2201 = temp * f220 * g201;
    m->d2211 = temp * f221 * g211;
    temp1 = temp1 * aonv;
    temp = temp1 * root32;
    m->d3210 = temp * f321 * g310;
    m->d3222 = temp * f322 * g322;
    temp1 = temp1 * aonv;
    temp = 2.0 * temp1 * root44;
    m->d4410 = temp * f441 * g410;
    m->d4422 = temp * f442 * g422;
    temp1 = temp1 * aonv;
    temp = temp1 * root52;
    m->d5220 = temp * f522 * g520;
    m->d5232 = temp * f523 * g532;
    temp = 2.0 * temp1 * root54;
    m->d5421 = temp * f542 * g521;
    m->d5433 = temp * f543 * g533;
    m->xlamo = Fmod2Pi(mo + nodeo + nodeo - theta - theta);
    m->xfact = m->mdot + m->dmdt + 2.0 * (m->nodedot + m->dnodt - kEarthRotRadPerMin) - m->n0;
  } else {
    // 24 h resonance: (l,m,p) = (2,2,0), (3,1,1), (3,3,0) terms.
    constexpr double q22 = 1.7891679e-6, q31 = 2.1460748e-6, q33 = 2.2123015e-7;
    const double g200 = 1.0 + emsq * (-2.5 + 0.8125 * emsq);
    const double g310 = 1.0 + 2.0 * emsq;
    const double g300 = 1.0 + emsq * (-6.0 + 6.60937 * emsq);
    const double f220 = 0.75 * (1.0 + cosim) * (1.0 + cosim);
    const double f311 = 0.9375 * sinim * sinim * (1.0 + 3.0 * cosim) - 0.75 * (1.0 + cosim);
    double f330 = 1.0 + cosim;
    f330 = 1.875 * f330 * f330 * f330;
    const double del1 = 3.0 * nm * nm * aonv * aonv;
    m->del2 = 2.0 * del1 * f220 * g200 * q22;
    m->del3 = 3.0 * del1 * f330 * g300 * q33 * aonv;
    m->del1 = del1 * f311 * g310 * q31 * aonv;
    m->xlamo = Fmod2Pi(mo + nodeo + argpo - theta);
    m->xfact = m->mdot + xpidot - kEarthRotRadPerMin + m->dmdt + m->domdt + m->dnodt - m->n0;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------

Sgp4Gravity Sgp4Gravity::Wgs72() {
  Sgp4Gravity g;
  g.mu_km3ps2 = 398600.8;
  g.radius_km = 6378.135;
  g.xke_per_min = 60.0 / std::sqrt(g.radius_km * g.radius_km * g.radius_km / g.mu_km3ps2);
  g.j2 = 0.001082616;
  g.j3 = -0.00000253881;
  g.j4 = -0.00000165597;
  return g;
}

Sgp4Gravity Sgp4Gravity::Wgs72Old() {
  Sgp4Gravity g = Wgs72();
  g.mu_km3ps2 = 398600.79964;
  g.xke_per_min = 0.0743669161;
  return g;
}

Sgp4Gravity Sgp4Gravity::Wgs84() {
  Sgp4Gravity g;
  g.mu_km3ps2 = 398600.5;
  g.radius_km = 6378.137;
  g.xke_per_min = 60.0 / std::sqrt(g.radius_km * g.radius_km * g.radius_km / g.mu_km3ps2);
  g.j2 = 0.00108262998905;
  g.j3 = -0.00000253215306;
  g.j4 = -0.00000161098761;
  return g;
}

const char* Sgp4StatusName(Sgp4Status status) {
  switch (status) {
    case Sgp4Status::kOk:
      return "ok";
    case Sgp4Status::kMeanElements:
      return "mean eccentricity out of range";
    case Sgp4Status::kMeanMotion:
      return "mean motion not positive";
    case Sgp4Status::kPerturbedElements:
      return "perturbed eccentricity out of range";
    case Sgp4Status::kSemiLatusRectum:
      return "semi-latus rectum negative";
    case Sgp4Status::kDecayed:
      return "satellite decayed";
  }
  return "unknown";
}

Sgp4Elements Sgp4Elements::FromTle(const Tle& tle) {
  const double rev_per_day_to_rad_per_min = kMinPerDay / (2.0 * kPi);  // "xpdotp"
  Sgp4Elements e;
  e.epoch_days_1950 = tle.DaysSince1950();
  e.bstar_per_er = tle.bstar_per_er;
  e.eccentricity = tle.eccentricity;
  e.inclination_rad = tle.inclination_deg * core::kDegToRad;
  e.raan_rad = tle.raan_deg * core::kDegToRad;
  e.arg_perigee_rad = tle.arg_perigee_deg * core::kDegToRad;
  e.mean_anomaly_rad = tle.mean_anomaly_deg * core::kDegToRad;
  e.mean_motion_kozai_radpmin = tle.mean_motion_revpday / rev_per_day_to_rad_per_min;
  return e;
}

Sgp4Model Sgp4Init(const Sgp4Elements& el, const Sgp4Gravity& gravity, Sgp4Mode mode) {
  Sgp4Model m;
  m.gravity = gravity;
  m.mode = mode;
  m.elements = el;
  const double xke = gravity.xke_per_min;
  const double j2 = gravity.j2;
  const double j3oj2 = gravity.j3 / gravity.j2;
  const double re = gravity.radius_km;
  const double ecco = el.eccentricity;

  // --- Brouwer mean motion from the TLE's Kozai mean motion (Hoots & Roehrich eqs. for a1, d1,
  // a0, n0''): the element sets are fitted with Kozai's definition. ---
  const double eccsq = ecco * ecco;
  const double omeosq = 1.0 - eccsq;
  const double rteosq = std::sqrt(omeosq);
  const double cosio = std::cos(el.inclination_rad);
  const double cosio2 = cosio * cosio;
  const double ak = std::pow(xke / el.mean_motion_kozai_radpmin, kTwoThirds);
  const double d1 = 0.75 * j2 * (3.0 * cosio2 - 1.0) / (rteosq * omeosq);
  double del = d1 / (ak * ak);
  const double adel = ak * (1.0 - del * del - del * (1.0 / 3.0 + 134.0 * del * del / 81.0));
  del = d1 / (adel * adel);
  m.n0 = el.mean_motion_kozai_radpmin / (1.0 + del);
  const double ao = std::pow(xke / m.n0, kTwoThirds);
  m.a0 = ao;
  const double sinio = std::sin(el.inclination_rad);
  m.cos_i0 = cosio;
  m.sin_i0 = sinio;
  const double po = ao * omeosq;
  const double con42 = 1.0 - 5.0 * cosio2;
  m.con41 = -con42 - cosio2 - cosio2;  // 3 cos^2 i - 1
  const double posq = po * po;
  const double rp = ao * (1.0 - ecco);

  // Sidereal angle at epoch: IAU-82 GMST ('i') or the 1970-based AFSPC polynomial ('a').
  if (mode == Sgp4Mode::kAfspc) {
    const double ts70 = el.epoch_days_1950 - 7305.0;
    const double ds70 = std::floor(ts70 + 1.0e-8);
    const double tfrac = ts70 - ds70;
    const double c1 = 1.72027916940703639e-2;
    const double thgr70 = 1.7321343856509374;
    const double fk5r = 5.07551419432269442e-15;
    const double c1p2p = c1 + kTwoPi;
    m.gsto = Fmod2Pi(thgr70 + c1 * ds70 + c1p2p * tfrac + ts70 * ts70 * fk5r);
    if (m.gsto < 0.0) m.gsto += kTwoPi;
  } else {
    m.gsto = GmstIau82(el.epoch_days_1950 + 2433281.5);
  }

  // --- Atmosphere: density ~ ((q0 - s)/(r - s))^4 with q0 = 120 km, s = 78 km above the
  // surface; for low perigees s is lowered (perigee - 78 km, at least 20 km). ---
  const double ss = 78.0 / re + 1.0;
  const double qzms2ttemp = (120.0 - 78.0) / re;
  const double qzms2t = qzms2ttemp * qzms2ttemp * qzms2ttemp * qzms2ttemp;
  m.simplified_drag = rp < 220.0 / re + 1.0;
  double sfour = ss;
  double qzms24 = qzms2t;
  const double perigee_km = (rp - 1.0) * re;
  if (perigee_km < 156.0) {
    sfour = perigee_km - 78.0;
    if (perigee_km < 98.0) sfour = 20.0;
    const double qzms24temp = (120.0 - sfour) / re;
    qzms24 = qzms24temp * qzms24temp * qzms24temp * qzms24temp;
    sfour = sfour / re + 1.0;
  }
  const double pinvsq = 1.0 / posq;
  const double tsi = 1.0 / (ao - sfour);  // xi
  m.eta = ao * ecco * tsi;
  const double etasq = m.eta * m.eta;
  const double eeta = ecco * m.eta;
  const double psisq = std::fabs(1.0 - etasq);
  const double coef = qzms24 * std::pow(tsi, 4.0);
  const double coef1 = coef / std::pow(psisq, 3.5);
  const double cc2 = coef1 * m.n0 *
                     (ao * (1.0 + 1.5 * etasq + eeta * (4.0 + etasq)) +
                      0.375 * j2 * tsi / psisq * m.con41 * (8.0 + 3.0 * etasq * (8.0 + etasq)));
  m.cc1 = el.bstar_per_er * cc2;
  double cc3 = 0.0;
  if (ecco > 1.0e-4) cc3 = -2.0 * coef * tsi * j3oj2 * m.n0 * sinio / ecco;
  m.x1mth2 = 1.0 - cosio2;
  m.cc4 = 2.0 * m.n0 * coef1 * ao * omeosq *
          (m.eta * (2.0 + 0.5 * etasq) + ecco * (0.5 + 2.0 * etasq) -
           j2 * tsi / (ao * psisq) *
               (-3.0 * m.con41 * (1.0 - 2.0 * eeta + etasq * (1.5 - 0.5 * eeta)) +
                0.75 * m.x1mth2 * (2.0 * etasq - eeta * (1.0 + etasq)) *
                    std::cos(2.0 * el.arg_perigee_rad)));
  m.cc5 = 2.0 * coef1 * ao * omeosq * (1.0 + 2.75 * (etasq + eeta) + eeta * etasq);

  // --- Secular rates from J2 (first and second order) and J4 (Brouwer 1959). ---
  const double cosio4 = cosio2 * cosio2;
  const double temp1 = 1.5 * j2 * pinvsq * m.n0;
  const double temp2 = 0.5 * temp1 * j2 * pinvsq;
  const double temp3 = -0.46875 * gravity.j4 * pinvsq * pinvsq * m.n0;
  m.mdot = m.n0 + 0.5 * temp1 * rteosq * m.con41 +
           0.0625 * temp2 * rteosq * (13.0 - 78.0 * cosio2 + 137.0 * cosio4);
  m.argpdot = (-0.5 * temp1 * con42 + 0.0625 * temp2 * (7.0 - 114.0 * cosio2 + 395.0 * cosio4) +
               temp3 * (3.0 - 36.0 * cosio2 + 49.0 * cosio4));
  const double xhdot1 = -temp1 * cosio;
  m.nodedot =
      xhdot1 + (0.5 * temp2 * (4.0 - 19.0 * cosio2) + 2.0 * temp3 * (3.0 - 7.0 * cosio2)) * cosio;
  const double xpidot = m.argpdot + m.nodedot;
  m.omgcof = el.bstar_per_er * cc3 * std::cos(el.arg_perigee_rad);
  if (ecco > 1.0e-4) m.xmcof = -kTwoThirds * coef * el.bstar_per_er / eeta;
  m.nodecf = 3.5 * omeosq * xhdot1 * m.cc1;
  m.t2cof = 1.5 * m.cc1;
  // J3 long-period coefficients; 1 + cos i -> 0 for retrograde-equatorial orbits is guarded.
  constexpr double kMinDivisor = 1.5e-12;
  const double one_plus_cos = std::fabs(cosio + 1.0) > kMinDivisor ? (1.0 + cosio) : kMinDivisor;
  m.xlcof = -0.25 * j3oj2 * sinio * (3.0 + 5.0 * cosio) / one_plus_cos;
  m.aycof = -0.5 * j3oj2 * sinio;
  const double delmotemp = 1.0 + m.eta * std::cos(el.mean_anomaly_rad);
  m.delmo = delmotemp * delmotemp * delmotemp;
  m.sinmao = std::sin(el.mean_anomaly_rad);
  m.x7thm1 = 7.0 * cosio2 - 1.0;

  // --- Deep space: period >= 225 minutes (Hoots & Roehrich's SDP4 switch). ---
  if (kTwoPi / m.n0 >= 225.0) {
    m.deep_space = true;
    m.simplified_drag = true;
    InitDeepSpace(&m, eccsq, xpidot);
  }

  if (!m.simplified_drag) {
    const double cc1sq = m.cc1 * m.cc1;
    m.d2 = 4.0 * ao * tsi * cc1sq;
    const double temp = m.d2 * tsi * m.cc1 / 3.0;
    m.d3 = (17.0 * ao + sfour) * temp;
    m.d4 = 0.5 * temp * ao * tsi * (221.0 * ao + 31.0 * sfour) * m.cc1;
    m.t3cof = m.d2 + 2.0 * cc1sq;
    m.t4cof = 0.25 * (3.0 * m.d3 + m.cc1 * (12.0 * m.d2 + 10.0 * cc1sq));
    m.t5cof = 0.2 * (3.0 * m.d4 + 12.0 * m.cc1 * m.d3 + 6.0 * m.d2 * m.d2 +
                     15.0 * cc1sq * (2.0 * m.d2 + cc1sq));
  }
  return m;
}

Sgp4Status Sgp4Propagate(const Sgp4Model& m, double t, core::Vec3* r_Teme_km,
                         core::Vec3* v_Teme_kmps) {
  const Sgp4Elements& el0 = m.elements;
  const double xke = m.gravity.xke_per_min;
  const double j2 = m.gravity.j2;
  const double j3oj2 = m.gravity.j3 / m.gravity.j2;

  // --- Secular gravity and drag (Spacetrack Report #3 SGP4 "update for secular gravity and
  // atmospheric drag"). ---
  const double xmdf = el0.mean_anomaly_rad + m.mdot * t;
  const double argpdf = el0.arg_perigee_rad + m.argpdot * t;
  const double nodedf = el0.raan_rad + m.nodedot * t;
  Elements el{el0.eccentricity, el0.inclination_rad, nodedf, argpdf, xmdf};
  const double t2 = t * t;
  el.node = nodedf + m.nodecf * t2;
  double tempa = 1.0 - m.cc1 * t;
  double tempe = el0.bstar_per_er * m.cc4 * t;
  double templ = m.t2cof * t2;
  if (!m.simplified_drag) {
    const double delomg = m.omgcof * t;
    const double delmtemp = 1.0 + m.eta * std::cos(xmdf);
    const double delm = m.xmcof * (delmtemp * delmtemp * delmtemp - m.delmo);
    const double temp = delomg + delm;
    el.m = xmdf + temp;
    el.argp = argpdf - temp;
    const double t3 = t2 * t;
    const double t4 = t3 * t;
    tempa = tempa - m.d2 * t2 - m.d3 * t3 - m.d4 * t4;
    tempe = tempe + el0.bstar_per_er * m.cc5 * (std::sin(el.m) - m.sinmao);
    templ = templ + m.t3cof * t3 + t4 * (m.t4cof + t * m.t5cof);
  }
  double nm = m.n0;
  if (m.deep_space) DeepSpaceSecular(m, t, &el, &nm);

  if (nm <= 0.0) return Sgp4Status::kMeanMotion;
  const double am = std::pow(xke / nm, kTwoThirds) * tempa * tempa;
  nm = xke / std::pow(am, 1.5);
  el.e = el.e - tempe;
  // Vallado et al. 2006 list a < 0.95 earth radii here too; the reference code that produced the
  // verification output has that test commented out, and so do we.
  if (el.e >= 1.0 || el.e < -0.001) return Sgp4Status::kMeanElements;
  if (el.e < 1.0e-6) el.e = 1.0e-6;
  el.m = el.m + m.n0 * templ;
  double xlm = el.m + el.argp + el.node;
  el.node = Fmod2Pi(el.node);
  el.argp = Fmod2Pi(el.argp);
  xlm = Fmod2Pi(xlm);
  el.m = Fmod2Pi(xlm - el.argp - el.node);

  // --- Lunar-solar periodics (deep space only). ---
  double sinip = std::sin(el.i);
  double cosip = std::cos(el.i);
  double aycof = m.aycof, xlcof = m.xlcof;
  double con41 = m.con41, x1mth2 = m.x1mth2, x7thm1 = m.x7thm1;
  if (m.deep_space) {
    ApplyLunarSolarPeriodics(m, t, &el);
    if (el.i < 0.0) {  // a negative inclination is the same orbit with node and perigee flipped
      el.i = -el.i;
      el.node = el.node + kPi;
      el.argp = el.argp - kPi;
    }
    if (el.e < 0.0 || el.e > 1.0) return Sgp4Status::kPerturbedElements;
    sinip = std::sin(el.i);
    cosip = std::cos(el.i);
    aycof = -0.5 * j3oj2 * sinip;
    constexpr double kMinDivisor = 1.5e-12;
    const double one_plus_cos = std::fabs(cosip + 1.0) > kMinDivisor ? (1.0 + cosip) : kMinDivisor;
    xlcof = -0.25 * j3oj2 * sinip * (3.0 + 5.0 * cosip) / one_plus_cos;
    const double cosisq = cosip * cosip;
    con41 = 3.0 * cosisq - 1.0;
    x1mth2 = 1.0 - cosisq;
    x7thm1 = 7.0 * cosisq - 1.0;
  }

  // --- Long-period J3 terms, in the non-singular (a_xN, a_yN) = e (cos w, sin w) variables. ---
  const double ep = el.e;
  const double axnl = ep * std::cos(el.argp);
  double temp = 1.0 / (am * (1.0 - ep * ep));
  const double aynl = ep * std::sin(el.argp) + temp * aycof;
  const double xl = el.m + el.argp + el.node + temp * xlcof * axnl;

  // --- Kepler's equation for E + w in those variables, Newton with steps capped at 0.95. ---
  const double u = Fmod2Pi(xl - el.node);
  double eo1 = u;
  double tem5 = 9999.9;
  double sineo1 = 0.0, coseo1 = 0.0;
  for (int k = 1; std::fabs(tem5) >= 1.0e-12 && k <= 10; ++k) {
    sineo1 = std::sin(eo1);
    coseo1 = std::cos(eo1);
    tem5 = 1.0 - coseo1 * axnl - sineo1 * aynl;
    tem5 = (u - aynl * coseo1 + axnl * sineo1 - eo1) / tem5;
    if (std::fabs(tem5) >= 0.95) tem5 = tem5 > 0.0 ? 0.95 : -0.95;
    eo1 = eo1 + tem5;
  }

  // --- Short-period J2 terms and the osculating state. ---
  const double ecose = axnl * coseo1 + aynl * sineo1;
  const double esine = axnl * sineo1 - aynl * coseo1;
  const double el2 = axnl * axnl + aynl * aynl;
  const double pl = am * (1.0 - el2);
  if (pl < 0.0) return Sgp4Status::kSemiLatusRectum;
  const double rl = am * (1.0 - ecose);
  const double rdotl = std::sqrt(am) * esine / rl;
  const double rvdotl = std::sqrt(pl) / rl;
  const double betal = std::sqrt(1.0 - el2);
  temp = esine / (1.0 + betal);
  const double sinu = am / rl * (sineo1 - aynl - axnl * temp);
  const double cosu = am / rl * (coseo1 - axnl + aynl * temp);
  double su = std::atan2(sinu, cosu);
  const double sin2u = (cosu + cosu) * sinu;
  const double cos2u = 1.0 - 2.0 * sinu * sinu;
  temp = 1.0 / pl;
  const double temp1 = 0.5 * j2 * temp;
  const double temp2 = temp1 * temp;

  const double mrt = rl * (1.0 - 1.5 * temp2 * betal * con41) + 0.5 * temp1 * x1mth2 * cos2u;
  su = su - 0.25 * temp2 * x7thm1 * sin2u;
  const double xnode = el.node + 1.5 * temp2 * cosip * sin2u;
  const double xinc = el.i + 1.5 * temp2 * cosip * sinip * cos2u;
  const double mvt = rdotl - nm * temp1 * x1mth2 * sin2u / xke;
  const double rvdot = rvdotl + nm * temp1 * (x1mth2 * cos2u + 1.5 * con41) / xke;

  // Unit vectors: U toward the satellite, V along-track in the orbit plane.
  const double sinsu = std::sin(su), cossu = std::cos(su);
  const double snod = std::sin(xnode), cnod = std::cos(xnode);
  const double sini = std::sin(xinc), cosi = std::cos(xinc);
  const double xmx = -snod * cosi;
  const double xmy = cnod * cosi;
  const core::Vec3 uvec(xmx * sinsu + cnod * cossu, xmy * sinsu + snod * cossu, sini * sinsu);
  const core::Vec3 vvec(xmx * cossu - cnod * sinsu, xmy * cossu - snod * sinsu, sini * cossu);
  const double re = m.gravity.radius_km;
  const double vkmpersec = re * xke / 60.0;
  *r_Teme_km = (mrt * re) * uvec;
  *v_Teme_kmps = (mvt * uvec + rvdot * vvec) * vkmpersec;
  return mrt < 1.0 ? Sgp4Status::kDecayed : Sgp4Status::kOk;
}

// ---------------------------------------------------------------------------------------------

Sgp4Propagator::Sgp4Propagator(const Tle& tle, const Sgp4Gravity& gravity, Sgp4Mode mode)
    : model_(Sgp4Init(Sgp4Elements::FromTle(tle), gravity, mode)), epoch_(tle.Epoch()) {}

double Sgp4Propagator::SecondsSinceTleEpoch(const core::Epoch& scenario_epoch, double t_s) const {
  const core::JulianDate a = scenario_epoch.Utc();
  const core::JulianDate b = epoch_.Utc();
  return ((a.jd1 - b.jd1) + (a.jd2 - b.jd2)) * 86400.0 + t_s;
}

Sgp4Status Sgp4Propagator::StateTeme(double dt_s, core::Vec3* r_Teme_m,
                                     core::Vec3* v_Teme_mps) const {
  core::Vec3 r_km, v_kmps;
  const Sgp4Status status = Sgp4Propagate(model_, dt_s / 60.0, &r_km, &v_kmps);
  if (status == Sgp4Status::kOk || status == Sgp4Status::kDecayed) {
    *r_Teme_m = r_km * 1000.0;
    *v_Teme_mps = v_kmps * 1000.0;
  }
  return status;
}

Sgp4Status Sgp4Propagator::StateEcef(const core::Epoch& scenario_epoch, double t_s,
                                     core::Vec3* r_Ecef_m, core::Vec3* v_Ecef_mps) const {
  core::Vec3 r_Teme, v_Teme;
  const Sgp4Status status = StateTeme(SecondsSinceTleEpoch(scenario_epoch, t_s), &r_Teme, &v_Teme);
  if (status == Sgp4Status::kOk || status == Sgp4Status::kDecayed) {
    const double gmst = scenario_epoch.Gmst82_rad(t_s);
    *r_Ecef_m = core::PositionEcefFromTeme(r_Teme, gmst);
    *v_Ecef_mps = core::VelocityEcefFromTeme(r_Teme, v_Teme, gmst);
  }
  return status;
}

Sgp4Status Sgp4Propagator::StateEci(const core::Epoch& scenario_epoch, double t_s,
                                    core::Vec3* r_Eci_m, core::Vec3* v_Eci_mps) const {
  core::Vec3 r_Ecef, v_Ecef;
  const Sgp4Status status = StateEcef(scenario_epoch, t_s, &r_Ecef, &v_Ecef);
  if (status == Sgp4Status::kOk || status == Sgp4Status::kDecayed) {
    const double era = scenario_epoch.EarthRotationAngle_rad(t_s);
    *r_Eci_m = core::PositionEciFromEcef(r_Ecef, era);
    *v_Eci_mps = core::VelocityEciFromEcef(r_Ecef, v_Ecef, era);
  }
  return status;
}

}  // namespace hyperdef::orbits
