// Frame integration against a deliberately naive implementation written from
// the formulas of the issue (one event at a time, frame index computed per
// event, statistics by plain loops), for both split modes, every
// normalization, fewer events than frames, empty windows, ties and
// saturation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "plifkit/core/error.hpp"
#include "plifkit/frames/integrate.hpp"

namespace plifkit::frames {
namespace {

// A sensor that is neither square nor a power of two, so x/y mix-ups show.
constexpr SensorSize kSensor{7, 5};

struct Ev {
  std::uint64_t t;
  int x, y, p;
};

// Random time-sorted events; `tie_every` > 1 repeats timestamps in runs.
std::vector<Ev> random_events(std::size_t n, std::uint64_t seed, std::uint64_t max_step,
                              int tie_every = 1) {
  std::mt19937_64 gen(seed);
  std::vector<Ev> ev;
  std::uint64_t t = 1000 + gen() % 1000;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % static_cast<std::size_t>(tie_every) == 0) t += gen() % (max_step + 1);
    ev.push_back({t, static_cast<int>(gen() % kSensor.width),
                  static_cast<int>(gen() % kSensor.height), static_cast<int>(gen() % 2)});
  }
  return ev;
}

// The naive reference: F[j][p][y][x] as doubles, normalized, one value per
// element of [T, 2, H, W].
std::vector<double> naive_frames(const std::vector<Ev>& ev, int T, SplitBy split_by,
                                 Normalization normalization) {
  const int H = kSensor.height, W = kSensor.width;
  const std::size_t plane = static_cast<std::size_t>(H) * W;
  std::vector<double> F(static_cast<std::size_t>(T) * 2 * plane, 0.0);
  const std::size_t N = ev.size();
  if (N == 0) return F;
  const std::uint64_t t0 = ev.front().t, tN = ev.back().t;
  const std::uint64_t dt = (tN - t0) / T;
  const std::size_t di = N / T;
  for (std::size_t i = 0; i < N; ++i) {
    std::size_t j;
    if (split_by == SplitBy::number)
      j = di == 0 ? T - 1 : std::min<std::size_t>(i / di, T - 1);
    else
      j = dt == 0 ? T - 1 : std::min<std::size_t>((ev[i].t - t0) / dt, T - 1);
    F[((j * 2 + ev[i].p) * H + ev[i].y) * W + ev[i].x] += 1;
  }
  for (int j = 0; j < T; ++j) {
    double* frame = &F[static_cast<std::size_t>(j) * 2 * plane];
    if (normalization == Normalization::frequency) {
      std::uint64_t d;
      if (split_by == SplitBy::time) {
        d = j < T - 1 ? dt : dt + (tN - t0) % T;
      } else {
        const std::size_t jl = static_cast<std::size_t>(j) * di;
        d = j < T - 1 ? ev[(j + 1) * di].t - ev[jl].t : ev[N - 1].t - ev[jl].t + 1;
      }
      if (d == 0) d = 1;  // the documented guard against 0/0
      for (std::size_t e = 0; e < 2 * plane; ++e) frame[e] /= static_cast<double>(d);
      continue;
    }
    for (int p = 0; p < 2; ++p) {
      double* f = frame + p * plane;
      double mx = 0, sum = 0;
      for (std::size_t e = 0; e < plane; ++e) {
        mx = std::max(mx, f[e]);
        sum += f[e];
      }
      const double mean = sum / plane;
      double var = 0;
      for (std::size_t e = 0; e < plane; ++e) var += (f[e] - mean) * (f[e] - mean);
      var /= plane - 1;
      for (std::size_t e = 0; e < plane; ++e) {
        if (normalization == Normalization::max) f[e] /= std::max(mx, 1e-5);
        if (normalization == Normalization::sum) f[e] /= std::max(sum, 1e-5);
        if (normalization == Normalization::norm)
          f[e] = (f[e] - mean) / std::sqrt(std::max(var, 1e-5));
      }
    }
  }
  return F;
}

FrameParams params(int T, SplitBy split_by, Normalization normalization) {
  FrameParams p;
  p.T = T;
  p.split_by = split_by;
  p.normalization = normalization;
  p.sensor = kSensor;
  return p;
}

void split_columns(const std::vector<Ev>& ev, std::vector<std::uint64_t>& t,
                   std::vector<std::uint32_t>& addr) {
  t.clear();
  addr.clear();
  for (const auto& e : ev) {
    t.push_back(e.t);
    addr.push_back(kSensor.address(e.x, e.y, e.p));
  }
}

void expect_matches_naive(const std::vector<Ev>& ev, int T, SplitBy split_by,
                          Normalization normalization, const std::string& what) {
  SCOPED_TRACE(what + " T=" + std::to_string(T) + " N=" + std::to_string(ev.size()) +
               " split_by=" + name_of(split_by) + " normalization=" + name_of(normalization));
  const std::vector<double> want = naive_frames(ev, T, split_by, normalization);
  std::vector<std::uint64_t> t;
  std::vector<std::uint32_t> addr;
  split_columns(ev, t, addr);
  Integrator integrator(params(T, split_by, normalization));
  const SampleNotes notes = [&] {
    if (normalization == Normalization::none) {
      std::vector<std::uint16_t> got(want.size(), 0xABCD);  // all must be overwritten
      const SampleNotes n = integrator.counts(t.data(), addr.data(), t.size(), got.data());
      for (std::size_t e = 0; e < want.size(); ++e)
        if (got[e] != want[e]) {
          ADD_FAILURE() << "element " << e << ": " << got[e] << " != " << want[e];
          break;
        }
      return n;
    }
    std::vector<float> got(want.size(), -7.0f);
    const SampleNotes n = integrator.normalized(t.data(), addr.data(), t.size(), got.data());
    for (std::size_t e = 0; e < want.size(); ++e)
      if (std::abs(got[e] - want[e]) > 1e-6 * std::max(1.0, std::abs(want[e]))) {
        ADD_FAILURE() << "element " << e << ": " << got[e] << " != " << want[e];
        break;
      }
    return n;
  }();
  EXPECT_EQ(notes.events, ev.size());
  EXPECT_EQ(notes.saturated_counts, 0u);
}

const SplitBy kSplits[] = {SplitBy::number, SplitBy::time};
const Normalization kNorms[] = {Normalization::none, Normalization::frequency,
                                Normalization::max, Normalization::norm, Normalization::sum};

TEST(Integrate, MatchesNaiveOnRandomEvents) {
  for (SplitBy s : kSplits)
    for (Normalization n : kNorms)
      for (int T : {1, 3, 20})
        for (std::size_t N : {std::size_t{997}, std::size_t{5000}})
          expect_matches_naive(random_events(N, 17 * N + T, 40), T, s, n, "random");
}

TEST(Integrate, MatchesNaiveWithTies) {
  // Runs of 7 equal timestamps and steps of 0..2 us: many frame bounds fall
  // inside a run, and zero-duration frames appear.
  for (SplitBy s : kSplits)
    for (Normalization n : kNorms)
      for (int T : {4, 20}) expect_matches_naive(random_events(300, 5, 2, 7), T, s, n, "ties");
}

TEST(Integrate, MatchesNaiveWithFewerEventsThanFrames) {
  for (SplitBy s : kSplits)
    for (Normalization n : kNorms)
      for (std::size_t N : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{19}})
        expect_matches_naive(random_events(N, 99 + N, 1000), 20, s, n, "N<T");
}

TEST(Integrate, AllEventsAtOneTime) {
  for (SplitBy s : kSplits)
    for (Normalization n : kNorms) expect_matches_naive(random_events(50, 3, 0), 5, s, n, "one time");
}

TEST(Integrate, SplitByNumberPutsTheRemainderInTheLastFrame) {
  // 10 events, T = 3: di = 3, frames hold 3, 3 and 4 events.
  std::vector<std::uint64_t> t(10);
  std::vector<std::uint32_t> addr(10, kSensor.address(2, 1, 1));
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = 100 + i;
  Integrator integrator(params(3, SplitBy::number, Normalization::none));
  std::vector<std::uint16_t> f(integrator.params().sample_elements());
  integrator.counts(t.data(), addr.data(), t.size(), f.data());
  const std::size_t fe = integrator.params().frame_elements();
  const std::size_t at = kSensor.pixels() + 1 * kSensor.width + 2;  // p=1, y=1, x=2
  EXPECT_EQ(f[0 * fe + at], 3);
  EXPECT_EQ(f[1 * fe + at], 3);
  EXPECT_EQ(f[2 * fe + at], 4);
}

TEST(Integrate, SplitByTimeUsesIntegerFrameDuration) {
  // Times 0..10 us, T = 3: dt = 10 div 3 = 3; frames [0,3), [3,6), [6, end].
  std::vector<std::uint64_t> t = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  std::vector<std::uint32_t> addr(t.size(), 0);
  std::size_t bounds[4];
  frame_bounds(t.data(), t.size(), 3, SplitBy::time, bounds);
  EXPECT_EQ(bounds[0], 0u);
  EXPECT_EQ(bounds[1], 3u);
  EXPECT_EQ(bounds[2], 6u);
  EXPECT_EQ(bounds[3], 11u);
  // frequency: 3 events / 3 us; last frame 5 events / (3 + 10 mod 3 = 4 us).
  Integrator integrator(params(3, SplitBy::time, Normalization::frequency));
  std::vector<float> f(integrator.params().sample_elements());
  integrator.normalized(t.data(), addr.data(), t.size(), f.data());
  const std::size_t fe = integrator.params().frame_elements();
  EXPECT_FLOAT_EQ(f[0], 1.0f);
  EXPECT_FLOAT_EQ(f[fe], 1.0f);
  EXPECT_FLOAT_EQ(f[2 * fe], 5.0f / 4.0f);
}

TEST(Integrate, NotesZeroDurationFrames) {
  // 3 events at one time, T = 4, split by number: di = 0, frames 0..2 are
  // [0, 0) with t[0] - t[0] = 0; the last holds all with 0 + 1 us.
  std::vector<std::uint64_t> t = {50, 50, 50};
  std::vector<std::uint32_t> addr = {0, 0, 0};
  Integrator integrator(params(4, SplitBy::number, Normalization::frequency));
  std::vector<float> f(integrator.params().sample_elements());
  const SampleNotes notes = integrator.normalized(t.data(), addr.data(), 3, f.data());
  EXPECT_EQ(notes.zero_duration_frames, 3u);
  EXPECT_FLOAT_EQ(f[3 * integrator.params().frame_elements()], 3.0f);
  for (float v : f) EXPECT_TRUE(std::isfinite(v));
}

TEST(Integrate, NotesEmptyTimeSlices) {
  std::vector<std::uint32_t> addr(4, 0);
  Integrator integrator(params(4, SplitBy::time, Normalization::none));
  std::vector<std::uint16_t> counts(integrator.params().sample_elements());
  // A window spanning 2 us < T = 4: dt = 0, every event lands in the last
  // frame; the other three are empty (the reference raises here).
  std::vector<std::uint64_t> short_span = {100, 101, 102, 102};
  EXPECT_EQ(integrator.counts(short_span.data(), addr.data(), 4, counts.data()).empty_time_frames, 3u);
  // Times 0, 1, 10, 11, T = 4: dt = 2, slices [0,2) [2,4) [4,6) [6,end]:
  // the middle two hold nothing.
  std::vector<std::uint64_t> gap = {0, 1, 10, 11};
  EXPECT_EQ(integrator.counts(gap.data(), addr.data(), 4, counts.data()).empty_time_frames, 2u);
  // Split by number never leaves a slice empty by time; no events: nothing to note.
  Integrator by_number(params(4, SplitBy::number, Normalization::none));
  EXPECT_EQ(by_number.counts(gap.data(), addr.data(), 4, counts.data()).empty_time_frames, 0u);
  EXPECT_EQ(integrator.counts(gap.data(), addr.data(), 0, counts.data()).empty_time_frames, 0u);
}

TEST(Integrate, SaturatesCountsAt65535) {
  const std::size_t n = 70000;
  std::vector<std::uint64_t> t(n);
  for (std::size_t i = 0; i < n; ++i) t[i] = i;
  std::vector<std::uint32_t> addr(n, kSensor.address(3, 4, 0));
  addr[0] = kSensor.address(0, 0, 1);
  Integrator integrator(params(1, SplitBy::number, Normalization::none));
  std::vector<std::uint16_t> f(integrator.params().sample_elements());
  const SampleNotes notes = integrator.counts(t.data(), addr.data(), n, f.data());
  EXPECT_EQ(notes.saturated_counts, 1u);
  EXPECT_EQ(f[4 * kSensor.width + 3], 65535);
  EXPECT_EQ(f[kSensor.pixels()], 1);
}

TEST(Integrate, FindWindowIsHalfOpenAndIndependentOfOtherWindows) {
  const std::vector<std::uint64_t> t = {10, 20, 20, 30, 40, 40, 50};
  auto count = [&](std::uint64_t a, std::uint64_t b) {
    const EventRange r = find_window(t.data(), t.size(), a, b);
    std::size_t naive = 0;
    for (auto v : t) naive += (a <= v && v < b) ? 1 : 0;
    EXPECT_EQ(r.last - r.first, naive) << a << ".." << b;
    return r;
  };
  EXPECT_EQ(count(20, 40).first, 1u);
  EXPECT_EQ(count(20, 40).last, 4u);
  count(15, 45);
  count(40, 41);
  count(0, 5);
  count(55, 99);
  count(30, 30);  // empty
  count(0, 1000);
}

TEST(Integrate, ParsesTheSeedSpellings) {
  EXPECT_EQ(parse_normalization("None"), Normalization::none);
  EXPECT_EQ(parse_normalization("none"), Normalization::none);
  EXPECT_EQ(parse_normalization("Frequency"), Normalization::frequency);
  EXPECT_EQ(parse_split_by("number"), SplitBy::number);
  EXPECT_EQ(parse_split_by("TIME"), SplitBy::time);
  EXPECT_STREQ(name_of(parse_normalization("None")), "none");
  EXPECT_THROW(parse_normalization("l2"), UsageError);
  EXPECT_THROW(parse_split_by("count"), UsageError);
  EXPECT_THROW(Integrator(params(0, SplitBy::number, Normalization::none)), UsageError);
  EXPECT_THROW(Integrator(params(-3, SplitBy::number, Normalization::none)), UsageError);
  FrameParams huge = params(1, SplitBy::number, Normalization::max);
  huge.sensor = SensorSize{1 << 15, 1 << 15};  // 2 * 2^30 floats: 8 GiB
  EXPECT_THROW(validate(huge), UsageError);
}

}  // namespace
}  // namespace plifkit::frames
