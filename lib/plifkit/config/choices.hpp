// The enums of the run settings that are not about frames (those are in
// frames/frame_params.hpp), with their names.
#pragma once

#include <array>

#include "plifkit/core/choice.hpp"
#include "plifkit/config/frame_settings.hpp"

namespace plifkit {

// Mixed precision on CUDA for convolutions and linear layers.
enum class Amp { off, bf16, fp16 };
// How per-neuron taus are drawn: tau ~ LogNormal with mean init_tau and std
// tau_std_dev (the reference code), or tau = 1 + LogNormal with mean
// init_tau - 1 (the thesis text).
enum class TauInit { lognormal, shifted };
// What the variance regulariser acts on: the raw w (the reference code) or
// tau (the thesis text).
enum class RegTarget { w, tau };
// A feature switched on or off (--tensorboard on|off).
enum class Switch { off, on };
// Which samples plif-eval runs: the test split; the two parts of the train
// split as plif-train divided it; or train then test.
enum class EvalSplit { test, train, val, all };

template <>
struct Choices<Amp> {
  static constexpr std::array<Choice<Amp>, 3> all{{{Amp::off, "off"}, {Amp::bf16, "bf16"}, {Amp::fp16, "fp16"}}};
};
template <>
struct Choices<TauInit> {
  static constexpr std::array<Choice<TauInit>, 2> all{
      {{TauInit::lognormal, "lognormal"}, {TauInit::shifted, "shifted"}}};
};
template <>
struct Choices<RegTarget> {
  static constexpr std::array<Choice<RegTarget>, 2> all{{{RegTarget::w, "w"}, {RegTarget::tau, "tau"}}};
};
template <>
struct Choices<Switch> {
  static constexpr std::array<Choice<Switch>, 2> all{{{Switch::on, "on"}, {Switch::off, "off"}}};
};
template <>
struct Choices<EvalSplit> {
  static constexpr std::array<Choice<EvalSplit>, 4> all{{{EvalSplit::test, "test"},
                                                         {EvalSplit::train, "train"},
                                                         {EvalSplit::val, "val"},
                                                         {EvalSplit::all, "all"}}};
};
}  // namespace plifkit
